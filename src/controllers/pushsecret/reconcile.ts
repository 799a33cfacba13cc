/**
 * The PushSecret controller (external-secrets.io/v1alpha1; ESO
 * `pkg/controllers/pushsecret/pushsecret_controller.go`, eso.md §1.5, §2.8): pushes the source
 * Secret's keys to the referenced stores, keeps `status.syncedPushSecrets`, and with
 * `deletionPolicy: Delete` removes remote secrets whose entries left the spec, or all of them
 * when the PushSecret goes (finalizer `pushsecret.externalsecrets.io/finalizer`).
 *
 * Level-based and quiet: the status is written only when something other than `refreshTime`
 * changed (ADR 0010; the refresh time of an unchanged push is kept in memory), and an event is
 * recorded only with a status change, so a steady PushSecret costs no API writes.
 */
import type { PushSecret, PushSecretStatus } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { hasFinalizer, setFinalizer } from '../../kube/finalizers.ts';
import { objectKey, type KubeObject, type ObjectRef } from '../../kube/types.ts';
import type { Clock, Logger, ProviderKubeAccess } from '../../providers/provider.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import {
  TerminalError,
  type ReconcileRequest,
  type ReconcileResult,
} from '../../runtime/manager.ts';
import { messageOf } from '../../sync/errors.ts';
import { syncedResourceVersion, type TemplateEngine } from '../../sync/index.ts';
import { redactorFor, type Redactor } from '../../sync/redact.ts';
import { formatTime } from '../../sync/status.ts';
import { parseGoDuration } from '../../api/duration.ts';
import { EsoResources } from '../kinds.ts';
import { RefreshMemory } from '../refresh-memory.ts';
import { isOurs } from '../secretstore/reconcile.ts';
import { PushSpecError, validateDataToMatchesStores, validateDataToStoreRefs } from './entries.ts';
import type { PushMetrics } from './metrics.ts';
import { deleteDropped, ProviderStepError, pushToProviders } from './push.ts';
import {
  applyTemplate,
  readSources,
  readTemplateSources,
  SourceNotFoundError,
  TemplateFailedError,
  UnsupportedSourceError,
  type SourceSecret,
} from './source.ts';
import { mergePatchOf, PushMessage, PushReason, withReady, type SyncedMap } from './status.ts';
import {
  belongsToAnotherController,
  resolveStores,
  StoreClients,
  type StoreCatalog,
} from './stores.ts';

export type PushSecretObject = PushSecret & KubeObject;

export const PUSH_SECRET_FINALIZER = 'pushsecret.externalsecrets.io/finalizer';

/** ESO's PushSecret RequeueInterval when `spec.refreshInterval` is absent. */
const DEFAULT_REFRESH_MS = 3_600_000;
/** ESO adds 5 s to the remaining interval of a skipped refresh. */
const SKIP_SLACK_MS = 5_000;

export interface PushSecretReconcilerDeps {
  client: KubeClient;
  pushSecrets: { getByRef(ref: ObjectRef): PushSecretObject | undefined };
  stores: StoreCatalog;
  registry: ProviderRegistry;
  engine: TemplateEngine;
  kube: ProviderKubeAccess;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  fetch: typeof fetch;
  /** `--controller-class`: stores naming another controller are not pushed to. */
  controllerClass?: string;
  /** ESO's `pushsecret_status_condition` and `pushsecret_reconcile_duration`. */
  metrics?: PushMetrics;
}

/** Thrown so the manager retries with backoff; the details are in the status. */
export class PushFailedError extends Error {}

interface Failure {
  message: string;
  synced?: SyncedMap | undefined;
  /** Only an edit of the PushSecret can fix it: no retry until it changes. */
  terminal: boolean;
}

