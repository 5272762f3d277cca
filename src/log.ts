/**
 * Logging: pino JSON lines on standard error (standard output stays free for answers and exports), with one
 * error serializer that is safe for Discord's errors. Every logger of the bot, tests included, comes from here.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The `err` serializer: name, message, stack and the HTTP status and Discord error code when there are any. Only
 * these: discord.js REST errors also carry the request URL, which holds the interaction token, and the request
 * body, which holds what members typed, so pino's default (every enumerable property) must not see them.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubSecrets(String(error)) };
  const { status, code } = error as { status?: unknown; code?: unknown };
  return {
    name: error.name,
    message: scrubSecrets(error.message),
    ...(error.stack ? { stack: scrubSecrets(error.stack) } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}

/**
 * Secrets that error messages quote: the password of a URL (`postgres://bot:secret@db/...`, as a driver may echo
 * DATABASE_URL) and the token part of Discord's interaction and webhook URLs (`/interactions/<id>/<token>/callback`,
 * `/webhooks/<application>/<token>/...`: whoever holds it can answer in the bot's name for 15 minutes).
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, '$1:[redacted]@')
    .replace(/\/(interactions|webhooks)\/(\d+)\/[A-Za-z0-9._-]{20,}/g, '/$1/$2/[redacted]');
}

export interface LoggerOptions {
  level?: string;
  /** Lines for humans (pino-pretty, coloured) instead of JSON. */
  pretty?: boolean;
  name?: string;
  /** Where the JSON lines go; standard error by default. Tests pass a stream that keeps them. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    name: options.name ?? 'ask-vixshield',
    level: options.level ?? 'info',
    serializers: { err: serializeError },
    redact: {
      paths: ['token', '*.token', 'discordToken', '*.discordToken', 'databaseUrl', '*.databaseUrl', 'password', '*.password'],
      censor: '[redacted]',
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  return pino(base, pino.destination({ dest: 2, sync: true }));
}
