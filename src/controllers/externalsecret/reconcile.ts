/**
 * The ExternalSecret controller's reconcile: the sync core (src/sync) against a Kubernetes Secret,
 * mirroring src/agent/agent.ts with the API server as the target. Writes happen only when
 * something changed: the Secret when its content differs, the status when anything but
 * `refreshTime` differs (the refresh time of an unchanged sync is kept in memory, so an unchanged
 * refresh makes no write request). Periodic refreshes follow a `RefreshPlan` and are paced by the
 * queue (ADR 0013).
 */
import type { AnySecretStore, ExternalSecret, StoreKind } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { Resources, objectKey, type KubeObject, type ObjectRef } from '../../kube/types.ts';
import type { Clock, Logger, ProviderKubeAccess, SecretsClient } from '../../providers/provider.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import type { ReconcileRequest, ReconcileResult } from '../../runtime/manager.ts';
import {
  forgetExternalSecret,
  setExternalSecretCondition,
  type Metrics,
} from '../../telemetry/metrics.ts';
import {
  Coalescer,
  EventText,
  isSecretValid,
  readShareWindowMs,
  refreshIntervalMs,
  refreshTimeMs,
  runSync,
  shouldRefresh,
  syncWriteFailed,
  templateSourceNames,
  type ResolvedStoreRef,
  type SyncEvent,
  type SyncResult,
  type TargetSecret,
  type TemplateEngine,
  type TemplateSources,
} from '../../sync/index.ts';
import { namespaceAllowed, needsNamespaceLabels } from '../conditions.ts';
import { EsoResources } from '../kinds.ts';
import { RefreshMemory } from '../refresh-memory.ts';
import { meanRefreshPeriodMs, RefreshPlan } from '../refresh-plan.ts';
import { isOurs } from '../secretstore/reconcile.ts';
import {
  deleteControlledTarget,
  ensureCleanupFinalizer,
  releaseCleanupFinalizer,
} from './deletion.ts';
import { applyAction, readTarget, type SecretCache, type SecretObject } from './target.ts';

export type ExternalSecretObject = ExternalSecret & KubeObject;

export interface StoreLookup {
  get(kind: StoreKind, namespace: string, name: string): AnySecretStore | undefined;
}

export interface ExternalSecretReconcilerDeps {
  client: KubeClient;
  externalSecrets: { getByRef(ref: ObjectRef): ExternalSecretObject | undefined };
  secrets: SecretCache;
  stores: StoreLookup;
  registry: ProviderRegistry;
  engine: TemplateEngine;
  kube: ProviderKubeAccess;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  fetch: typeof fetch;
  random: () => number;
  /** `--controller-class`: stores naming another controller are not ours. */
  controllerClass?: string;
  /** `--enable-flood-gate` (default true): use a store only once its Ready condition is True. */
  floodGate?: boolean;
  /** ESO's per-ExternalSecret series (sync calls/errors, Ready condition, duration). */
  metrics?: Metrics;
  /**
   * How long one remote read is shared by every ExternalSecret of a namespace asking for the same
   * (store, key, version). Default 1 s: enough to fold a burst (start-up, many objects created
   * together) into one read, short enough that a rotation is never held back noticeably.
   */
  readShareWindowMs?: number;
  /**
   * `--refresh-read-share` (ADR 0015; default 0.1): a periodic refresh may reuse a read another
   * reconcile of the namespace made within this fraction of its refreshInterval (at most 10 min).
   * 0 reads at every refresh, as before.
   */
  refreshReadShare?: number;
  /**
   * Plan and pace periodic refreshes (ADR 0013; default true). `false` keeps ESO's timing:
   * requeue at refreshTime + interval, no spread, no pacing; the benchmarks' ESO model uses it.
   */
  planRefreshes?: boolean;
}

const DEFAULT_READ_SHARE_WINDOW_MS = 1000;
const DEFAULT_REFRESH_READ_SHARE = 0.1;

/** Thrown so the manager retries with backoff; the details are in the status, not here. */
export class SyncFailedError extends Error {}

export class ExternalSecretReconciler {
  private readonly refreshed = new RefreshMemory();
  private readonly plan: RefreshPlan;
  /** Shared across reconciles (not per reconcile), so ExternalSecrets reading one key share it. */
  private readonly reads: Coalescer;
  private readonly refreshReadShare: number;