function failureOf(error: unknown, old: SyncedMap | undefined): Failure {
  if (error instanceof ProviderStepError)
    return { message: error.message, synced: error.synced, terminal: false };
  if (error instanceof SourceNotFoundError)
    return { message: PushMessage.getSource, terminal: false };
  const terminal =
    error instanceof PushSpecError ||
    error instanceof UnsupportedSourceError ||
    error instanceof TemplateFailedError;
  return { message: messageOf(error), synced: old, terminal };
}

function refreshIntervalMs(ps: PushSecret): number {
  const text = ps.spec.refreshInterval;
  if (text === undefined) return DEFAULT_REFRESH_MS;
  try {
    return parseGoDuration(text);
  } catch {
    return DEFAULT_REFRESH_MS;
  }
}

export class PushSecretReconciler {
  private readonly refreshed = new RefreshMemory();

  constructor(private readonly deps: PushSecretReconcilerDeps) {}

  async reconcile(request: ReconcileRequest): Promise<ReconcileResult> {
    const key = objectKey(request);
    const cached = this.deps.pushSecrets.getByRef(request);
    if (!cached) {
      this.refreshed.forget(key);
      this.deps.metrics?.forget(request);
      return undefined;
    }
    if (belongsToAnotherController(cached, this.deps.stores, this.deps.controllerClass))
      return undefined;
    const started = this.deps.clock.now();
    const ps = this.refreshed.apply(key, cached);
    const clients = new StoreClients(
      { ...this.deps, catalog: this.deps.stores },
      ps.metadata.namespace ?? 'default',
    );
    try {
      if (ps.metadata.deletionTimestamp) return await this.finalize(ps, clients);
      const current = await this.manageFinalizer(ps);
      return await this.refresh(key, current, clients);
    } finally {
      await clients.close();
      this.deps.metrics?.duration(request, (this.deps.clock.now() - started) * 1e6);
    }
  }

  /** Adds the finalizer for deletionPolicy=Delete, removes it otherwise (ESO's switch). */
  private async manageFinalizer(ps: PushSecretObject): Promise<PushSecretObject> {
    const wanted = ps.spec.deletionPolicy === 'Delete';
    if (hasFinalizer(ps, PUSH_SECRET_FINALIZER) === wanted) return ps;
    await setFinalizer(this.deps.client, EsoResources.PushSecret, ps, {
      finalizer: PUSH_SECRET_FINALIZER,
      wanted,
    });
    const others = (ps.metadata.finalizers ?? []).filter((f) => f !== PUSH_SECRET_FINALIZER);
    const finalizers = wanted ? [...others, PUSH_SECRET_FINALIZER] : others;
    return { ...ps, metadata: { ...ps.metadata, finalizers } };
  }

  /** Deletion: with our finalizer, delete every pushed secret (Delete policy), then let go. */
  private async finalize(ps: PushSecretObject, clients: StoreClients): Promise<ReconcileResult> {
    if (!hasFinalizer(ps, PUSH_SECRET_FINALIZER)) return undefined;
    if (ps.spec.deletionPolicy === 'Delete') {
      try {
        await deleteDropped(ps, {}, clients, this.storeGone(ps));
      } catch (error) {
        const failure = failureOf(error, ps.status?.syncedPushSecrets);
        failure.message = `Failed to Delete Secrets from Provider: ${failure.message}`;
        return this.fail(ps, failure, redactorFor([]));
      }
    }
    await setFinalizer(this.deps.client, EsoResources.PushSecret, ps, {
      finalizer: PUSH_SECRET_FINALIZER,
      wanted: false,
    });
    return undefined;
  }

  /** ESO `shouldRefresh`: spec/metadata changed, never synced, or the interval passed. */
  private due(ps: PushSecretObject, intervalMs: number): number | undefined {
    const version = syncedResourceVersion(ps.metadata);
    if (ps.status?.syncedResourceVersion !== version) return undefined;
    if (intervalMs === 0) return Infinity;
    const last = ps.status.refreshTime ? Date.parse(ps.status.refreshTime) : NaN;
    if (Number.isNaN(last)) return undefined;
    const elapsed = this.deps.clock.now() - last;
    return last + intervalMs < this.deps.clock.now() ? undefined : intervalMs - elapsed;
  }

