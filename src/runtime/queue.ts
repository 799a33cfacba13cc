/**
 * The work queue under every controller: client-go's semantics (per-key dedupe, a key is handed
 * to one worker at a time, re-added keys wait until `done`) plus what ESO lacks
 * (reference/perf-reliability.md §1.5): two lanes, so created/changed objects jump ahead of
 * periodic refreshes, and jittered `addAfter`, so equal refresh intervals do not stampede a store.
 * Periodic refreshes that declare their period are paced (refresh-pacer.ts, ADR 0013): they are
 * released no faster than a little above the mean refresh rate. Created/changed keys, retries
 * and unpaced requeues never wait for the pacer.
 */
import type { Clock, TimerHandle } from './clock.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { RefreshPacer, type PacingOptions } from './refresh-pacer.ts';

/** `changed`: created or changed objects, and retries of them. `refresh`: periodic requeues. */
export const Lane = { Changed: 'changed', Refresh: 'refresh' } as const;
export type Lane = (typeof Lane)[keyof typeof Lane];

/** Where a waiting key sits: the two public lanes, plus `paced` (refreshes behind the pacer). */
type Slot = Lane | 'paced';

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
  /** Pacing of periodic refreshes (`addAfter` with `periodMs`); `false` turns it off. */
  pacing?: PacingOptions | false;
}

/** What readiness needs to tell "busy" from "stuck". */
export interface QueueProgress {
  pending: number;
  /** Of `pending`, refreshes held back by the pacer (they leave as time passes, not as work ends). */
  paced?: number;
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

export interface AddAfterOptions {
  lane?: Lane;
  replace?: boolean;
  /**
   * The key's refresh period: the requeue is a periodic refresh, paced, and counted in the
   * expected refresh rate. The caller has already spread its time, so the queue adds no jitter
   * (an early wake-up would spend a release and find nothing due).
   */
  periodMs?: number;
}

export class WorkQueue {
  private readonly lanes: Record<Slot, Set<string>> = {
    changed: new Set(),
    refresh: new Set(),
    paced: new Set(),
  };
  /** Keys waiting to be processed (queued, or re-added while processing) → their slot. */
  private readonly dirty = new Map<string, Slot>();
  private readonly addedAt = new Map<string, number>();
  private readonly processing = new Map<string, number>();
  private readonly delayed = new Map<string, Delayed>();
  private readonly waiters: ((item: QueueItem | undefined) => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly jitter: number;
  private readonly pacer: RefreshPacer | undefined;
  private pacerWake: TimerHandle | undefined;
  private shuttingDown = false;
  private lastProgressAt: number;

  constructor(private readonly options: QueueOptions) {
    this.clock = options.clock;
    this.random = options.random ?? Math.random;
    this.jitter = options.jitter ?? DEFAULT_JITTER;
    if (options.pacing !== false) this.pacer = new RefreshPacer(this.clock, options.pacing);
    this.lastProgressAt = this.clock.now();
  }

  /** Queues `key` now. A key already waiting is not duplicated, but may move up to `changed`. */
  add(key: string, lane: Lane = Lane.Changed): void {
    this.put(key, lane);
  }

  /**
   * Queues `key` after `ms` ± jitter. An earlier pending delay for the key wins unless `replace`.
   * With `periodMs`, see `AddAfterOptions`; without it the key stops counting for the pacer.
   */
  addAfter(key: string, ms: number, options: AddAfterOptions = {}): void {
    const paced = this.pacer !== undefined && options.periodMs !== undefined;
    if (paced) this.pacer.track(key, options.periodMs ?? 0);
    else this.untrack(key);
    const delay = Math.max(0, paced ? ms : jittered(ms, this.jitter, this.random));
    const slot = paced ? 'paced' : (options.lane ?? Lane.Refresh);
    this.schedule(key, delay, slot, options.replace ?? false);
  }

  /** Stops counting `key` in the expected refresh rate (it is no longer refreshed, or gone). */
  untrack(key: string): void {
    this.pacer?.untrack(key);
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
    return this.lanes.changed.size + this.lanes.refresh.size + this.lanes.paced.size;
  }

  /** The pacer's release rate now, per second (undefined without pacing). */
  pacedRatePerSecond(): number | undefined {
    return this.pacer?.ratePerSecond();
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
    if (this.lanes.paced.size > 0) progress.paced = this.lanes.paced.size;
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
    this.disarmPacerWake();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    if (this.processing.size === 0) this.releaseDrainWaiters();
  }

  /** Resolves when no key is in flight (after `shutDown`, when in-flight work has drained). */
  async drained(): Promise<void> {
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  /** `add` for any slot: paced keys come only from `addAfter`. */
  private put(key: string, slot: Slot): void {
    if (this.shuttingDown) return;
    const existing = this.dirty.get(key);
    if (existing !== undefined) {
      if (existing !== Lane.Changed && slot === Lane.Changed) this.promote(key, existing);
      return;
    }
    this.markBusy();
    this.options.metrics?.added(laneOf(slot));
    this.dirty.set(key, slot);
    this.addedAt.set(key, this.clock.now());
    if (!this.processing.has(key)) this.enqueue(key, slot);
  }

  private schedule(key: string, delay: number, slot: Slot, replace: boolean): void {
    if (this.shuttingDown) return;
    if (delay <= 0) {
      this.put(key, slot);
      return;
    }
    const at = this.clock.now() + delay;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at && !replace) return;
    if (pending) this.clock.clearTimeout(pending.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      if (slot === 'paced') this.put(key, slot);
      else this.add(key, slot); // through `add`, which a subclass may override
    }, delay);
    this.delayed.set(key, { at, handle });
  }