  constructor(private readonly deps: ExternalSecretReconcilerDeps) {
    this.plan = new RefreshPlan(deps.random);
    this.refreshReadShare = deps.refreshReadShare ?? DEFAULT_REFRESH_READ_SHARE;
    this.reads = new Coalescer({
      ttlMs: deps.readShareWindowMs ?? DEFAULT_READ_SHARE_WINDOW_MS,
      now: () => deps.clock.now(),
    });
  }

  async reconcile(request: ReconcileRequest): Promise<ReconcileResult> {
    const cached = this.deps.externalSecrets.getByRef(request);
    const key = objectKey(request);
    if (!cached) {
      this.forget(key, request);
      return undefined;
    }
    if (this.unmanagedStore(cached)) return undefined;
    if (cached.metadata.deletionTimestamp) return this.finalize(key, request, cached);
    await ensureCleanupFinalizer(this.deps.client, cached);
    const started = this.deps.clock.now();
    const es = this.refreshed.apply(key, cached);
    const namespace = es.metadata.namespace ?? 'default';
    const targetRef = { namespace, name: es.spec.target?.name ?? es.metadata.name ?? '' };
    const existing = await readTarget(this.deps.client, this.deps.secrets, targetRef);
    const deferred = this.deferCatchUp(key, es, existing);
    if (deferred) return deferred;
    const clients = new Map<string, Promise<SecretsClient>>();
    let result;
    const input = {
      clock: this.deps.clock,
      engine: this.deps.engine,
      // No jitter from the sync core: the RefreshPlan spreads periodic refreshes, and the queue
      // jitters any other requeue.
      fetch: { clientFor: this.clientFor(es, clients), coalescer: this.reads },
      templateSources: await this.templateSources(es),
    };
    try {
      result = await runSync(es, existing, {
        ...input,
        refreshDueAtMs: this.plan.dueAt(key),
        refreshReadShare: this.refreshReadShare,
      });
    } finally {
      await closeAll(clients);
    }
    if (result.skipped) return this.planned(key, es, requeueOf(result.requeue));
    const done = await this.finish(key, es, result, {
      ...input,
      es,
      existing,
      fetched: { data: [], dataFrom: [] },
      nowMs: started,
    });
    return this.planned(key, es, done, started);
  }

  /** Whether `es` is refreshed every `interval` (Periodic policy) on a plan. */
  private plans(es: ExternalSecretObject, interval: number): boolean {
    const periodic = (es.spec.refreshPolicy ?? 'Periodic') === 'Periodic' && interval > 0;
    return periodic && this.deps.planRefreshes !== false;
  }

  /**
   * At start-up every ExternalSecret whose refresh time was not written (ADR 0010) looks due,
   * though the previous process refreshed it within the interval. A refresh that is due only
   * because time passed is a periodic one, whichever lane brought the key: it waits for the
   * pacer (ADR 0013) instead of reading the whole store set at once.
   */
  private deferCatchUp(
    key: string,
    es: ExternalSecretObject,
    existing: TargetSecret | undefined,
  ): ReconcileResult | undefined {
    const interval = refreshIntervalMs(es);
    if (!this.plans(es, interval) || this.plan.dueAt(key) !== undefined) return undefined;
    const now = this.deps.clock.now();
    const dueByTimeOnly =
      shouldRefresh(es, now) &&
      !shouldRefresh(es, now, undefined, Number.POSITIVE_INFINITY) &&
      isSecretValid(es, existing);
    if (!dueByTimeOnly) return undefined;
    this.plan.adopt(key, now);
    const lead = readShareWindowMs(es, this.refreshReadShare);
    return { requeueAfter: 1, refreshPeriod: meanRefreshPeriodMs(interval, lead) };
  }