  private async refresh(
    key: string,
    ps: PushSecretObject,
    clients: StoreClients,
  ): Promise<ReconcileResult> {
    const intervalMs = refreshIntervalMs(ps);
    const remaining = this.due(ps, intervalMs);
    if (remaining !== undefined)
      return remaining === Infinity ? undefined : { requeueAfter: remaining + SKIP_SLACK_MS };
    const started = this.deps.clock.now();
    let redact = redactorFor([]);
    let status: PushSecretStatus | undefined;
    try {
      validateDataToStoreRefs(ps.spec.dataTo, ps.spec.secretStoreRefs);
      const sources = await this.sources(ps);
      redact = redactorFor(sources.flatMap((s) => [...s.data.values()]));
      status = await this.push(ps, sources, clients);
    } catch (error) {
      if (error instanceof SourceNotFoundError && this.cleansUpOnSourceLoss(ps))
        return this.sourceDeleted(key, ps, clients);
      return this.fail(ps, failureOf(error, ps.status?.syncedPushSecrets), redact);
    }
    if (status === undefined) return undefined;
    await this.writeStatus(key, ps, { ...status, refreshTime: formatTime(started) });
    return intervalMs > 0 ? { requeueAfter: intervalMs } : undefined;
  }

  /** The sources with the template applied; their raw values are redacted from messages too. */
  private async sources(ps: PushSecretObject): Promise<SourceSecret[]> {
    const raw = await readSources(this.deps.client, ps);
    const template = ps.spec.template;
    if (!template) return raw;
    const templateSources = await readTemplateSources(
      this.deps.client,
      ps.metadata.namespace ?? 'default',
      template,
    );
    const redact = redactorFor(raw.flatMap((s) => [...s.data.values()]));
    try {
      return raw.map((s) =>
        applyTemplate(s, template, { engine: this.deps.engine, sources: templateSources }),
      );
    } catch (error) {
      throw new TemplateFailedError(redact(messageOf(error)), { cause: error });
    }
  }

  /** Pushes and (Delete policy) prunes; the new status, or undefined when no store is ours. */
  private async push(
    ps: PushSecretObject,
    sources: readonly SourceSecret[],
    clients: StoreClients,
  ): Promise<PushSecretStatus | undefined> {
    const stores = resolveStores(ps, this.deps.stores).filter(
      (s) => !s.store.metadata.deletionTimestamp && isOurs(s.store, this.deps.controllerClass),
    );
    if (stores.length === 0) return undefined;
    validateDataToMatchesStores(
      ps.spec.dataTo,
      stores.map((s) => ({
        kind: s.kind,
        name: s.store.metadata.name ?? '',
        labels: s.store.metadata.labels ?? {},
      })),
    );
    let synced = await pushToProviders({ ps, sources, stores, clients, engine: this.deps.engine });
    if (ps.spec.deletionPolicy === 'Delete') {
      try {
        synced = await deleteDropped(ps, synced, clients, this.storeGone(ps));
      } catch (error) {
        if (!(error instanceof ProviderStepError)) throw error;
        throw new ProviderStepError(
          `Failed to Delete Secrets from Provider: ${error.message}`,
          error.synced,
          { cause: error },
        );
      }
    }
    const message =
      ps.spec.updatePolicy === 'IfNotExists' ? PushMessage.syncedIfNotExists : PushMessage.synced;
    const status = withReady(
      ps.status,
      { status: 'True', reason: PushReason.Synced, message },
      this.deps.clock.now(),
    );
    return {
      ...status,
      syncedPushSecrets: synced,
      syncedResourceVersion: syncedResourceVersion(ps.metadata),
    };
  }

