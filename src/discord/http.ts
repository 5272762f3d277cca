/**
 * The HTTP transport and the bot's small HTTP server. `POST /interactions` is Discord's Interactions Endpoint URL:
 * the request's signature is checked over the raw body, PING gets PONG, and every other interaction's payload goes
 * to the same router as the gateway's, whose first response becomes the body of the HTTP response (a deferred
 * response when the handler runs long, completed through the REST API). Other routes (the operations endpoints)
 * are given by the composition root.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionResponseType, InteractionType, type APIInteraction, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { Transport } from './bot.js';
import { SHUTDOWN_GRACE_MS } from './bot.js';
import type { BotContext, CommandModule } from './command.js';
import type { Respond } from './exchange.js';
import { InteractionRouter, type InteractionRecord } from './router.js';
import { checkSignature, publicKeyFromHex } from './signature.js';

/**
 * The largest request body read. Discord's interaction payloads are a few kB; the largest the bot receives (a
 * modal of five 4,000-character inputs, with the message its button sat on) stays well below this.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** A request that takes longer than this to arrive is dropped (a slow sender must not hold a socket forever). */
const REQUEST_TIMEOUT_MS = 10_000;

export type RouteHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void | Promise<void>;

/** Routes by "METHOD /path" (the query string is ignored). */
export type Routes = Readonly<Record<string, RouteHandler>>;

export interface HttpServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  port: number;
  close(): Promise<void>;
}

/** Sends a JSON body with its length. */
export function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** Serves `routes` on host:port; 404 for unknown paths, 405 for a known path with another method, 500 (logged) when a route throws. */
export async function startHttpServer(options: { host?: string; port: number; routes: Routes; logger: Logger }): Promise<HttpServer> {
  const { routes, logger } = options;
  const paths = new Map<string, string[]>();
  for (const key of Object.keys(routes)) {
    const [method, path] = key.split(' ') as [string, string];
    paths.set(path, [...(paths.get(path) ?? []), method]);
  }
  const server = http.createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const route = routes[`${request.method} ${path}`];
    const fail = (error: unknown) => {
      logger.error({ err: error, method: request.method, path }, 'http request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    };
    if (!route) {
      const allowed = paths.get(path);
      if (allowed) sendJson(response, 405, { error: 'method not allowed' }, { allow: allowed.join(', ') });
      else sendJson(response, 404, { error: 'not found' });
      return;
    }
    try {
      const result = route(request, response);
      if (result) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.listen(options.port, options.host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

type Body = { ok: true; body: Buffer } | { ok: false; status: 413 | 400 };

/** The request body, at most `limit` bytes (413 beyond, without reading the rest). */
function readBody(request: http.IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, status: 413 });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.pause();
        resolve({ ok: false, status: 413 });
      } else {
        chunks.push(chunk);
      }
    });
    request.on('end', () => resolve({ ok: true, body: Buffer.concat(chunks) }));
    request.on('error', () => resolve({ ok: false, status: 400 }));
  });
}

function header(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The fields every interaction payload carries; anything else is not one. */
function asInteraction(value: unknown): APIInteraction | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const payload = value as Record<string, unknown>;
  if (!Number.isInteger(payload.type)) return null;
  if (payload.type === InteractionType.Ping) return value as APIInteraction;
  const ids = ['id', 'application_id', 'token'] as const;
  return ids.every((key) => typeof payload[key] === 'string' && payload[key] !== '') ? (value as APIInteraction) : null;
}

/** The first response as the body of the HTTP response; rejects if that response was already sent or the request is gone. */
function respondInline(response: http.ServerResponse): Respond {
  return (interactionResponse) =>
    new Promise<void>((resolve, reject) => {
      if (response.headersSent || response.destroyed) {
        reject(new Error('the HTTP request was already answered or closed'));
        return;
      }
      response.once('close', () => {
        if (!response.writableFinished) reject(new Error('the HTTP request closed before the response was sent'));
      });
      const text = JSON.stringify(interactionResponse);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text, () => resolve());
    });
}

