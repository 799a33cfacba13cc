/**
 * The work queue under every controller: client-go's semantics (per-key dedupe, a key is handed
 * to one worker at a time, re-added keys wait until `done`) plus what ESO lacks
 * (reference/perf-reliability.md §1.5): two lanes, so created/changed objects jump ahead of
 * periodic refreshes, and jittered `addAfter`, so equal refresh intervals do not stampede a store.
 */
import type { Clock, TimerHandle } from './clock.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** `changed`: created or changed objects, and retries of them. `refresh`: periodic requeues. */
export const Lane = { Changed: 'changed', Refresh: 'refresh' } as const;
export type Lane = (typeof Lane)[keyof typeof Lane];

export interface QueueItem {
  key: string;
  lane: Lane;
}

/** Hooks the metrics layer implements (controller-runtime's workqueue_* series). */
export interface QueueMetrics {
  added(lane: Lane): void;
  depth(lane: Lane, n: number): void;
  queueLatency(seconds: number): void;
  workDuration(seconds: number): void;
  retried(): void;
}

export interface QueueOptions {
  clock: Clock;
  rateLimiter: RateLimiter<string>;
  /** Uniform [0, 1); injected so jitter bounds are testable. */
  random?: () => number;
  /** Fraction of spread for `addAfter`: 0.1 means ±10 %. */
  jitter?: number;
  metrics?: QueueMetrics;
}

/** What readiness needs to tell "busy" from "stuck". */
export interface QueueProgress {
  pending: number;
  inFlight: number;
  /** Last time a key finished, or the queue turned busy from idle. */
  lastProgressAt: number;
  /** Start time of the oldest reconcile still running, if any. */
  oldestInFlightSince?: number;
}

interface Delayed {
  at: number;
  handle: TimerHandle;
}

const DEFAULT_JITTER = 0.1;

/** A spread of ±`fraction` around `ms` from one uniform draw. */
export function jittered(ms: number, fraction: number, random: () => number): number {
  return ms * (1 + fraction * (2 * random() - 1));
}

