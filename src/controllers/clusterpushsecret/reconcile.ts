/**
 * The ClusterPushSecret controller (ESO `pkg/controllers/clusterpushsecret`): one PushSecret per
 * namespace matched by any of `spec.namespaceSelectors`, owned by the ClusterPushSecret; those in
 * namespaces that stopped matching are deleted, and a renamed `pushSecretName` replaces the old
 * ones. Status: `pushSecretName`, sorted `provisionedNamespaces` and `failedNamespaces`, and a
 * Ready condition (False with `one or more namespaces failed`). Writes happen only on change.
 */
import { parseGoDuration } from '../../api/duration.ts';
import type { AnySecretStore, ClusterPushSecret, LabelSelector } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import { isNotFound } from '../../kube/errors.ts';
import type { EventRecorder } from '../../kube/events.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Clock, Logger } from '../../providers/provider.ts';
import type { ReconcileRequest, ReconcileResult } from '../../runtime/manager.ts';
import { messageOf } from '../../sync/errors.ts';
import { selectorMatches } from '../conditions.ts';
import { EsoResources } from '../kinds.ts';
import type { PushMetrics } from '../pushsecret/metrics.ts';
import { canonicalJson, mergePatchOf } from '../pushsecret/status.ts';
import { isOurs } from '../secretstore/reconcile.ts';
import {
  desiredPushSecret,
  isOwnedBy,
  pushSecretNameOf,
  sameManagedFields,
  type ClusterPushSecretObject,
  type PushSecretObject,
} from './desired.ts';

type Status = NonNullable<ClusterPushSecret['status']>;

const DEFAULT_REFRESH_MS = 3_600_000;
const NAMESPACES_FAILED = 'one or more namespaces failed';

export interface ClusterPushSecretReconcilerDeps {
  client: KubeClient;
  clusterPushSecrets: { getByRef(ref: ObjectRef): ClusterPushSecretObject | undefined };
  /** Namespaces as the informer holds them. */
  namespaces: { list(): KubeObject[] };
  /** ClusterSecretStores as the informer holds them (for the controller-class check). */
  clusterSecretStores: { getByRef(ref: ObjectRef): AnySecretStore | undefined };
  /** `--controller-class`. */
  controllerClass?: string;
  /** ESO's `clusterpushsecret_status_condition` and `clusterpushsecret_reconcile_duration`. */
  metrics?: PushMetrics;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
}

/** Thrown for backoff; the details are in the status. */
export class ClusterPushSecretFailedError extends Error {}

/** Namespaces matched by any selector (ESO `GetTargetNamespaces`), sorted by name. */
export function targetNamespaces(
  all: readonly KubeObject[],
  selectors: readonly LabelSelector[] | undefined,
): string[] {
  const names = all
    .filter((ns) => !ns.metadata.deletionTimestamp)
    .filter((ns) => (selectors ?? []).some((s) => selectorMatches(s, ns.metadata.labels ?? {})))
    .map((ns) => ns.metadata.name ?? '');
  return [...new Set(names)].sort();
}

function refreshMs(cps: ClusterPushSecretObject): number {
  if (!cps.spec.refreshTime) return DEFAULT_REFRESH_MS;
  try {
    return parseGoDuration(cps.spec.refreshTime);
  } catch {
    return DEFAULT_REFRESH_MS;
  }
}

function failuresOf(failed: Map<string, string>): Status['failedNamespaces'] {
  return [...failed]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([namespace, reason]) => ({ namespace, reason }));
}

function statusOf(name: string, provisioned: string[], failed: Map<string, string>): Status {
  return {
    pushSecretName: name,
    // ESO's fields are omitempty: an empty list is left out.
    ...(provisioned.length > 0 ? { provisionedNamespaces: provisioned } : {}),
    ...(failed.size > 0 ? { failedNamespaces: failuresOf(failed) } : {}),
    conditions: [
      failed.size === 0
        ? { type: 'Ready', status: 'True' }
        : { type: 'Ready', status: 'False', message: NAMESPACES_FAILED },
    ],
  };
}

export class ClusterPushSecretReconciler {
  constructor(private readonly deps: ClusterPushSecretReconcilerDeps) {}

  async reconcile(request: ReconcileRequest): Promise<ReconcileResult> {
    const cps = this.deps.clusterPushSecrets.getByRef(request);
    if (!cps) this.deps.metrics?.forget(request);
    // Deletion: the garbage collector removes the owned PushSecrets (ESO does nothing either).
    if (!cps || cps.metadata.deletionTimestamp) return undefined;
    if (this.belongsToAnotherController(cps)) return undefined;
    const started = this.deps.clock.now();
    const ready = await this.sync(cps);
    this.deps.metrics?.ready(request, ready ? 'True' : 'False');
    this.deps.metrics?.duration(request, (this.deps.clock.now() - started) * 1e6);
    return { requeueAfter: refreshMs(cps) };
  }

