/**
 * A small local Discord for end-to-end tests: the REST routes and the gateway WebSocket the bot uses, on
 * 127.0.0.1. The real discord.js client connects to it through DISCORD_API_URL (`apiUrl`), so tests exercise the
 * bot exactly as it runs, without touching discord.com.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const APPLICATION_ID = '1100000000000000001';
export const BOT_USER_ID = APPLICATION_ID;

export interface RecordedRequest {
  method: string;
  /** Path without the /api/v10 prefix, e.g. /interactions/1/abc/callback. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (null when there is none). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions reach into Discord payloads
  headers: http.IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

interface Waiter {
  match: (request: RecordedRequest) => boolean;
  resolve: (request: RecordedRequest) => void;
}

const API_PREFIX = '/api/v10';

let snowflakeCounter = 0n;
/** Unique, time-ordered Discord ids. */
export function snowflake(): string {
  return String(((BigInt(Date.now()) - 1420070400000n) << 22n) | (snowflakeCounter++ & 0xfffn));
}

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Commands stored by PUT, by route ("global" or the guild id). */
  readonly registeredCommands = new Map<string, unknown[]>();
  /** The IDENTIFY payloads received (token, intents). */
  readonly identifies: Array<{ token: string; intents: number }> = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly waiters = new Set<Waiter>();
  private readonly identifyWaiters: Array<() => void> = [];
  private readonly holds: Array<{ match: (request: RecordedRequest) => boolean; held: Array<() => void> }> = [];
  private sequence = 0;
  /** The next this-many gateway connections are accepted and then left silent: no HELLO, as a stuck gateway. */
  silentGatewayConnections = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly gateway: WebSocketServer,
  ) {}

  static async start(): Promise<FakeDiscord> {
    const server = http.createServer();
    const gateway = new WebSocketServer({ noServer: true });
    const fake = new FakeDiscord(server, gateway);
    server.on('request', (request, response) => fake.onRequest(request, response));
    server.on('upgrade', (request, socket, head) => gateway.handleUpgrade(request, socket, head, (ws) => fake.onGatewayConnection(ws)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  private get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What DISCORD_API_URL is set to. */
  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  get connectedClients(): number {
    return this.sockets.size;
  }

  /** Resolves once a client has identified on the gateway. */
  waitForIdentify(): Promise<void> {
    if (this.identifies.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.identifyWaiters.push(resolve));
  }

  /** Sends an INTERACTION_CREATE to every connected client; returns when it was handed to the socket. */
  dispatchInteraction(interaction: object): number {
    return this.dispatch('INTERACTION_CREATE', interaction);
  }

  dispatch(event: string, data: object): number {
    const payload = JSON.stringify({ op: 0, t: event, s: ++this.sequence, d: data });
    for (const socket of this.sockets) socket.send(payload);
    return performance.now();
  }

  /** The next request (already received or still to come) that matches. */
  waitForRequest(match: (request: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching request to the fake Discord within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (request) => {
          clearTimeout(timer);
          resolve(request);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** The interaction callback (the first response) of one interaction. */
  waitForCallback(interactionId: string, timeoutMs?: number): Promise<RecordedRequest> {
    return this.waitForRequest((request) => request.method === 'POST' && request.path.startsWith(`/interactions/${interactionId}/`), timeoutMs);
  }

  /** Requests to the interaction's webhook (edits of the original, follow-ups), in order. */
  webhookRequests(token: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path.startsWith(`/webhooks/${APPLICATION_ID}/${token}`));
  }

  /**
   * Leaves matching requests unanswered (recorded, as the network would have delivered them) until the returned
   * function is called: a slow Discord, for shutdown tests.
   */
  hold(match: (request: RecordedRequest) => boolean): () => void {
    const hold = { match, held: [] as Array<() => void> };
    this.holds.push(hold);
    return () => {
      this.holds.splice(this.holds.indexOf(hold), 1);
      for (const answer of hold.held.splice(0)) answer();
    };
  }

  /** Closes the gateway connection and the server. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onGatewayConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    if (this.silentGatewayConnections > 0) {
      this.silentGatewayConnections--;
      return;
    }
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { op: number; d: { token: string; intents: number } };
      if (message.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (message.op === 2) {
        this.identifies.push({ token: message.d.token, intents: message.d.intents });
        socket.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: ++this.sequence,
            d: {
              v: 10,
              user: { id: BOT_USER_ID, username: 'Ask VixShield', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
              guilds: [],
              session_id: 'fake-session',
              resume_gateway_url: this.origin.replace('http', 'ws'),
              shard: [0, 1],
              application: { id: APPLICATION_ID, flags: 0 },
            },
          }),
        );
        for (const resolve of this.identifyWaiters.splice(0)) resolve();
      }
    });
  }

  private onRequest(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', this.origin);
      // discord.js encodes the "@" of @original.
      const pathname = decodeURIComponent(url.pathname);
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname,
        query: url.searchParams,
        body: text && request.headers['content-type']?.includes('json') ? JSON.parse(text) : null,
        headers: request.headers,
        at: performance.now(),
      };
      this.requests.push(recorded);
      const answer = () => {
        const [status, body] = this.route(recorded);
        response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        response.end(body === undefined ? undefined : JSON.stringify(body));
      };
      const hold = this.holds.find((candidate) => candidate.match(recorded));
      if (hold) hold.held.push(answer);
      else answer();
      for (const waiter of this.waiters) {
        if (waiter.match(recorded)) {
          this.waiters.delete(waiter);
          waiter.resolve(recorded);
        }
      }
    });
  }

  private route(request: RecordedRequest): [number, unknown?] {
    const { method, path } = request;
    let match: RegExpMatchArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return [
        200,
        {
          url: this.origin.replace('http', 'ws'),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        },
      ];
    }
    if (method === 'GET' && path === '/applications/@me') {
      return [200, { id: APPLICATION_ID, name: 'Ask VixShield', description: '', bot_public: false, bot_require_code_grant: false, flags: 0 }];
    }
    if (method === 'PUT' && (match = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      const commands = (request.body as Array<Record<string, unknown>>).map((command) => ({
        ...command,
        id: snowflake(),
        application_id: match![1],
        ...(match![2] ? { guild_id: match![2] } : {}),
        version: snowflake(),
      }));
      this.registeredCommands.set(match[2] ?? 'global', commands);
      return [200, commands];
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return [204];
    if ((match = path.match(/^\/webhooks\/\d+\/([^/]+)(\/messages\/@original)?$/))) {
      if (method === 'DELETE') return [204];
      if (method === 'PATCH' || method === 'POST') return [200, discordMessage(request.body)];
    }
    if (method === 'POST' && (match = path.match(/^\/channels\/(\d+)\/messages$/))) return [200, discordMessage(request.body, match[1])];
    if (method === 'PATCH' && (match = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      return [200, { ...discordMessage(request.body, match[1]), id: match[2], edited_timestamp: new Date().toISOString() }];
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipientId = String((request.body as { recipient_id: string }).recipient_id);
      return [
        200,
        {
          id: snowflake(),
          type: 1,
          last_message_id: null,
          recipients: [{ id: recipientId, username: 'member', discriminator: '0', global_name: null, avatar: null }],
        },
      ];
    }
    return [404, { message: 'Unknown route in the fake Discord', code: 0 }];
  }
}

/** A message object as Discord returns it (after a send or an edit, or inside a component interaction). */
export function discordMessage(fields: Record<string, unknown> | null, channelId = '1300000000000000001'): Record<string, unknown> {
  return {
    id: snowflake(),
    type: 0,
    channel_id: channelId,
    author: { id: BOT_USER_ID, username: 'Ask VixShield', discriminator: '0', global_name: null, avatar: null, bot: true },
    content: '',
    embeds: [],
    components: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: 0,
    ...fields,
  };
}
