/**
 * Runs informers and controllers: the controller-runtime contract in TypeScript
 * (reference/eso.md §2.5). A Reconciler reads the world and converges it; it returns
 * `{requeueAfter}` to be looked at again (jittered, periodic lane; with `refreshPeriod`, paced
 * instead, see ADR 0013), throws to be retried with backoff, or throws `TerminalError` when only a
 * spec change can help.
 */
import { FerryError } from '../errors.ts';
import type { Informer, InformerEvent } from '../kube/informer.ts';
import { objectKey, parseObjectKey, refOf, type KubeObject } from '../kube/types.ts';
import type { Logger, RuntimeLogger } from '../telemetry/logger.ts';
import { queueMetrics, registerInFlightGauges, type Metrics } from '../telemetry/metrics.ts';
import type { Clock } from './clock.ts';
import { sleep } from './clock.ts';
import { Lane, WorkQueue } from './queue.ts';
import { defaultRateLimiter } from './rate-limiter.ts';

export interface ReconcileRequest {
  namespace?: string;
  name: string;
}

// void: a reconciler that returns nothing means "done, no requeue" (controller-runtime's Result{}).
export type ReconcileResult =
  | {
      requeueAfter?: number;
      /**
       * The object's refresh period (ms), when `requeueAfter` is its next periodic refresh and
       * already spread by the reconciler: the queue paces it and counts the period in the expected
       * refresh rate, and adds no jitter of its own.
       */
      refreshPeriod?: number;
    }
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  | void;

export interface Reconciler {
  reconcile(request: ReconcileRequest): Promise<ReconcileResult>;
}

/** A failure a retry cannot fix (bad spec): logged and counted, not requeued. */
export class TerminalError extends FerryError {}

/** Which requests an informer event should enqueue; default: the object itself. */
export type EventMapper<T> = (event: InformerEvent<T>) => ReconcileRequest[];

export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  /** Workers (`--concurrent`); a key is never reconciled by two at once. */
  concurrency?: number;
  queue?: WorkQueue;
}

interface RuntimeDeps {
  clock: Clock;
  logger: RuntimeLogger;
  metrics?: Metrics;
}

/** Ignores updates that change only status (ESO's `shouldEnqueueExternalSecretUpdate`). */
export function specOrMetadataChanged<T extends KubeObject>(event: InformerEvent<T>): boolean {
  if (event.type !== 'updated') return true;
  const a = event.old.metadata;
  const b = event.object.metadata;
  return (
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    JSON.stringify([a.labels, a.annotations, a.finalizers]) !==
      JSON.stringify([b.labels, b.annotations, b.finalizers])
  );
}

export class Controller {
  readonly queue: WorkQueue;
  private workers: Promise<void>[] = [];
  private active = 0;

  constructor(
    readonly options: ControllerOptions,
    private readonly deps: RuntimeDeps,
  ) {
    const metrics = deps.metrics ? queueMetrics(deps.metrics, options.name) : undefined;
    this.queue =
      options.queue ??
      new WorkQueue({ clock: deps.clock, rateLimiter: defaultRateLimiter(deps.clock), metrics });
    if (deps.metrics) {
      registerInFlightGauges(deps.metrics, options.name, {
        progress: () => this.queue.progress(),
        now: () => deps.clock.now(),
      });
      deps.metrics.maxConcurrentReconciles.set({ controller: options.name }, this.concurrency);
    }
  }

  get concurrency(): number {
    return Math.max(1, this.options.concurrency ?? 1);
  }

  /** Enqueue a request in the changed lane (created/changed objects). */
  enqueue(request: ReconcileRequest, lane: Lane = Lane.Changed): void {
    this.queue.add(objectKey(request), lane);
  }

  /** Feeds an informer's events into this controller's queue. */
  watch<T extends KubeObject>(
    informer: Informer<T>,
    options: { map?: EventMapper<T>; predicate?: (event: InformerEvent<T>) => boolean } = {},
  ): void {
    const map = options.map ?? ((event: InformerEvent<T>) => [refOf(event.object)]);
    informer.on((event) => {
      if (options.predicate && !options.predicate(event)) return;
      for (const request of map(event)) this.enqueue(request);
    });
  }

  /** Starts the workers (idempotent). */
  start(): void {
    if (this.workers.length > 0) return;
    for (let i = 0; i < this.concurrency; i++) this.workers.push(this.work());
  }

  /** Whether workers run (only the leader's do). */
  get running(): boolean {
    return this.workers.length > 0;
  }

