/**
 * Retry delays for failed reconciles, as ESO builds them (reference/eso.md §2.5,
 * `BuildRateLimiter`): a per-key exponential backoff (1 s doubling to 7 min) combined with a
 * global token bucket (10/s, burst 100); the longer of the two delays wins.
 */
import type { Clock } from './clock.ts';

export interface RateLimiter<K> {
  /** Delay before `key` may be retried; records one more failure for it. */
  when(key: K): number;
  /** Forget a key's failures (after a success). */
  forget(key: K): void;
  /** Failures recorded for `key` since it last succeeded. */
  retries(key: K): number;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** ESO's defaults since v0.14 (#4339): 1 s, doubling, capped at 7 min. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 7 * 60 * 1000 };

/** Per-key exponential backoff: base * 2^failures, capped. */
export class ExponentialBackoff<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long before n is a problem; min() keeps the cap exact.
    return Math.min(this.options.maxMs, this.options.baseMs * 2 ** n);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  retries(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface BucketOptions {
  perSecond: number;
  burst: number;
}

export const DEFAULT_BUCKET: BucketOptions = { perSecond: 10, burst: 100 };

/** A global token bucket: retries beyond the burst are spread at `perSecond`. */
export class TokenBucket<K> implements RateLimiter<K> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly options: BucketOptions = DEFAULT_BUCKET,
  ) {
    this.tokens = options.burst;
    this.last = clock.now();
  }

  when(): number {
    const now = this.clock.now();
    const refill = ((now - this.last) / 1000) * this.options.perSecond;
    this.tokens = Math.min(this.options.burst, this.tokens + refill) - 1;
    this.last = now;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.options.perSecond) * 1000;
  }

  forget(): void {
    // The bucket is global; one key's success returns no tokens.
  }

  retries(): number {
    return 0;
  }
}

/** The longest delay of several limiters (client-go's MaxOfRateLimiter). */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: readonly RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(key: K): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(key)));
  }

  forget(key: K): void {
    for (const l of this.limiters) l.forget(key);
  }

  retries(key: K): number {
    return Math.max(0, ...this.limiters.map((l) => l.retries(key)));
  }
}

/** ESO's controller rate limiter: backoff 1 s → 7 min, max'd with a 10/s burst-100 bucket. */
export function defaultRateLimiter<K>(clock: Clock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(new ExponentialBackoff<K>(), new TokenBucket<K>(clock));
}
