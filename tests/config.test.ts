import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, MISSING_TOKEN_HELP, parseConfig } from '../src/config.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/paths.js';
import { TEST_TOKEN } from './support/bot-harness.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('explains how to get a token when DISCORD_TOKEN is missing or empty', () => {
    expect(configError({}).message).toBe(MISSING_TOKEN_HELP);
    expect(configError({ DISCORD_TOKEN: '' }).variable).toBe('DISCORD_TOKEN');
  });

  it('names a malformed variable in one line without echoing its value', () => {
    const secret = 'not-a-token-but-secret';
    const error = configError({ DISCORD_TOKEN: secret });
    expect(error.message).toBe('DISCORD_TOKEN is invalid: does not look like a bot token (three dot-separated parts)');
    expect(error.message).not.toContain(secret);
    expect(configError({ DISCORD_TOKEN: TEST_TOKEN, DISCORD_GUILD_ID: 'my-server' }).message).toBe(
      'DISCORD_GUILD_ID is invalid: expected a Discord id (17 to 20 digits)',
    );
    expect(configError({ DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: 'ftp://proxy' }).variable).toBe('DISCORD_API_URL');
    expect(configError({ DISCORD_TOKEN: TEST_TOKEN, LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
  });

  it('lists every bad variable at once, one line each, and echoes none of the values', () => {
    const values = {
      DISCORD_GUILD_ID: 'guild-secret-1',
      LOG_LEVEL: 'loud-secret-2',
      ASK_RATE_LIMIT: 'lots-secret-3',
      NOTIFY_ASKERS: 'email-secret-4',
      KNOWLEDGE_DIR: '/nowhere/knowledge',
    };
    const error = configError({ DISCORD_TOKEN: 'bad-secret-0', ...values });
    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'ASK_RATE_LIMIT',
      'DISCORD_GUILD_ID',
      'DISCORD_TOKEN',
      'KNOWLEDGE_DIR',
      'LOG_LEVEL',
      'NOTIFY_ASKERS',
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('6 problems in the configuration (the environment or .env):');
    expect(lines).toHaveLength(7);
    // A folder path is no secret: which folder was looked for is shown.
    expect(lines).toContain('  KNOWLEDGE_DIR is invalid: folder not found: /nowhere/knowledge');
    expect(error.message).not.toMatch(/secret/);
  });

  it('lists a missing token among other problems in one line', () => {
    const error = configError({ LOG_PRETTY: 'yes' });
    expect(error.message.split('\n')).toEqual([
      '2 problems in the configuration (the environment or .env):',
      expect.stringMatching(/^ {2}DISCORD_TOKEN is not set: get one at https:\/\/discord\.com\/developers\/applications/),
      '  LOG_PRETTY is invalid: expected 0 or 1',
    ]);
  });

  it('defaults to discord.com, global registration, the shipped knowledge and JSON logs; empty values count as unset', () => {
    const config = parseConfig({ DISCORD_TOKEN: TEST_TOKEN, DISCORD_GUILD_ID: '', KNOWLEDGE_DIR: '' });
    expect(config).toMatchObject({
      discordToken: TEST_TOKEN,
      apiUrl: 'https://discord.com/api',
      guildId: undefined,
      knowledgeDir: DEFAULT_KNOWLEDGE_DIR,
      logLevel: 'info',
      logPretty: false,
    });
  });

  it('takes the REST base from DISCORD_API_URL without a trailing slash, and resolves KNOWLEDGE_DIR', () => {
    const config = parseConfig({
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_URL: 'http://127.0.0.1:8080/api/',
      KNOWLEDGE_DIR: path.relative(process.cwd(), DEFAULT_KNOWLEDGE_DIR),
    });
    expect(config.apiUrl).toBe('http://127.0.0.1:8080/api');
    expect(config.knowledgeDir).toBe(DEFAULT_KNOWLEDGE_DIR);
  });
});

describe("the editors' loop configuration", () => {
  it('defaults to no editors channel, no notifications and the documented rate limits', () => {
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, EDITORIAL_CHANNEL_ID: '' })).toMatchObject({
      editorialChannelId: undefined,
      notifyAskers: 'off',
      rateLimits: { ask: { max: 5, windowMs: 60_000 }, flag: { max: 5, windowMs: 600_000 }, editorialPosts: { max: 5, windowMs: 3_600_000 } },
    });
  });

  it('reads the channel, the notification mode and the limits, "off" included', () => {
    const config = parseConfig({
      DISCORD_TOKEN: TEST_TOKEN,
      EDITORIAL_CHANNEL_ID: '1600000000000000001',
      NOTIFY_ASKERS: 'dm',
      ASK_RATE_LIMIT: '20/1h',
      FLAG_RATE_LIMIT: 'off',
      EDITORIAL_POST_LIMIT: '2/30m',
    });
    expect(config).toMatchObject({
      editorialChannelId: '1600000000000000001',
      notifyAskers: 'dm',
      rateLimits: { ask: { max: 20, windowMs: 3_600_000 }, flag: null, editorialPosts: { max: 2, windowMs: 1_800_000 } },
    });
  });

  it('names the variable that is wrong, and what a right value looks like', () => {
    const attempt = (env: Record<string, string>) => () => parseConfig({ DISCORD_TOKEN: TEST_TOKEN, ...env });
    expect(attempt({ ASK_RATE_LIMIT: '5 a minute' })).toThrow(
      'ASK_RATE_LIMIT is invalid: not a rate limit: write COUNT/WINDOW, e.g. 5/1m, 20/1h, 3/30s, or off',
    );
    expect(attempt({ FLAG_RATE_LIMIT: '0/1m' })).toThrow('FLAG_RATE_LIMIT is invalid: not a rate limit: the count and the window must be positive');
    expect(attempt({ NOTIFY_ASKERS: 'email' })).toThrow('NOTIFY_ASKERS is invalid: expected one of off, dm, reply');
    expect(attempt({ EDITORIAL_CHANNEL_ID: '#editors' })).toThrow(/^EDITORIAL_CHANNEL_ID is invalid: expected a Discord id/);
    expect(attempt({ EDITOR_ROLE_ID: '1700000000000000001,@editors' })).toThrow(/^EDITOR_ROLE_ID is invalid: expected a Discord id/);
  });

  it('reads EDITOR_ROLE_ID as one role id or several separated by commas; none by default', () => {
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN }).editorRoleIds).toEqual([]);
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, EDITOR_ROLE_ID: '1700000000000000001' }).editorRoleIds).toEqual(['1700000000000000001']);
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, EDITOR_ROLE_ID: ' 1700000000000000001, 1700000000000000002 ,' }).editorRoleIds).toEqual([
      '1700000000000000001',
      '1700000000000000002',
    ]);
  });
});