  /** Stops taking work and waits up to `timeoutMs` for in-flight reconciles to finish. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.queue.shutDown();
    const drained = Promise.all(this.workers).then(() => true);
    const timedOut = sleep(this.deps.clock, timeoutMs).then(() => false);
    return Promise.race([drained, timedOut]);
  }

  private async work(): Promise<void> {
    for (;;) {
      const item = await this.queue.get();
      if (!item) return;
      await this.process(item.key, item.lane);
    }
  }

  private async process(key: string, lane: Lane): Promise<void> {
    const started = this.deps.clock.now();
    this.setActive(1);
    try {
      const result = await this.options.reconciler.reconcile(parseObjectKey(key));
      this.onSuccess(key, result);
    } catch (error) {
      this.onError(key, lane, error);
    } finally {
      this.setActive(-1);
      this.deps.metrics?.reconcileTime.observe(
        { controller: this.options.name },
        (this.deps.clock.now() - started) / 1000,
      );
      this.queue.done(key);
    }
  }

  private onSuccess(key: string, result: ReconcileResult): void {
    this.queue.forget(key);
    const after = result?.requeueAfter;
    const requeue = after !== undefined && after > 0;
    const period = result?.refreshPeriod;
    // The reconciler's answer is authoritative: it replaces any earlier pending refresh.
    if (requeue)
      this.queue.addAfter(key, after, {
        lane: Lane.Refresh,
        replace: true,
        ...(period !== undefined && period > 0 ? { periodMs: period } : {}),
      });
    else this.queue.untrack(key);
    this.count(requeue ? 'requeue_after' : 'success');
  }

  private onError(key: string, lane: Lane, error: unknown): void {
    const controller = this.options.name;
    const message = error instanceof Error ? error.message : String(error);
    this.deps.metrics?.reconcileErrors.inc({ controller });
    this.count('error');
    if (error instanceof TerminalError) {
      this.queue.forget(key);
      this.queue.untrack(key);
      this.deps.metrics?.terminalReconcileErrors.inc({ controller });
      this.deps.logger.error(
        { controller, key, error: message },
        'reconcile failed; not retrying until the object changes',
      );
      return;
    }
    this.queue.addRateLimited(key, lane);
    this.deps.logger.warn(
      { controller, key, error: message, retries: this.queue.retries(key) },
      'reconcile failed; retrying with backoff',
    );
  }

  private count(result: string): void {
    this.deps.metrics?.reconcileTotal.inc({ controller: this.options.name, result });
  }

  private setActive(delta: number): void {
    this.active += delta;
    this.deps.metrics?.activeWorkers.set({ controller: this.options.name }, this.active);
  }
}

export interface ManagerOptions extends RuntimeDeps {
  /** Wait for leadership before starting workers (informers start at once to warm the cache). */
  leaderElection?: {
    start(callbacks: { onStartedLeading(): void; onStoppedLeading(): void }): void;
    stop(): Promise<void>;
  };
  /** Called when leadership is lost; the operator exits (controller-runtime does the same). */
  onLostLeadership?: () => void;
  /** How long shutdown waits for in-flight reconciles. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** Readiness fails when a queue has work and nothing finished for this long. Default 5 min. */
  stallWindowMs?: number;
}

export interface ManagerHealth {
  synced: boolean;
  leading: boolean;
  stalled: string[];
}

export class Manager {
  private readonly informers: Informer<KubeObject>[] = [];
  private readonly controllers: Controller[] = [];
  private leading = false;
  private stopping = false;

  constructor(private readonly options: ManagerOptions) {}

  addInformer<T extends KubeObject>(informer: Informer<T>): Informer<T> {
    this.informers.push(informer as unknown as Informer<KubeObject>);
    return informer;
  }

  addController(options: ControllerOptions): Controller {
    const logger: Logger = this.options.logger.child({ controller: options.name });
    const controller = new Controller(options, {
      ...this.options,
      logger: logger as RuntimeLogger,
    });
    this.controllers.push(controller);
    return controller;
  }

  /** Starts informers, waits for their first LIST, then starts workers (after winning the lease). */
  async start(): Promise<void> {
    for (const informer of this.informers) informer.start();
    await Promise.all(this.informers.map((i) => i.waitForSync()));
    if (this.stopping) return;
    const election = this.options.leaderElection;
    if (!election) {
      this.startLeading();
      return;
    }
    election.start({
      onStartedLeading: () => {
        this.startLeading();
      },
      onStoppedLeading: () => {
        this.lostLeadership();
      },
    });
  }

  /** Graceful stop: release the lease, drain in-flight reconciles, stop informers. */
  async stop(): Promise<void> {
    this.stopping = true;
    const timeout = this.options.shutdownTimeoutMs ?? 30_000;
    const drained = await Promise.all(this.controllers.map((c) => c.stop(timeout)));
    if (drained.includes(false))
      this.options.logger.warn(
        { timeoutMs: timeout },
        'shutdown timed out with reconciles in flight',
      );
    await this.options.leaderElection?.stop();
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  health(): ManagerHealth {
    return {
      synced: this.informers.every((i) => i.hasSynced()),
      leading: this.leading,
      stalled: this.stalled(),
    };
  }

  /** Controllers with queued or in-flight work and no progress within the stall window. */
  stalled(): string[] {
    const window = this.options.stallWindowMs ?? 300_000;
    const now = this.options.clock.now();
    return this.controllers
      .filter((c) => c.running)
      .filter((c) => {
        const p = c.queue.progress();
        return p.pending + p.inFlight > 0 && now - p.lastProgressAt > window;
      })
      .map((c) => c.options.name);
  }

  private startLeading(): void {
    if (this.stopping) return;
    this.leading = true;
    for (const controller of this.controllers) controller.start();
  }

  private lostLeadership(): void {
    const wasLeading = this.leading;
    this.leading = false;
    if (wasLeading && !this.stopping) {
      this.options.logger.error({}, 'lost leadership');
      this.options.onLostLeadership?.();
    }
  }
}