  /**
   * A periodic requeue goes to the planned refresh time and carries the interval, so the queue
   * paces it (ADR 0013). `syncedAt` is set when this reconcile refreshed.
   */
  private planned(
    key: string,
    es: ExternalSecretObject,
    result: ReconcileResult,
    syncedAt?: number,
  ): ReconcileResult {
    const interval = refreshIntervalMs(es);
    if (!this.plans(es, interval) || result?.requeueAfter === undefined) {
      this.plan.forget(key);
      return result;
    }
    const now = this.deps.clock.now();
    // A periodic refresh may reuse a read this much older (ADR 0015): plan it that much early.
    const lead = readShareWindowMs(es, this.refreshReadShare);
    const dueAt =
      syncedAt !== undefined
        ? this.plan.afterSync(key, syncedAt, interval, lead)
        : this.plan.adopt(key, (refreshTimeMs(es) ?? now) + interval - lead);
    // Due but not refreshed (a sync window is closed): the sync core's answer stands.
    if (dueAt <= now) return result;
    return { requeueAfter: dueAt - now, refreshPeriod: meanRefreshPeriodMs(interval, lead) };
  }

  /**
   * An ExternalSecret being deleted: ESO's cleanup (deletion.ts), which runs whether or not our
   * finalizer is still there, then the finalizer goes and so does what we kept about it.
   */
  private async finalize(
    key: string,
    request: ReconcileRequest,
    es: ExternalSecretObject,
  ): Promise<ReconcileResult> {
    const deleted = await deleteControlledTarget(this.deps.client, es);
    if (deleted)
      this.deps.logger.debug(
        { secret: deleted.name, namespace: deleted.namespace },
        'deleted the target Secret of a deleted ExternalSecret (deletionPolicy=Delete)',
      );
    await releaseCleanupFinalizer(this.deps.client, es);
    this.forget(key, request);
    return undefined;
  }

  /** Drops what is kept about a deleted ExternalSecret (remembered refresh, metric series). */
  private forget(key: string, request: ReconcileRequest): void {
    this.refreshed.forget(key);
    this.plan.forget(key);
    const ref = { namespace: request.namespace ?? '', name: request.name };
    if (this.deps.metrics) forgetExternalSecret(this.deps.metrics, ref);
  }

  private async finish(
    key: string,
    es: ExternalSecretObject,
    result: SyncResult,
    input: Parameters<typeof syncWriteFailed>[0],
  ): Promise<ReconcileResult> {
    const ref = { namespace: es.metadata.namespace ?? 'default', name: es.metadata.name ?? '' };
    await this.record(es, result.events);
    const failure = await applyAction(
      this.deps.client,
      ref,
      result,
      () => this.deps.recorder.event(es, 'Normal', 'Deleted', EventText.deletedOrphaned),
      this.deps.secrets,
    );
    let final = result;
    if (failure) {
      final = syncWriteFailed(input, failure);
      await this.record(es, final.events);
    } else {
      await this.record(es, result.onSuccess);
    }
    await this.writeStatus(key, es, final);
    this.observe(ref, final, input.nowMs);
    return requeueOf(final.requeue);
  }

  private observe(ref: { namespace: string; name: string }, result: SyncResult, startMs: number) {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    const ready = result.status.conditions?.find((c) => c.type === 'Ready');
    metrics.externalSecretSyncCalls.inc(ref);
    if (ready?.status === 'False') metrics.externalSecretSyncErrors.inc(ref);
    if (ready && ready.status !== 'Unknown')
      setExternalSecretCondition(metrics, ref, 'Ready', ready.status);
    metrics.externalSecretReconcileDuration.set(ref, (this.deps.clock.now() - startMs) * 1e6);
  }

  /**
   * ESO (`shouldSkipUnmanagedStore`) skips an ExternalSecret when any store it names, in
   * `secretStoreRef` or a `sourceRef.storeRef`, belongs to another controller class.
   */
  private unmanagedStore(es: ExternalSecretObject): boolean {
    const refs = [
      es.spec.secretStoreRef,
      ...(es.spec.data ?? []).map((d) => d.sourceRef?.storeRef),
      ...(es.spec.dataFrom ?? []).map((d) => d.sourceRef?.storeRef),
    ];
    return refs.some((ref) => {
      if (!ref?.name) return false;
      const store = this.deps.stores.get(
        ref.kind ?? 'SecretStore',
        es.metadata.namespace ?? 'default',
        ref.name,
      );
      return store !== undefined && !isOurs(store, this.deps.controllerClass);
    });
  }