  /** ESO: a named source gone, Delete policy and something pushed → clean up the providers. */
  private cleansUpOnSourceLoss(ps: PushSecretObject): boolean {
    return (
      Boolean(ps.spec.selector.secret?.name) &&
      ps.spec.deletionPolicy === 'Delete' &&
      Object.keys(ps.status?.syncedPushSecrets ?? {}).length > 0
    );
  }

  private async sourceDeleted(
    key: string,
    ps: PushSecretObject,
    clients: StoreClients,
  ): Promise<ReconcileResult> {
    try {
      await deleteDropped(ps, {}, clients, this.storeGone(ps));
    } catch (error) {
      const failure = failureOf(error, ps.status?.syncedPushSecrets);
      failure.message = `failed to cleanup provider secrets: ${failure.message}`;
      return this.fail(ps, failure, redactorFor([]));
    }
    const status = withReady(
      ps.status,
      { status: 'False', reason: PushReason.SourceDeleted, message: PushMessage.sourceDeleted },
      this.deps.clock.now(),
    );
    await this.writeStatus(key, ps, { ...status, syncedPushSecrets: {} });
    // ESO does not requeue here: the PushSecret waits for an edit (or a restart).
    return undefined;
  }

  /** ESO `markAsFailed`: Ready=False Errored, the synced state reached; then retry or stop. */
  private async fail(ps: PushSecretObject, failure: Failure, redact: Redactor): Promise<never> {
    const message = redact(failure.message);
    let status = withReady(
      ps.status,
      { status: 'False', reason: PushReason.Errored, message },
      this.deps.clock.now(),
    );
    if (failure.synced !== undefined) status = { ...status, syncedPushSecrets: failure.synced };
    const key = objectKey({ namespace: ps.metadata.namespace, name: ps.metadata.name ?? '' });
    await this.writeStatus(key, ps, status);
    if (failure.terminal) throw new TerminalError(message);
    throw new PushFailedError(message);
  }

  /** Writes the status if anything but refreshTime changed, with an event for the change. */
  private async writeStatus(
    key: string,
    ps: PushSecretObject,
    next: PushSecretStatus,
  ): Promise<void> {
    this.observe(ps, next);
    if (!this.refreshed.needsWrite(key, ps.status, next)) return;
    const withTime = { ...next, refreshTime: next.refreshTime ?? ps.status?.refreshTime };
    await this.deps.client.mergePatch(
      EsoResources.PushSecret,
      { namespace: ps.metadata.namespace, name: ps.metadata.name ?? '' },
      { status: mergePatchOf(ps.status ?? {}, withTime) },
      { subresource: 'status' },
    );
    this.refreshed.forget(key);
    await this.announce(ps, next);
  }

  private observe(ps: PushSecretObject, status: PushSecretStatus): void {
    const ready = status.conditions?.find((c) => c.type === 'Ready')?.status;
    const ref = { namespace: ps.metadata.namespace ?? '', name: ps.metadata.name ?? '' };
    if (ready === 'True' || ready === 'False') this.deps.metrics?.ready(ref, ready);
  }

  /** Reports pushed secrets left behind in a store that no longer exists (no values). */
  private storeGone(ps: PushSecretObject): (storeKey: string) => void {
    return (storeKey) => {
      const message = `store ${storeKey} no longer exists: the secrets pushed to it were not deleted`;
      this.deps.logger.warn({ pushsecret: ps.metadata.name, store: storeKey }, message);
      void this.deps.recorder.event(ps, 'Warning', PushReason.Errored, message);
    };
  }

  /** The event of a status change: ESO's reason and message of the Ready condition. */
  private async announce(ps: PushSecretObject, status: PushSecretStatus): Promise<void> {
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    if (!ready?.reason || !ready.message) return;
    const type = ready.reason === PushReason.Errored ? 'Warning' : 'Normal';
    await this.deps.recorder.event(ps, type, ready.reason, ready.message);
  }
}
