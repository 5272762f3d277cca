import { describe, expect, it } from 'vitest';
import { MemberRateLimits, MemoryRateLimitCounter, SlidingWindowLimiter, describeRateLimit, parseRateLimit } from '../../src/questions/rate-limit.js';

describe('parseRateLimit', () => {
  it('reads COUNT/WINDOW with a unit, and off', () => {
    expect(parseRateLimit('5/1m')).toEqual({ max: 5, windowMs: 60_000 });
    expect(parseRateLimit('20 / 2h')).toEqual({ max: 20, windowMs: 7_200_000 });
    expect(parseRateLimit('3/s')).toEqual({ max: 3, windowMs: 1000 });
    expect(parseRateLimit('off')).toBeNull();
    expect(parseRateLimit('0')).toBeNull();
  });

  it('rejects anything else with an example', () => {
    expect(() => parseRateLimit('5 per minute')).toThrow(/COUNT\/WINDOW, e.g. 5\/1m/);
    expect(() => parseRateLimit('0/1m')).toThrow(/must be positive/);
  });

  it('describes a limit in words', () => {
    expect(describeRateLimit({ max: 5, windowMs: 60_000 })).toBe('5 times per minute');
    expect(describeRateLimit({ max: 1, windowMs: 600_000 })).toBe('once per 10 minutes');
  });
});

describe('SlidingWindowLimiter', () => {
  it('allows max hits per window per key, then tells how long to wait', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ max: 2, windowMs: 10_000 }, () => now);
    expect(limiter.take('a')).toEqual({ allowed: true });
    now = 4000;
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('b')).toEqual({ allowed: true });
    now = 5000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 5000 });
    // The window slides: the first hit expires at 10 s, the second at 14 s.
    now = 10_001;
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 3999 });
  });

  it('does not count refused hits, so a member who keeps trying is not locked out longer', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ max: 1, windowMs: 1000 }, () => now);
    limiter.take('a');
    for (now = 100; now < 1000; now += 100) expect(limiter.take('a').allowed).toBe(false);
    now = 1000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('never refuses when the limit is off', () => {
    const limiter = new SlidingWindowLimiter(null);
    for (let i = 0; i < 100; i += 1) expect(limiter.take('a').allowed).toBe(true);
  });
});

describe('MemberRateLimits', () => {
  it('gives a clear slow-down reply per action and member', async () => {
    let now = 0;
    const limits = new MemberRateLimits(
      { ask: { max: 2, windowMs: 60_000 }, flag: { max: 1, windowMs: 600_000 }, editorialPosts: null },
      { counter: new MemoryRateLimitCounter(() => now) },
    );
    expect(await limits.check('ask', 'u1')).toBeNull();
    expect(await limits.check('ask', 'u1')).toBeNull();
    now = 15_500;
    expect(await limits.check('ask', 'u1')).toBe('Slow down: you can ask questions 2 times per minute. Try again in 45 s.');
    expect(await limits.check('ask', 'u2')).toBeNull();
    expect(await limits.check('flag', 'u1')).toBeNull();
    expect(await limits.check('flag', 'u1')).toBe('Slow down: you can flag answers once per 10 minutes. Try again in 10 min.');
  });

  it('caps the editors channel posts one member can cause', async () => {
    const limits = new MemberRateLimits({ ask: null, flag: null, editorialPosts: { max: 2, windowMs: 3_600_000 } });
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push(await limits.allowEditorialPost('u1'));
    expect(taken).toEqual([true, true, false]);
    expect(await limits.allowEditorialPost('u2')).toBe(true);
  });

  it('lets the member through when the limit cannot be checked, and says so', async () => {
    const errors: unknown[] = [];
    const broken = { take: () => Promise.reject(new Error('connection terminated')) };
    const limits = new MemberRateLimits(
      { ask: { max: 1, windowMs: 60_000 }, flag: null, editorialPosts: null },
      { counter: broken, onError: (error) => errors.push(error) },
    );
    expect(await limits.check('ask', 'u1')).toBeNull();
    expect(errors).toHaveLength(1);
  });
});
