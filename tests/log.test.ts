import { describe, expect, it } from 'vitest';
import { createLogger, serializeError } from '../src/log.js';

/** Shaped like discord.js's DiscordAPIError: the request URL carries the interaction token, the body what a member typed. */
class FakeApiError extends Error {
  override name = 'DiscordAPIError[10062]';
  readonly status = 404;
  readonly code = 10062;
  readonly url = 'https://discord.com/api/v10/interactions/1/SECRET-INTERACTION-TOKEN/callback';
  readonly requestBody = { json: { content: 'what a member typed' } };
}

function linesOf(log: (logger: ReturnType<typeof createLogger>) => void): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  log(createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } }));
  return lines;
}

describe('the err serializer', () => {
  it('keeps name, message, stack, status and code, and never the request URL or body', () => {
    const [line] = linesOf((logger) => logger.error({ err: new FakeApiError('Unknown interaction') }, 'interaction failed'));
    expect(line?.err).toEqual({ name: 'DiscordAPIError[10062]', message: 'Unknown interaction', stack: expect.stringContaining('Unknown interaction'), status: 404, code: 10062 });
    expect(JSON.stringify(line)).not.toContain('SECRET-INTERACTION-TOKEN');
    expect(JSON.stringify(line)).not.toContain('what a member typed');
  });

  it('turns a thrown non-Error into a message', () => {
    expect(serializeError('disk full')).toEqual({ message: 'disk full' });
  });

  it('redacts a token logged by mistake', () => {
    const [line] = linesOf((logger) => logger.info({ token: 'abc.def.ghi' }, 'oops'));
    expect(line?.token).toBe('[redacted]');
  });
});
