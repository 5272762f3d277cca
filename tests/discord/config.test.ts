import { describe, expect, it } from 'vitest';
import { ConfigError, MISSING_TOKEN_HELP, parseConfig } from '../../src/config.js';
import { TEST_TOKEN } from '../support/bot-harness.js';

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

  it('defaults to discord.com, global registration and JSON logs; empty values count as unset', () => {
    const config = parseConfig({ DISCORD_TOKEN: TEST_TOKEN, DISCORD_GUILD_ID: '' });
    expect(config).toMatchObject({ discordToken: TEST_TOKEN, apiUrl: 'https://discord.com/api', guildId: undefined, logLevel: 'info', logPretty: false });
  });

  it('takes the REST base from DISCORD_API_URL without a trailing slash', () => {
    expect(parseConfig({ DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: 'http://127.0.0.1:8080/api/' }).apiUrl).toBe('http://127.0.0.1:8080/api');
  });
});
