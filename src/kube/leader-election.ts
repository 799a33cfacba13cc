/**
 * Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics and ESO's
 * defaults (reference/eso.md §6.1): lease 15 s, renew deadline 10 s, retry 2 s.
 * - A candidate takes the lease when it has no holder, or when the record it last saw has not
 *   changed for a lease duration (measured on the local clock, as client-go does, so clock skew
 *   between replicas does not matter).
 * - Writes carry the resourceVersion read, so two candidates cannot both win (409 loses).
 * - The leader renews every retry period; if no renewal succeeds within the renew deadline it
 *   stops leading (the manager then exits, as controller-runtime does).
 * - A graceful stop releases the lease (empty holder) so a successor starts at once.
 */
import type { Clock } from '../runtime/clock.ts';
import { sleep } from '../runtime/clock.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { KubeClient } from './client.ts';
import { isConflict } from './errors.ts';
import { Resources, type KubeObject } from './types.ts';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  /** Lease name (ESO: `--leader-election-id`, default `external-secrets-controller`). */
  name: string;
  /** Unique per replica (hostname + random suffix, as controller-runtime does). */
  identity: string;
  clock: Clock;
  logger: Logger;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  random?: () => number;
  /** Called once on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void;
  /** Called once when leadership ends (lost or released). */
  onStoppedLeading(): void;
  /** Called when a different holder is observed. */
  onNewLeader?(identity: string): void;
}

export const LEADER_ELECTION_DEFAULTS = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** client-go's JitterUntil factor for the acquire loop. */
const ACQUIRE_JITTER = 1.2;

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

type Outcome = 'ok' | 'failed' | 'timeout';

export class LeaderElector {
  private readonly stopController = new AbortController();
  private readonly o: Required<Omit<LeaderElectionOptions, 'onNewLeader'>> &
    Pick<LeaderElectionOptions, 'onNewLeader'>;
  private observedKey = '';
  private observedAt = 0;
  private observed: Lease | undefined;
  private leading = false;
  private release = true;
  private loop: Promise<void> | undefined;

  constructor(options: LeaderElectionOptions) {
    this.o = { ...LEADER_ELECTION_DEFAULTS, random: Math.random, ...options };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops campaigning; a leader releases the lease unless `release: false` (a simulated crash). */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.release = options.release ?? true;
    this.stopController.abort();
    await this.loop;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Resolves when the elector has finished (stopped, or lost leadership). */
  async done(): Promise<void> {
    await this.loop;
  }

  private isStopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    if (!(await this.acquire())) return;
    const leadership = new AbortController();
    this.leading = true;
    this.o.logger.info({ lease: this.o.name, identity: this.o.identity }, 'became leader');
    this.o.onStartedLeading(leadership.signal);
    await this.renewLoop();
    this.leading = false;
    leadership.abort();
    if (this.isStopped() && this.release) await this.releaseLease();
    this.o.onStoppedLeading();
  }

  private async acquire(): Promise<boolean> {
    while (!this.isStopped()) {
      if ((await this.tryAcquireOrRenew()) === 'ok') return true;
      const delay = this.o.retryPeriodMs * (1 + this.o.random() * (ACQUIRE_JITTER - 1));
      await sleep(this.o.clock, delay, this.stopController.signal);
    }
    return false;
  }

  private async renewLoop(): Promise<void> {
    let lastRenew = this.o.clock.now();
    while (!this.isStopped()) {
      await sleep(this.o.clock, this.o.retryPeriodMs, this.stopController.signal);
      if (this.isStopped()) return;
      const budget = lastRenew + this.o.renewDeadlineMs - this.o.clock.now();
      const outcome = await this.withDeadline(this.tryAcquireOrRenew(), budget);
      if (outcome === 'ok') lastRenew = this.o.clock.now();
      else if (this.o.clock.now() - lastRenew >= this.o.renewDeadlineMs) {
        this.o.logger.error(
          { lease: this.o.name, identity: this.o.identity },
          'failed to renew the lease within the renew deadline; stepping down',
        );
        return;
      }
    }
  }

  private async withDeadline(attempt: Promise<Outcome>, ms: number): Promise<Outcome> {
    if (ms <= 0) return 'timeout';
    let handle: ReturnType<Clock['setTimeout']> | undefined;
    const timeout = new Promise<Outcome>(
      (resolve) =>
        (handle = this.o.clock.setTimeout(() => {
          resolve('timeout');
        }, ms)),
    );
    const outcome = await Promise.race([attempt, timeout]);
    if (handle !== undefined) this.o.clock.clearTimeout(handle);
    return outcome;
  }