describe('the question store configuration', () => {
  it('keeps SQLite in DATA_DIR unless DATABASE_URL names a PostgreSQL database', () => {
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN }).databaseUrl).toBeUndefined();
    const url = 'postgres://bot:s3cret@db.internal:5432/vixshield';
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('refuses another kind of URL without quoting it (it may hold a password)', () => {
    const attempt = () => parseConfig({ DISCORD_TOKEN: TEST_TOKEN, DATABASE_URL: 'mysql://bot:s3cret@db/vix' });
    expect(attempt).toThrow('DATABASE_URL is invalid: expected a PostgreSQL URL: postgres://USER:PASSWORD@HOST:5432/DATABASE');
    expect(attempt).not.toThrow(/s3cret/);
  });
});

describe('the transport configuration', () => {
  const KEY = 'ab'.repeat(32);

  it('defaults to the gateway, port 8080 and no health port', () => {
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, PORT: '', HEALTH_PORT: '' })).toMatchObject({
      interactions: 'gateway',
      port: 8080,
      healthPort: undefined,
      publicKey: undefined,
    });
  });

  it('reads INTERACTIONS=http with its port and public key (lower-cased)', () => {
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, INTERACTIONS: 'http', PORT: '3000', DISCORD_PUBLIC_KEY: KEY.toUpperCase() })).toMatchObject({
      interactions: 'http',
      port: 3000,
      publicKey: KEY,
    });
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, HEALTH_PORT: '9100' }).healthPort).toBe(9100);
  });

  it('serves the operations endpoints on PORT with the gateway when PORT is set (HEALTH_PORT is its older name)', () => {
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, PORT: '9200' })).toMatchObject({ interactions: 'gateway', port: 9200, healthPort: 9200 });
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, PORT: '9200', HEALTH_PORT: '9100' }).healthPort).toBe(9200);
  });

  it('needs DISCORD_PUBLIC_KEY with INTERACTIONS=http, and lists it with the other problems', () => {
    const error = configError({ DISCORD_TOKEN: TEST_TOKEN, INTERACTIONS: 'http', LOG_PRETTY: 'yes' });
    expect(error.problems.map((problem) => problem.variable).sort()).toEqual(['DISCORD_PUBLIC_KEY', 'LOG_PRETTY']);
    expect(error.message).toContain('DISCORD_PUBLIC_KEY is not set: INTERACTIONS=http needs');
  });

  it('names a bad transport, port or key without echoing it', () => {
    const attempt = (env: Record<string, string>) => () => parseConfig({ DISCORD_TOKEN: TEST_TOKEN, ...env });
    expect(attempt({ INTERACTIONS: 'webhook' })).toThrow('INTERACTIONS is invalid: expected gateway or http');
    expect(attempt({ PORT: '80a' })).toThrow('PORT is invalid: expected a port number (0 to 65535)');
    expect(attempt({ PORT: '70000' })).toThrow('PORT is invalid: expected a port number (0 to 65535)');
    expect(attempt({ HEALTH_PORT: '-1' })).toThrow(/^HEALTH_PORT is invalid/);
    const error = configError({ DISCORD_TOKEN: TEST_TOKEN, INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: 'secret-key-123' });
    expect(error.message).toMatch(/^DISCORD_PUBLIC_KEY is invalid: expected the 64 hexadecimal digits/);
    expect(error.message).not.toContain('secret-key-123');
  });

  it('refreshes the learned phrasings every minute unless LEARNED_REFRESH_MS says otherwise (0: never)', () => {
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, LEARNED_REFRESH_MS: '' }).learnedRefreshMs).toBe(60_000);
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, LEARNED_REFRESH_MS: '5000' }).learnedRefreshMs).toBe(5_000);
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, LEARNED_REFRESH_MS: '0' }).learnedRefreshMs).toBe(0);
    expect(() => parseConfig({ DISCORD_TOKEN: TEST_TOKEN, LEARNED_REFRESH_MS: '1m' })).toThrow(
      'LEARNED_REFRESH_MS is invalid: expected a number of milliseconds (0: off)',
    );
  });
});