export class WorkQueue {
  private readonly lanes: Record<Lane, Set<string>> = { changed: new Set(), refresh: new Set() };
  /** Keys waiting to be processed (queued, or re-added while processing) → their lane. */
  private readonly dirty = new Map<string, Lane>();
  private readonly addedAt = new Map<string, number>();
  private readonly processing = new Map<string, number>();
  private readonly delayed = new Map<string, Delayed>();
  private readonly waiters: ((item: QueueItem | undefined) => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly jitter: number;
  private shuttingDown = false;
  private lastProgressAt: number;

  constructor(private readonly options: QueueOptions) {
    this.clock = options.clock;
    this.random = options.random ?? Math.random;
    this.jitter = options.jitter ?? DEFAULT_JITTER;
    this.lastProgressAt = this.clock.now();
  }

  /** Queues `key` now. A key already waiting is not duplicated, but may move up to `changed`. */
  add(key: string, lane: Lane = Lane.Changed): void {
    if (this.shuttingDown) return;
    const existing = this.dirty.get(key);
    if (existing !== undefined) {
      if (existing === Lane.Refresh && lane === Lane.Changed) this.promote(key);
      return;
    }
    this.markBusy();
    this.options.metrics?.added(lane);
    this.dirty.set(key, lane);
    this.addedAt.set(key, this.clock.now());
    if (!this.processing.has(key)) this.enqueue(key, lane);
  }

  /** Queues `key` after `ms` ± jitter. An earlier pending delay for the key wins unless `replace`. */
  addAfter(key: string, ms: number, options: { lane?: Lane; replace?: boolean } = {}): void {
    const delay = Math.max(0, jittered(ms, this.jitter, this.random));
    this.schedule(key, delay, options.lane ?? Lane.Refresh, options.replace ?? false);
  }

  /** Queues `key` after its backoff delay (exact, no jitter) and counts a retry. */
  addRateLimited(key: string, lane: Lane = Lane.Changed): void {
    this.options.metrics?.retried();
    this.schedule(key, this.options.rateLimiter.when(key), lane, false);
  }

  /** Clears the backoff of `key` (call after a successful reconcile). */
  forget(key: string): void {
    this.options.rateLimiter.forget(key);
  }

  retries(key: string): number {
    return this.options.rateLimiter.retries(key);
  }

  /** Drops a pending delayed add of `key` (e.g. the object was deleted). */
  cancelDelayed(key: string): void {
    const pending = this.delayed.get(key);
    if (!pending) return;
    this.clock.clearTimeout(pending.handle);
    this.delayed.delete(key);
  }

  /** The next key to process, marked in-flight; `undefined` once the queue shuts down. */
  async get(): Promise<QueueItem | undefined> {
    const item = this.pop();
    if (item || this.shuttingDown) return item;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` finished; if it was re-added meanwhile, it goes back in line now. */
  done(key: string): void {
    const started = this.processing.get(key);
    if (started === undefined) return;
    this.processing.delete(key);
    this.lastProgressAt = this.clock.now();
    this.options.metrics?.workDuration((this.lastProgressAt - started) / 1000);
    const lane = this.dirty.get(key);
    if (lane !== undefined && !this.shuttingDown) this.enqueue(key, lane);
    if (this.processing.size === 0) this.releaseDrainWaiters();
  }

  /** Keys waiting (not counting in-flight ones). */
  len(): number {
    return this.lanes.changed.size + this.lanes.refresh.size;
  }

  /** Keys whose delayed add is pending. */
  delayedCount(): number {
    return this.delayed.size;
  }

  progress(): QueueProgress {
    const starts = [...this.processing.values()];
    const progress: QueueProgress = {
      pending: this.len(),
      inFlight: this.processing.size,
      lastProgressAt: this.lastProgressAt,
    };
    if (starts.length > 0) progress.oldestInFlightSince = Math.min(...starts);
    return progress;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops handing out work: waiting `get`s resolve `undefined`; pending delays are dropped. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const pending of this.delayed.values()) this.clock.clearTimeout(pending.handle);
    this.delayed.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    if (this.processing.size === 0) this.releaseDrainWaiters();
  }

  /** Resolves when no key is in flight (after `shutDown`, when in-flight work has drained). */
  async drained(): Promise<void> {
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private schedule(key: string, delay: number, lane: Lane, replace: boolean): void {
    if (this.shuttingDown) return;
    if (delay <= 0) {
      this.add(key, lane);
      return;
    }
    const at = this.clock.now() + delay;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at && !replace) return;
    if (pending) this.clock.clearTimeout(pending.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key, lane);
    }, delay);
    this.delayed.set(key, { at, handle });
  }

  private promote(key: string): void {
    this.dirty.set(key, Lane.Changed);
    if (this.lanes.refresh.delete(key)) this.enqueue(key, Lane.Changed);
  }

  private enqueue(key: string, lane: Lane): void {
    this.lanes[lane].add(key);
    this.reportDepth(lane);
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.pop());
  }

  private pop(): QueueItem | undefined {
    const lane = this.lanes.changed.size > 0 ? Lane.Changed : Lane.Refresh;
    const first = this.lanes[lane].values().next();
    if (first.done === true) return undefined;
    const key = first.value;
    this.lanes[lane].delete(key);
    this.dirty.delete(key);
    const now = this.clock.now();
    this.processing.set(key, now);
    this.options.metrics?.queueLatency((now - (this.addedAt.get(key) ?? now)) / 1000);
    this.addedAt.delete(key);
    this.reportDepth(lane);
    return { key, lane };
  }

  private markBusy(): void {
    if (this.dirty.size === 0 && this.processing.size === 0) this.lastProgressAt = this.clock.now();
  }

  private reportDepth(lane: Lane): void {
    this.options.metrics?.depth(lane, this.lanes[lane].size);
  }

  private releaseDrainWaiters(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
