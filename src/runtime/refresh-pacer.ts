/**
 * Paces periodic refreshes (reference/perf-reliability.md §5 goal 6, ADR 0013): the queue's
 * paced lane releases keys no faster than `headroom` × the expected mean refresh rate (the sum
 * over tracked keys of 1/period), so refreshes that happen to fall due together are spread
 * instead of reaching a store in one spike. Random jitter alone cannot do this for a large set:
 * its Poisson noise already puts the peak at ~3× the mean at 1,000 keys.
 *
 * Staleness bound: each tracked key waits in the paced lane at most once, so a paced refresh
 * runs late by at most (keys ahead of it) / rate ≤ N / (headroom · Σ 1/periodᵢ), i.e.
 * 0.8 × the harmonic mean of the tracked periods with the default headroom (0.8 × the interval
 * when all intervals are equal), and never more than N / `minPerSecond`. That worst case needs
 * every key to fall due at the same instant; with spread phases the wait is about one release
 * gap (1 / rate).
 */
import type { Clock } from './clock.ts';

export interface PacingOptions {
  /** Release rate over the expected mean refresh rate. Default 1.25: room to catch up. */
  headroom?: number;
  /**
   * Lowest release rate, per second, so a small set is never held back for long: two keys of an
   * hourly pair falling due together wait seconds, not half an hour. Default 0.2 (one per 5 s):
   * low enough to leave the cap in force for 1,000 ExternalSecrets at 1h (0.28 refreshes/s).
   */
  minPerSecond?: number;
  /** Releases allowed back to back after a quiet spell. Default 1: none. */
  burst?: number;
}

const DEFAULT_HEADROOM = 1.25;
const DEFAULT_MIN_PER_SECOND = 0.2;
const DEFAULT_BURST = 1;

/** A token bucket whose rate follows the refresh periods of the keys it tracks. */
export class RefreshPacer {
  private readonly periods = new Map<string, number>();
  /** Σ 1/period over `periods`, in refreshes per ms. */
  private expectedPerMs = 0;
  private tokens: number;
  private updatedAt: number;
  private readonly headroom: number;
  private readonly minPerMs: number;
  private readonly burst: number;

  constructor(
    private readonly clock: Clock,
    options: PacingOptions = {},
  ) {
    this.headroom = options.headroom ?? DEFAULT_HEADROOM;
    this.minPerMs = (options.minPerSecond ?? DEFAULT_MIN_PER_SECOND) / 1000;
    this.burst = Math.max(1, options.burst ?? DEFAULT_BURST);
    this.tokens = this.burst;
    this.updatedAt = clock.now();
  }

  /** Counts `key` as refreshed every `periodMs` (replacing an earlier period). */
  track(key: string, periodMs: number): void {
    if (!(periodMs > 0)) {
      this.untrack(key);
      return;
    }
    this.refill();
    const old = this.periods.get(key);
    if (old !== undefined) this.expectedPerMs -= 1 / old;
    this.periods.set(key, periodMs);
    this.expectedPerMs += 1 / periodMs;
  }

  /** Stops counting `key` (no longer refreshed periodically, or gone). */
  untrack(key: string): void {
    const old = this.periods.get(key);
    if (old === undefined) return;
    this.refill();
    this.periods.delete(key);
    // Recomputed when empty so rounding errors of many additions cannot linger.
    this.expectedPerMs = this.periods.size === 0 ? 0 : this.expectedPerMs - 1 / old;
  }

  /** The release rate now, per second. */
  ratePerSecond(): number {
    return this.ratePerMs() * 1000;
  }

  /** Takes a release if one is available now. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a release is available (0 if one is now). */
  msUntilNext(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.ratePerMs());
  }

  private ratePerMs(): number {
    return Math.max(this.minPerMs, this.headroom * this.expectedPerMs);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerMs());
    this.updatedAt = now;
  }
}
