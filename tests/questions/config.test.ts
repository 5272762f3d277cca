import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { TEST_TOKEN } from '../support/bot-harness.js';

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

  it('names the variable that is wrong', () => {
    const attempt = (env: Record<string, string>) => () => parseConfig({ DISCORD_TOKEN: TEST_TOKEN, ...env });
    expect(attempt({ ASK_RATE_LIMIT: '5 a minute' })).toThrow(
      new ConfigError('ASK_RATE_LIMIT', 'ASK_RATE_LIMIT is invalid: "5 a minute" is not a rate limit: write COUNT/WINDOW, e.g. 5/1m, 20/1h, 3/30s, or off'),
    );
    expect(attempt({ NOTIFY_ASKERS: 'email' })).toThrow(/^NOTIFY_ASKERS is invalid/);
    expect(attempt({ EDITORIAL_CHANNEL_ID: '#editors' })).toThrow(/^EDITORIAL_CHANNEL_ID is invalid: expected a Discord id/);
  });
});