  private async writeStatus(
    key: string,
    es: ExternalSecretObject,
    result: SyncResult,
  ): Promise<void> {
    if (!this.refreshed.needsWrite(key, es.status, result.status)) return;
    await this.deps.client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: es.metadata.namespace, name: es.metadata.name ?? '' },
      { status: result.status },
      { subresource: 'status' },
    );
    this.refreshed.forget(key);
  }

  private async record(es: ExternalSecretObject, events: readonly SyncEvent[]): Promise<void> {
    for (const e of events) await this.deps.recorder.event(es, e.type, e.reason, e.message);
  }

  private clientFor(es: ExternalSecretObject, clients: Map<string, Promise<SecretsClient>>) {
    return (ref: ResolvedStoreRef): Promise<SecretsClient> => {
      const id = `${ref.kind}/${ref.name}`;
      let client = clients.get(id);
      if (!client) {
        client = this.openClient(es, ref);
        clients.set(id, client);
      }
      return client;
    };
  }

  private async openClient(
    es: ExternalSecretObject,
    ref: ResolvedStoreRef,
  ): Promise<SecretsClient> {
    const namespace = es.metadata.namespace ?? 'default';
    const store = this.deps.stores.get(ref.kind, namespace, ref.name);
    if (!store) {
      // ESO wraps the API's NotFound text: `could not get SecretStore "x", secretstores… not found`.
      const plural = ref.kind === 'ClusterSecretStore' ? 'clustersecretstores' : 'secretstores';
      throw new Error(
        `could not get ${ref.kind} "${ref.name}", ${plural}.external-secrets.io "${ref.name}" not found`,
      );
    }
    await this.assertUsable(store, namespace);
    const provider = this.deps.registry.forStore(store);
    return provider.newClient(store, {
      namespace,
      kube: this.deps.kube,
      clock: this.deps.clock,
      logger: this.deps.logger,
      fetch: this.deps.fetch,
    });
  }

  /** ESO's `Manager.Get` checks, in its order: class, cluster store conditions, flood gate. */
  private async assertUsable(store: AnySecretStore, namespace: string): Promise<void> {
    const name = store.metadata.name ?? '';
    if (!isOurs(store, this.deps.controllerClass))
      throw new Error('can not reference unmanaged store');
    if (store.kind === 'ClusterSecretStore' && !(await this.namespaceMayUse(store, namespace)))
      throw new Error(
        `using cluster store "${name}" is not allowed from namespace "${namespace}": denied by spec.condition`,
      );
    const ready = store.status?.conditions?.find((c) => c.type === 'Ready');
    if (this.deps.floodGate !== false && ready?.status !== 'True')
      throw new Error(`${store.kind} "${name}" is not ready`);
  }

  private async namespaceMayUse(store: AnySecretStore, namespace: string): Promise<boolean> {
    const conditions = store.spec.conditions;
    if (!needsNamespaceLabels(conditions)) return namespaceAllowed(conditions, namespace, {});
    const ns = await this.deps.client.get(Resources.Namespace, { name: namespace });
    return namespaceAllowed(conditions, namespace, ns?.metadata.labels ?? {});
  }

  private async templateSources(es: ExternalSecretObject): Promise<TemplateSources> {
    const names = templateSourceNames(es.spec.target?.template);
    const namespace = es.metadata.namespace ?? 'default';
    const configMaps = new Map<string, Record<string, string>>();
    const secrets = new Map<string, Map<string, Uint8Array>>();
    for (const name of names.configMaps) {
      const cm = await this.deps.client.get<KubeObject & { data?: Record<string, string> }>(
        Resources.ConfigMap,
        { namespace, name },
      );
      if (cm) configMaps.set(name, cm.data ?? {});
    }
    for (const name of names.secrets) {
      const s = await this.deps.client.get<SecretObject>(Resources.Secret, { namespace, name });
      if (s)
        secrets.set(
          name,
          new Map(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        );
    }
    return { configMaps, secrets };
  }
}

function requeueOf(requeue: SyncResult['requeue']): ReconcileResult {
  if (requeue.kind === 'after') return { requeueAfter: Math.max(requeue.ms, 1) };
  if (requeue.kind === 'backoff') throw new SyncFailedError('sync failed; see the Ready condition');
  return undefined;
}

async function closeAll(clients: Map<string, Promise<SecretsClient>>): Promise<void> {
  for (const c of clients.values()) await c.then((x) => x.close()).catch(() => undefined);
}
