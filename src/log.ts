import pino, { type Logger } from 'pino';

/**
 * pino JSON lines on standard error, so standard output stays free for answers and exports.
 * LOG_PRETTY=1 prints them for humans; LOG_LEVEL sets the level.
 */
export function createLogger(options: { level?: string; pretty?: boolean; name?: string } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const pretty = options.pretty ?? process.env.LOG_PRETTY === '1';
  const base = { name: options.name ?? 'ask-vixshield', level, redact: { paths: ['token', '*.token', 'config.discordToken'], censor: '[redacted]' } };
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}
