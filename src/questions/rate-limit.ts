/**
 * Per-member rate limits: a sliding window of recent hits per key, in this process or (with PostgreSQL) in the
 * database the replicas share. In this process, memory stays bounded because a key's old hits are dropped
 * whenever the key is touched, and idle keys are swept once the map grows.
 */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const SWEEP_AT_KEYS = 10_000;

/**
 * Parses "COUNT/WINDOW" as used in the configuration: "5/1m" is 5 per minute, "20/1h", "3/30s". "off" (or "0")
 * disables the limit and returns null.
 */
export function parseRateLimit(text: string): RateLimit | null {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === '0') return null;
  const match = /^(\d+)\s*\/\s*(\d+)?\s*(s|m|h|d)$/.exec(value);
  // Messages never quote the value: the configuration that holds it may hold secrets too.
  if (!match) throw new Error('not a rate limit: write COUNT/WINDOW, e.g. 5/1m, 20/1h, 3/30s, or off');
  const max = Number(match[1]);
  const windowMs = Number(match[2] ?? 1) * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  if (max < 1 || windowMs < 1) throw new Error('not a rate limit: the count and the window must be positive');
  return { max, windowMs };
}

export function describeRateLimit(limit: RateLimit): string {
  const units: Array<[number, string]> = [
    [UNIT_MS.d, 'day'],
    [UNIT_MS.h, 'hour'],
    [UNIT_MS.m, 'minute'],
    [UNIT_MS.s, 'second'],
  ];
  const [unitMs, unit] = units.find(([ms]) => limit.windowMs % ms === 0) ?? [UNIT_MS.s, 'second'];
  const amount = limit.windowMs / unitMs;
  const times = limit.max === 1 ? 'once' : `${limit.max} times`;
  return amount === 1 ? `${times} per ${unit}` : `${times} per ${amount} ${unit}s`;
}

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: RateLimit | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit for `key` if the limit allows it; a refused hit is not counted, so waiting always helps. */
  take(key: string): RateDecision {
    if (!this.limit) return { allowed: true };
    const now = this.now();
    const recent = this.recentHits(key, now);
    if (recent.length >= this.limit.max) {
      return { allowed: false, retryAfterMs: (recent[0] as number) + this.limit.windowMs - now };
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > SWEEP_AT_KEYS) this.sweep(now);
    return { allowed: true };
  }

  private recentHits(key: string, now: number): number[] {
    const windowStart = now - (this.limit as RateLimit).windowMs;
    return (this.hits.get(key) ?? []).filter((at) => at > windowStart);
  }

  private sweep(now: number): void {
    for (const key of [...this.hits.keys()]) {
      if (this.recentHits(key, now).length === 0) this.hits.delete(key);
    }
  }
}

export type LimitedAction = 'ask' | 'flag';

const ACTION_NAMES: Record<LimitedAction, string> = { ask: 'ask questions', flag: 'flag answers' };

export interface MemberRateLimitSettings {
  ask: RateLimit | null;
  flag: RateLimit | null;
  /** New questions a member may cause to be posted in the editors' channel. */
  editorialPosts: RateLimit | null;
}

/**
 * Where hits are counted: in this process (MemoryRateLimitCounter, with the SQLite store) or in the shared
 * database (PostgresQuestionStore.rateLimitCounter), so that a limit holds across replicas.
 */
export interface RateLimitCounter {
  /** Counts a hit for `key` in `scope` if `limit` allows it; a refused hit is not counted. */
  take(scope: string, key: string, limit: RateLimit): Promise<RateDecision>;
}

/** Hits counted in this process: one sliding window per scope. */
export class MemoryRateLimitCounter implements RateLimitCounter {
  private readonly limiters = new Map<string, SlidingWindowLimiter>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(scope: string, key: string, limit: RateLimit): Promise<RateDecision> {
    let limiter = this.limiters.get(scope);
    if (!limiter) this.limiters.set(scope, (limiter = new SlidingWindowLimiter(limit, this.now)));
    return limiter.take(key);
  }
}

export interface MemberRateLimitOptions {
  /** In this process unless given. */
  counter?: RateLimitCounter;
  /** A limit that cannot be checked (the database is down) lets the member through; this hears about it. */
  onError?: (error: unknown) => void;
}

/**
 * The limits a member meets. `/ask` and flags are refused with a "slow down" reply before anything is
 * answered or stored; the editors'-channel cap only stops the post (the question is still stored and listed).
 */
export class MemberRateLimits {
  private readonly counter: RateLimitCounter;

  constructor(
    private readonly settings: MemberRateLimitSettings,
    private readonly options: MemberRateLimitOptions = {},
  ) {
    this.counter = options.counter ?? new MemoryRateLimitCounter();
  }

  /** null when allowed; otherwise the reply for the member. */
  async check(action: LimitedAction, userId: string): Promise<string | null> {
    const limit = this.settings[action];
    const decision = await this.take(action, userId, limit);
    if (decision.allowed) return null;
    return slowDownMessage(action, limit as RateLimit, decision.retryAfterMs);
  }

  async allowEditorialPost(userId: string): Promise<boolean> {
    return (await this.take('editorialPosts', userId, this.settings.editorialPosts)).allowed;
  }

  private async take(scope: LimitedAction | 'editorialPosts', userId: string, limit: RateLimit | null): Promise<RateDecision> {
    if (!limit) return { allowed: true };
    try {
      return await this.counter.take(scope, userId, limit);
    } catch (error) {
      // Answers must not depend on the database being up: an uncheckable limit does not refuse anyone.
      this.options.onError?.(error);
      return { allowed: true };
    }
  }
}

export function slowDownMessage(action: LimitedAction, limit: RateLimit, retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const wait = seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
  return `Slow down: you can ${ACTION_NAMES[action]} ${describeRateLimit(limit)}. Try again in ${wait}.`;
}
