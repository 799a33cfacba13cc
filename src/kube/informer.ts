/**
 * List + watch into an in-memory store, built to never go quiet (reference/perf-reliability.md
 * §2.4: KES stalled silently; client-node 1.4 stops its informer on any error):
 * - any error restarts the watch after a jittered backoff; 410 Gone and the periodic relist
 *   start over with a fresh LIST and emit the differences;
 * - the server is asked to end each watch (`timeoutSeconds`), and a watchdog restarts a watch
 *   that has been silent for longer than that (bookmarks count as traffic);
 * - a label selector keeps the cache to the objects we manage.
 */
import type { Clock, TimerHandle } from '../runtime/clock.ts';
import { sleep } from '../runtime/clock.ts';
import { ExponentialBackoff, type BackoffOptions } from '../runtime/rate-limiter.ts';
import { jittered } from '../runtime/queue.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { KubeClient, WatchEvent, WatchHandle } from './client.ts';
import type { KubeStatus } from './errors.ts';
import { ObjectStore } from './store.ts';
import { objectKey, refOf, type KubeObject, type ResourceType } from './types.ts';

export type InformerEvent<T> =
  | { type: 'added'; object: T }
  | { type: 'updated'; object: T; old: T }
  | { type: 'deleted'; object: T };

export type InformerHandler<T> = (event: InformerEvent<T>) => void;

export interface InformerOptions<T extends KubeObject> {
  client: KubeClient;
  type: ResourceType;
  clock: Clock;
  logger: Logger;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Full relist period; default 10 min (±10 %). */
  relistIntervalMs?: number;
  /** Server-side end of each watch; default 5 min (±10 %). */
  watchTimeoutSeconds?: number;
  /** Restart a watch silent this long; default watch timeout + 30 s. */
  idleTimeoutMs?: number;
  /** Restart backoff; default 500 ms doubling to 30 s (±10 %). */
  backoff?: BackoffOptions;
  random?: () => number;
  /** Trim objects before caching (e.g. drop managedFields). */
  transform?: (obj: T) => T;
  /** Called on each restart with its reason (metrics, tests). */
  onRestart?: (reason: RestartReason) => void;
}

export type RestartReason = 'closed' | 'error' | 'gone' | 'idle' | 'relist';

/** How one watch ended. */
type WatchEnd =
  { reason: Exclude<RestartReason, 'error'>; events: number } | { reason: 'error'; error: unknown };

/** Relist after this many watch failures in a row: the resourceVersion may be from another etcd. */
const RELIST_AFTER_FAILURES = 3;

function closeEnd(error: unknown, events: number): WatchEnd {
  if (!error) return { reason: 'closed', events };
  if ((error as { statusCode?: number }).statusCode === 410) return { reason: 'gone', events };
  return { reason: 'error', error };
}

const DEFAULTS = {
  relistIntervalMs: 600_000,
  watchTimeoutSeconds: 300,
  backoff: { baseMs: 500, maxMs: 30_000 },
};

class WatchAttempt {
  events = 0;
  handle: WatchHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private relistTimer: TimerHandle | undefined;
  private settle: ((end: WatchEnd) => void) | undefined;
  readonly ended: Promise<WatchEnd>;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    relistAt: number,
  ) {
    this.ended = new Promise((resolve) => (this.settle = resolve));
    this.relistTimer = clock.setTimeout(() => {
      this.finish({ reason: 'relist', events: this.events });
    }, relistAt - clock.now());
    this.touch();
  }

  touch(): void {
    if (this.idleTimer !== undefined) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.clock.setTimeout(() => {
      this.finish({ reason: 'idle', events: this.events });
    }, this.idleMs);
  }

  finish(end: WatchEnd): void {
    const settle = this.settle;
    if (!settle) return;
    this.settle = undefined;
    for (const timer of [this.idleTimer, this.relistTimer])
      if (timer !== undefined) this.clock.clearTimeout(timer);
    this.handle?.stop();
    settle(end);
  }

  get open(): boolean {
    return this.settle !== undefined;
  }
}

export class Informer<T extends KubeObject> {
  readonly store = new ObjectStore<T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly backoff: ExponentialBackoff<string>;
  private readonly stopController = new AbortController();
  private readonly random: () => number;
  private resourceVersion: string | undefined;
  private relistAt = 0;
  private attempt: WatchAttempt | undefined;
  private loop: Promise<void> | undefined;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private restartCount = 0;

  constructor(private readonly options: InformerOptions<T>) {
    this.backoff = new ExponentialBackoff(options.backoff ?? DEFAULTS.backoff);
    this.random = options.random ?? Math.random;
  }

  /** Registers a handler; events are delivered synchronously, in order. */
  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.attempt?.finish({ reason: 'closed', events: 0 });
    await this.loop;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first successful LIST has filled the store. */
  async waitForSync(): Promise<void> {
    if (this.synced) return;
    await new Promise<void>((resolve) => this.syncWaiters.push(resolve));
  }

  /** Watch restarts since start (any reason). */
  get restarts(): number {
    return this.restartCount;
  }

