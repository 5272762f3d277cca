/**
 * Getting through to Discord at start, with every failure said plainly: which URL, what went wrong, what to do.
 * Each attempt first asks the REST API for the gateway (GET /gateway/bot, bounded by a timeout, so a silent API
 * is reported in seconds, not after discord.js's 4 x 15 s), then logs in and waits (bounded) for the gateway's
 * READY, so a gateway that accepts the connection and never says hello is reported too. Failed attempts are
 * logged and retried with backoff; a token Discord refuses is a configuration problem and is not retried.
 */
import type { Logger } from 'pino';
import { UsageError } from '../errors.js';

export interface ConnectPolicy {
  /** Attempts before giving up (the process then exits for its supervisor to restart it). */
  attempts: number;
  /** How long one attempt may take: the REST API's answer, then the gateway's READY. */
  timeoutMs: number;
  /** The pause after the first failed attempt; it doubles up to maxRetryMs. */
  firstRetryMs: number;
  maxRetryMs: number;
}

/** About 2.5 minutes of trying (1, 2, 4, 8, 16, then every 30 s) before the process gives up. */
export const DEFAULT_CONNECT_POLICY: ConnectPolicy = { attempts: 10, timeoutMs: 15_000, firstRetryMs: 1_000, maxRetryMs: 30_000 };

/** Discord could not be reached in any attempt; the message says where and why. */
export class DiscordUnreachableError extends Error {}

/** One attempt's failure, worded for the operator. */
class AttemptError extends Error {}

/** The network cause of a failed fetch, as a phrase: "refused the connection (ECONNREFUSED 127.0.0.1:9)". */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `did not answer within ${timeoutMs / 1000} s (it accepts connections, or they hang, but no response comes)`;
  }
  const cause = (error instanceof Error ? error.cause : undefined) as
    (NodeJS.ErrnoException & { hostname?: string; address?: string; port?: number }) | undefined;
  const code = cause?.code;
  if (code === 'ECONNREFUSED')
    return `refused the connection (ECONNREFUSED ${cause?.address ?? ''}${cause?.port ? `:${cause.port}` : ''}): nothing listens there`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `is unknown: the host ${cause?.hostname ?? ''} was not found (${code}); check the name and DNS`;
  if (code) return `is unreachable (${code}${cause?.message ? `: ${cause.message}` : ''})`;
  return `is unreachable (${error instanceof Error ? (cause?.message ?? error.message) : String(error)})`;
}

/**
 * GET {apiUrl}/v10/gateway/bot with the token: proves that the API answers and takes the token. Throws a
 * UsageError for a refused token, an AttemptError for anything worth retrying.
 */
export async function probeDiscordApi(apiUrl: string, token: string, timeoutMs: number): Promise<{ gatewayUrl: string | null }> {
  const url = `${apiUrl}/v10/gateway/bot`;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(url, { headers: { authorization: `Bot ${token}` }, signal });
    body = await response.json().catch(() => null);
  } catch (error) {
    throw new AttemptError(`the Discord API at ${url} ${describeNetworkError(error, timeoutMs)}`, { cause: error });
  }
  if (response.status === 401) {
    throw new UsageError(`Discord refused DISCORD_TOKEN (401 from ${url}): copy the bot token again from the Developer Portal (Bot, Reset Token)`);
  }
  if (!response.ok) throw new AttemptError(`the Discord API at ${url} answered HTTP ${response.status}`);
  const gatewayUrl = typeof (body as { url?: unknown } | null)?.url === 'string' ? (body as { url: string }).url : null;
  return { gatewayUrl };
}

/** The gateway connection under way: resolves once the gateway said READY; `abandon` gives up on it. */
export interface GatewayConnection<T> {
  ready: Promise<T>;
  abandon(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * First the REST API, attempt after attempt with backoff, until it answers; then the gateway, through `open` (one
 * client, which drops a connection that says no HELLO within policy.timeoutMs and reconnects by itself): each
 * timeout without READY is logged as a failed attempt. Gives up after policy.attempts failures of either stage.
 */
export async function connectWithRetries<T>(options: {
  apiUrl: string;
  token: string;
  policy: ConnectPolicy;
  logger: Logger;
  open: () => GatewayConnection<T>;
}): Promise<T> {
  const { apiUrl, token, policy, logger } = options;
  const failed = (attempt: number, failure: string, retryInMs: number | null) =>
    logger.warn(
      { event: 'discord.connect_failed', attempt, attempts: policy.attempts, retryInMs, apiUrl },
      `cannot connect to Discord (attempt ${attempt} of ${policy.attempts}): ${failure}; ${retryInMs === null ? 'the gateway connection is retried' : `retrying in ${retryInMs / 1000} s`}`,
    );
  const giveUp = (failure: string) => {
    logger.error({ event: 'discord.unreachable', attempts: policy.attempts, apiUrl }, `cannot connect to Discord: ${failure}`);
    return new DiscordUnreachableError(
      `cannot connect to Discord after ${policy.attempts} attempt(s): ${failure}. Check DISCORD_API_URL (${apiUrl}), the network and any proxy; the process exits so that its supervisor can restart it`,
    );
  };

  let gatewayUrl: string | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      gatewayUrl = (await probeDiscordApi(apiUrl, token, policy.timeoutMs)).gatewayUrl;
      break;
    } catch (error) {
      if (!(error instanceof AttemptError)) throw error;
      if (attempt >= policy.attempts) throw giveUp(error.message);
      const retryInMs = Math.min(policy.maxRetryMs, policy.firstRetryMs * 2 ** (attempt - 1));
      failed(attempt, error.message, retryInMs);
      await sleep(retryInMs);
    }
  }

  const connection = options.open();
  let settled = false;
  const ready = connection.ready.finally(() => (settled = true));
  for (let attempt = 1; ; attempt++) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), policy.timeoutMs)));
    let outcome: T | 'timeout';
    try {
      outcome = await Promise.race([ready, timedOut]);
    } catch (error) {
      await connection.abandon();
      if (error instanceof UsageError) throw error;
      throw giveUp(`logging in to the Discord gateway${gatewayUrl ? ` at ${gatewayUrl}` : ''} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (outcome !== 'timeout' || settled) return ready;
    const failure = `the Discord gateway${gatewayUrl ? ` at ${gatewayUrl}` : ''} did not complete the handshake (HELLO, IDENTIFY, READY) within ${policy.timeoutMs / 1000} s`;
    if (attempt >= policy.attempts) {
      // Bounded: a client torn down while it waits for HELLO may take its time.
      await Promise.race([connection.abandon(), sleep(1_000)]);
      throw giveUp(failure);
    }
    failed(attempt, failure, null);
  }
}