  private promote(key: string, from: Slot): void {
    this.dirty.set(key, Lane.Changed);
    if (this.lanes[from].delete(key)) {
      this.reportDepth(from);
      this.enqueue(key, Lane.Changed);
    }
  }

  private enqueue(key: string, slot: Slot): void {
    this.lanes[slot].add(key);
    this.reportDepth(slot);
    this.serveWaiters();
  }

  private serveWaiters(): void {
    while (this.waiters.length > 0) {
      const item = this.pop();
      if (!item) return;
      this.waiters.shift()?.(item);
    }
  }

  /** Changed keys first, then unpaced refreshes and retries, then paced refreshes as released. */
  private pop(): QueueItem | undefined {
    const slot = this.nextSlot();
    if (slot === undefined) return undefined;
    const first = this.lanes[slot].values().next();
    if (first.done === true) return undefined;
    const key = first.value;
    this.lanes[slot].delete(key);
    this.dirty.delete(key);
    const now = this.clock.now();
    this.processing.set(key, now);
    this.options.metrics?.queueLatency((now - (this.addedAt.get(key) ?? now)) / 1000);
    this.addedAt.delete(key);
    this.reportDepth(slot);
    return { key, lane: laneOf(slot) };
  }

  private nextSlot(): Slot | undefined {
    if (this.lanes.changed.size > 0) return Lane.Changed;
    if (this.lanes.refresh.size > 0) return Lane.Refresh;
    if (this.lanes.paced.size === 0 || !this.pacer) return undefined;
    if (this.pacer.tryTake()) return 'paced';
    this.armPacerWake(this.pacer.msUntilNext());
    return undefined;
  }

  /** One timer for the next release; it hands paced keys to whoever waits by then. */
  private armPacerWake(ms: number): void {
    if (this.pacerWake !== undefined || this.shuttingDown) return;
    this.pacerWake = this.clock.setTimeout(
      () => {
        this.pacerWake = undefined;
        this.serveWaiters();
      },
      Math.max(1, ms),
    );
  }

  private disarmPacerWake(): void {
    if (this.pacerWake === undefined) return;
    this.clock.clearTimeout(this.pacerWake);
    this.pacerWake = undefined;
  }

  private markBusy(): void {
    if (this.dirty.size === 0 && this.processing.size === 0) this.lastProgressAt = this.clock.now();
  }

  private reportDepth(slot: Slot): void {
    const lane = laneOf(slot);
    const size =
      lane === Lane.Changed
        ? this.lanes.changed.size
        : this.lanes.refresh.size + this.lanes.paced.size;
    this.options.metrics?.depth(lane, size);
  }

  private releaseDrainWaiters(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}

/** Paced refreshes are periodic refreshes to everyone outside the queue. */
function laneOf(slot: Slot): Lane {
  return slot === 'paced' ? Lane.Refresh : slot;
}