  private async tryAcquireOrRenew(): Promise<Outcome> {
    try {
      const current = await this.o.client.get<Lease>(Resources.Lease, {
        namespace: this.o.namespace,
        name: this.o.name,
      });
      if (!current) return await this.create();
      this.observe(current);
      if (this.heldByOther(current)) return 'failed';
      this.observe(await this.o.client.update(Resources.Lease, this.claimed(current)));
      return 'ok';
    } catch (error) {
      if (!isConflict(error)) this.logFailure(error);
      return 'failed';
    }
  }

  private async create(): Promise<Outcome> {
    const now = microTime(this.o.clock.now());
    const lease: Lease = {
      metadata: { name: this.o.name, namespace: this.o.namespace },
      spec: { ...this.spec(now), acquireTime: now, leaseTransitions: 0 },
    };
    this.observe(await this.o.client.create(Resources.Lease, lease));
    return 'ok';
  }

  private spec(now: string): LeaseSpec {
    return {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.round(this.o.leaseDurationMs / 1000),
      renewTime: now,
    };
  }

  private claimed(current: Lease): Lease {
    const now = microTime(this.o.clock.now());
    const previous = current.spec ?? {};
    const mine = previous.holderIdentity === this.o.identity;
    const transitions = previous.leaseTransitions ?? 0;
    return {
      ...current,
      spec: {
        ...previous,
        ...this.spec(now),
        acquireTime: mine ? (previous.acquireTime ?? now) : now,
        leaseTransitions: mine ? transitions : transitions + 1,
      },
    };
  }

  private heldByOther(lease: Lease): boolean {
    const holder = lease.spec?.holderIdentity;
    if (!holder || holder === this.o.identity) return false;
    const durationMs = (lease.spec?.leaseDurationSeconds ?? this.o.leaseDurationMs / 1000) * 1000;
    return this.observedAt + durationMs > this.o.clock.now();
  }

  /** Remembers when the lease record last changed, by our clock. */
  private observe(lease: Lease): void {
    const spec = lease.spec ?? {};
    const key = JSON.stringify([
      spec.holderIdentity,
      spec.renewTime,
      spec.leaseTransitions,
      spec.leaseDurationSeconds,
    ]);
    this.observed = lease;
    if (key === this.observedKey) return;
    const previousHolder = JSON.parse(this.observedKey || '[null]') as [string | null];
    this.observedKey = key;
    this.observedAt = this.o.clock.now();
    if (spec.holderIdentity && spec.holderIdentity !== previousHolder[0])
      this.o.onNewLeader?.(spec.holderIdentity);
  }

  private async releaseLease(): Promise<void> {
    const lease = this.observed;
    if (lease?.spec?.holderIdentity !== this.o.identity) return;
    const now = microTime(this.o.clock.now());
    const released: Lease = {
      ...lease,
      spec: {
        ...lease.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        renewTime: now,
        acquireTime: now,
      },
    };
    try {
      await this.o.client.update(Resources.Lease, released);
      this.o.logger.info({ lease: this.o.name, identity: this.o.identity }, 'released the lease');
    } catch (error) {
      this.logFailure(error);
    }
  }

  private logFailure(error: unknown): void {
    this.o.logger.warn(
      {
        lease: this.o.name,
        identity: this.o.identity,
        error: error instanceof Error ? error.message : String(error),
      },
      'lease request failed',
    );
  }
}

/** What the Manager needs from leader election; built by `leaderElection()`. */
export interface LeaderElection {
  start(callbacks: { onStartedLeading(): void; onStoppedLeading(): void }): void;
  stop(): Promise<void>;
  isLeader(): boolean;
}

/** Adapts a LeaderElector to the Manager: the Manager supplies the callbacks at start. */
export function leaderElection(
  options: Omit<LeaderElectionOptions, 'onStartedLeading' | 'onStoppedLeading'>,
): LeaderElection {
  let elector: LeaderElector | undefined;
  return {
    start: (callbacks) => {
      elector = new LeaderElector({
        ...options,
        onStartedLeading: () => {
          callbacks.onStartedLeading();
        },
        onStoppedLeading: () => {
          callbacks.onStoppedLeading();
        },
      });
      elector.start();
    },
    stop: async () => {
      await elector?.stop();
    },
    isLeader: () => elector?.isLeader() ?? false,
  };
}
