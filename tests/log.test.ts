import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets, serializeError } from '../src/log.js';

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
    expect(line?.err).toEqual({
      name: 'DiscordAPIError[10062]',
      message: 'Unknown interaction',
      stack: expect.stringContaining('Unknown interaction'),
      status: 404,
      code: 10062,
    });
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

describe('secrets quoted in error messages', () => {
  it('hides the password of a database URL, in the message and the stack', () => {
    const error = new Error('connect ECONNREFUSED for postgres://bot:s3cr3t-pw@db.internal:5432/questions');
    const serialized = serializeError(error);
    expect(serialized.message).toBe('connect ECONNREFUSED for postgres://bot:[redacted]@db.internal:5432/questions');
    expect(JSON.stringify(serialized)).not.toContain('s3cr3t-pw');
    expect(scrubSecrets('postgresql://user:p%40ss@localhost/test and mysql://a:b@h')).toBe(
      'postgresql://user:[redacted]@localhost/test and mysql://a:[redacted]@h',
    );
    expect(scrubSecrets('postgres://localhost/test')).toBe('postgres://localhost/test');
  });

  it('hides the token of an interaction or webhook URL, keeping the ids', () => {
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpTRUNSRVQ';
    const message = `Request failed: POST /api/v10/interactions/1234567890/${token}/callback and PATCH /webhooks/42/${token}/messages/@original`;
    const [line] = linesOf((logger) => logger.error({ err: new Error(message) }, 'reply failed'));
    expect(JSON.stringify(line)).not.toContain(token);
    expect((line?.err as { message: string }).message).toBe(
      'Request failed: POST /api/v10/interactions/1234567890/[redacted]/callback and PATCH /webhooks/42/[redacted]/messages/@original',
    );
  });

  it('redacts a database URL or password logged as a field', () => {
    const [line] = linesOf((logger) => logger.info({ databaseUrl: 'postgres://bot:pw@db/q', store: { password: 'pw' } }, 'store opened'));
    expect(line?.databaseUrl).toBe('[redacted]');
    expect((line?.store as { password: string }).password).toBe('[redacted]');
  });
});