/**
 * The POST /interactions route: 401 unless Discord signed the request (missing, malformed, wrong or stale
 * signature), 413 over `maxBodyBytes`, 400 for a body that is not an interaction, PONG to PING; everything else
 * goes to the router.
 */
export function interactionsRoute(options: {
  publicKey: string;
  router: InteractionRouter;
  logger: Logger;
  maxBodyBytes?: number;
  now?: () => number;
}): RouteHandler {
  const publicKey = publicKeyFromHex(options.publicKey);
  const { router, logger } = options;
  return async (request, response) => {
    const signature = header(request, 'x-signature-ed25519');
    const timestamp = header(request, 'x-signature-timestamp');
    if (!signature || !timestamp) {
      sendJson(response, 401, { error: 'invalid request signature' });
      return;
    }
    const read = await readBody(request, options.maxBodyBytes ?? MAX_BODY_BYTES);
    if (!read.ok) {
      sendJson(response, read.status, { error: read.status === 413 ? 'request body too large' : 'bad request' }, { connection: 'close' });
      return;
    }
    const problem = checkSignature(publicKey, signature, timestamp, read.body, options.now?.());
    if (problem) {
      logger.warn({ problem }, 'interaction request refused: signature');
      sendJson(response, 401, { error: 'invalid request signature' });
      return;
    }
    let payload: APIInteraction | null;
    try {
      payload = asInteraction(JSON.parse(read.body.toString('utf8')));
    } catch {
      payload = null;
    }
    if (!payload) {
      sendJson(response, 400, { error: 'not an interaction' });
      return;
    }
    if (payload.type === InteractionType.Ping) {
      sendJson(response, 200, { type: InteractionResponseType.Pong });
      return;
    }
    await router.handle(payload, respondInline(response));
    // The router sends nothing for interactions the bot does not serve (say a select menu); the request still needs an answer.
    if (!response.headersSent && !response.destroyed) sendJson(response, 400, { error: 'unsupported interaction' });
  };
}

export interface HttpTransport extends Transport {
  kind: 'http';
  server: HttpServer;
}

/**
 * Serves POST /interactions (and `routes`) on host:port. stop() refuses new interactions politely, waits for those
 * in flight (up to SHUTDOWN_GRACE_MS), then closes the server.
 */
export async function startHttpTransport(options: {
  host?: string;
  port: number;
  publicKey: string;
  /** The REST API the deferred answers are completed through. */
  rest: REST;
  commands: readonly CommandModule[];
  context: BotContext;
  deferAfterMs?: number;
  onInteraction?: (record: InteractionRecord) => void;
  /** Further routes on the same server (the operations endpoints). */
  routes?: Routes;
  maxBodyBytes?: number;
}): Promise<HttpTransport> {
  const { context } = options;
  const router = new InteractionRouter(options.commands, context, {
    rest: options.rest,
    deferAfterMs: options.deferAfterMs,
    onInteraction: options.onInteraction,
  });
  const interactions = interactionsRoute({ publicKey: options.publicKey, router, logger: context.logger, maxBodyBytes: options.maxBodyBytes });
  const server = await startHttpServer({
    host: options.host,
    port: options.port,
    routes: { ...options.routes, 'POST /interactions': interactions },
    logger: context.logger,
  });
  context.logger.info({ port: server.port, commands: options.commands.map((command) => command.definition.name) }, 'interactions endpoint ready');
  let listening = true;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // Not ready from now on (GET /readyz), while the interactions in flight finish.
      listening = false;
      const drained = await router.drain(SHUTDOWN_GRACE_MS);
      if (!drained) context.logger.warn({ inFlight: router.inFlightCount }, 'shutdown grace period over; closing with interactions in flight');
      await server.close();
    })();
    return stopping;
  };
  return { kind: 'http', router, server, isReady: () => listening, stop };
}