  /** One pass: rename cleanup, prune, provision, status. True when no namespace failed. */
  private async sync(cps: ClusterPushSecretObject): Promise<boolean> {
    const name = pushSecretNameOf(cps);
    const previous = cps.status?.pushSecretName;
    if (previous && previous !== name) await this.removeRenamed(cps, previous);
    const { provisioned, failed } = await this.converge(cps, name);
    await this.writeStatus(cps, statusOf(name, provisioned, failed));
    return failed.size === 0;
  }

  /**
   * Ferry: a ClusterPushSecret pushing only to ClusterSecretStores of another `--controller-class`
   * is left to that controller (ESO has no class check here), so operators sharded by class do
   * not fight over its PushSecrets and status.
   */
  private belongsToAnotherController(cps: ClusterPushSecretObject): boolean {
    const refs = cps.spec.pushSecretSpec.secretStoreRefs;
    if (refs.length === 0) return false;
    return refs.every((ref) => {
      if (ref.kind !== 'ClusterSecretStore' || !ref.name || ref.labelSelector) return false;
      const store = this.deps.clusterSecretStores.getByRef({ name: ref.name });
      return store !== undefined && !isOurs(store, this.deps.controllerClass);
    });
  }

  /** Deletes PushSecrets of namespaces that left the selection, provisions the selected ones. */
  private async converge(
    cps: ClusterPushSecretObject,
    name: string,
  ): Promise<{ provisioned: string[]; failed: Map<string, string> }> {
    const wanted = targetNamespaces(this.deps.namespaces.list(), cps.spec.namespaceSelectors);
    const failed = new Map<string, string>();
    const gone = (cps.status?.provisionedNamespaces ?? []).filter((ns) => !wanted.includes(ns));
    for (const ns of gone)
      await this.deleteOwned(cps, name, ns).catch((e: unknown) => failed.set(ns, messageOf(e)));
    const provisioned: string[] = [];
    for (const ns of wanted) {
      try {
        await this.provision(cps, ns);
        provisioned.push(ns);
      } catch (error) {
        failed.set(ns, messageOf(error));
      }
    }
    return { provisioned, failed };
  }

  /** ESO `deleteOldPushSecrets`: a changed pushSecretName removes the PushSecrets of the old one. */
  private async removeRenamed(cps: ClusterPushSecretObject, previous: string): Promise<void> {
    const failed = new Map<string, string>();
    for (const ns of cps.status?.provisionedNamespaces ?? []) {
      await this.deleteOwned(cps, previous, ns).catch((e: unknown) => failed.set(ns, messageOf(e)));
    }
    if (failed.size === 0) return;
    const message = 'failed to delete push secret';
    await this.writeStatus(cps, {
      ...cps.status,
      failedNamespaces: failuresOf(failed),
      conditions: [{ type: 'Ready', status: 'False', message }],
    });
    throw new ClusterPushSecretFailedError(message);
  }

  private async deleteOwned(cps: ClusterPushSecretObject, name: string, ns: string): Promise<void> {
    const ref = { namespace: ns, name };
    const existing = await this.deps.client.get(EsoResources.PushSecret, ref);
    if (!existing || !isOwnedBy(existing, cps.metadata.name ?? '')) return;
    await this.deps.client.delete(EsoResources.PushSecret, ref);
  }

  /** Creates or updates the namespace's PushSecret; refuses one we do not own. */
  private async provision(cps: ClusterPushSecretObject, ns: string): Promise<void> {
    const ref = { namespace: ns, name: pushSecretNameOf(cps) };
    const existing = await this.deps.client.get<PushSecretObject>(EsoResources.PushSecret, ref);
    if (existing && !isOwnedBy(existing, cps.metadata.name ?? ''))
      throw new Error('push secret already exists in namespace');
    const desired = desiredPushSecret(cps, ns, existing);
    if (!existing) {
      await this.deps.client.create(EsoResources.PushSecret, desired);
      return;
    }
    if (sameManagedFields(existing, desired)) return;
    await this.deps.client.update(EsoResources.PushSecret, desired);
  }

  private async writeStatus(cps: ClusterPushSecretObject, next: Status): Promise<void> {
    const before = cps.status ?? {};
    if (canonicalJson(before) === canonicalJson(next)) return;
    try {
      await this.deps.client.mergePatch(
        EsoResources.ClusterPushSecret,
        { name: cps.metadata.name ?? '' },
        { status: mergePatchOf(before, next) },
        { subresource: 'status' },
      );
    } catch (error) {
      if (isNotFound(error)) return; // deleted meanwhile: nothing to report on
      throw error;
    }
    await this.announce(cps, before, next);
  }

  /** A Warning when Ready turns False (ESO records one on `markAsFailed`). */
  private async announce(cps: ClusterPushSecretObject, before: Status, next: Status) {
    const ready = (s: Status) => s.conditions?.find((c) => c.type === 'Ready');
    const now = ready(next);
    if (now?.status !== 'False' || ready(before)?.status === 'False') return;
    await this.deps.recorder.event(cps, 'Warning', 'Errored', now.message ?? NAMESPACES_FAILED);
  }
}