  private isStopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.isStopped()) {
      const end = await this.cycle();
      if (this.isStopped()) break;
      this.restartCount += 1;
      this.options.onRestart?.(end.reason);
      await this.afterEnd(end);
    }
  }

  /** One LIST (when needed) and one WATCH; never throws. */
  private async cycle(): Promise<WatchEnd> {
    try {
      if (this.resourceVersion === undefined) await this.relist();
      return await this.watchOnce();
    } catch (error) {
      return { reason: 'error', error };
    }
  }

  private async afterEnd(end: WatchEnd): Promise<void> {
    if (end.reason === 'gone' || end.reason === 'relist') this.resourceVersion = undefined;
    const healthy = end.reason !== 'error' && end.events > 0;
    if (healthy || end.reason === 'relist') {
      this.backoff.forget('watch');
      return;
    }
    const delay = jittered(this.backoff.when('watch'), 0.1, this.random);
    if (this.backoff.retries('watch') >= RELIST_AFTER_FAILURES) this.resourceVersion = undefined;
    if (end.reason === 'error') this.logError(end.error, delay);
    await sleep(this.options.clock, delay, this.stopController.signal);
  }

  private logError(error: unknown, delayMs: number): void {
    this.options.logger.warn(
      {
        kind: this.options.type.kind,
        error: error instanceof Error ? error.message : String(error),
        retryInMs: Math.round(delayMs),
      },
      'watch failed; restarting',
    );
  }

  private async relist(): Promise<void> {
    const { client, type, namespace, labelSelector, fieldSelector } = this.options;
    const listed = await client.list<T>(type, { namespace, labelSelector, fieldSelector });
    const seen = new Set<string>();
    for (const raw of listed.items) seen.add(this.apply(raw));
    for (const key of this.store.keys()) {
      if (!seen.has(key)) this.removeKey(key);
    }
    this.resourceVersion = listed.resourceVersion;
    const interval = this.options.relistIntervalMs ?? DEFAULTS.relistIntervalMs;
    this.relistAt = this.options.clock.now() + jittered(interval, 0.1, this.random);
    this.markSynced();
  }

  private async watchOnce(): Promise<WatchEnd> {
    const timeoutSeconds = this.watchTimeoutSeconds();
    const idleMs = this.options.idleTimeoutMs ?? (timeoutSeconds + 30) * 1000;
    const attempt = new WatchAttempt(this.options.clock, idleMs, this.relistAt);
    this.attempt = attempt;
    const { client, type, namespace, labelSelector, fieldSelector } = this.options;
    // Not awaited: a connect that hangs before the response headers must still be caught by the
    // idle timer, which ends the attempt; a late handle is then stopped at once.
    client
      .watch<T>(
        type,
        {
          namespace,
          labelSelector,
          fieldSelector,
          resourceVersion: this.resourceVersion,
          timeoutSeconds,
          allowWatchBookmarks: true,
        },
        {
          onEvent: (event) => {
            if (attempt.open) this.onWatchEvent(attempt, event);
          },
          onClose: (error) => {
            attempt.finish(closeEnd(error, attempt.events));
          },
        },
      )
      .then(
        (handle) => {
          if (attempt.open) attempt.handle = handle;
          else handle.stop();
        },
        (error: unknown) => {
          attempt.finish({ reason: 'error', error });
        },
      );
    return attempt.ended;
  }

  private watchTimeoutSeconds(): number {
    const base = this.options.watchTimeoutSeconds ?? DEFAULTS.watchTimeoutSeconds;
    return Math.max(1, Math.round(jittered(base, 0.1, this.random)));
  }

  private onWatchEvent(attempt: WatchAttempt, event: WatchEvent<T>): void {
    attempt.events += 1;
    attempt.touch();
    if (event.type === 'ERROR') {
      attempt.finish(this.errorEnd(event.object, attempt.events));
      return;
    }
    const rv = event.object.metadata.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'DELETED') this.removeKey(objectKey(refOf(event.object)), event.object);
    else this.apply(event.object);
  }

  private errorEnd(status: KubeStatus, events: number): WatchEnd {
    if (status.code === 410) return { reason: 'gone', events };
    return {
      reason: 'error',
      error: new Error(`watch error: ${status.message ?? status.reason ?? 'unknown'}`),
    };
  }

  /** Stores an object from LIST or WATCH and emits added/updated; returns its key. */
  private apply(raw: T): string {
    raw.apiVersion ??= this.options.type.apiVersion;
    raw.kind ??= this.options.type.kind;
    const obj = this.options.transform ? this.options.transform(raw) : raw;
    const old = this.store.upsert(obj);
    if (!old) this.emit({ type: 'added', object: obj });
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion)
      this.emit({ type: 'updated', object: obj, old });
    return objectKey(refOf(obj));
  }

  private removeKey(key: string, last?: T): void {
    const old = this.store.remove(key);
    const object = last ?? old;
    if (object) this.emit({ type: 'deleted', object });
  }

  private emit(event: InformerEvent<T>): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.options.logger.error(
          {
            kind: this.options.type.kind,
            error: error instanceof Error ? error.message : String(error),
          },
          'informer handler threw',
        );
      }
    }
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const resolve of this.syncWaiters.splice(0)) resolve();
  }
}
