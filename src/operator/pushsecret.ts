/**
 * Wires the PushSecret and ClusterPushSecret controllers into `ferry operator` (ESO's
 * `--enable-push-secret-reconciler` and `--enable-cluster-push-secret-reconciler`, default on).
 * PushSecrets re-queue on spec/metadata changes and at their refresh interval; source Secrets are
 * re-read at each refresh rather than watched (see src/controllers/pushsecret/source.ts for why).
 * A ClusterPushSecret re-queues when its spec changes, when a namespace it selects (or selected)
 * appears, changes labels or goes, and when a PushSecret it owns changes behind its back.
 */
import type { StoreKind } from '../api/types.ts';
import { ClusterPushSecretReconciler } from '../controllers/clusterpushsecret/reconcile.ts';
import type { ClusterPushSecretObject } from '../controllers/clusterpushsecret/desired.ts';
import { selectorMatches } from '../controllers/conditions.ts';
import { EsoResources } from '../controllers/kinds.ts';
import {
  PushSecretReconciler,
  type PushSecretObject,
} from '../controllers/pushsecret/reconcile.ts';
import { pushMetrics } from '../controllers/pushsecret/metrics.ts';
import type { StoreCatalog } from '../controllers/pushsecret/stores.ts';
import type { StoreObject } from '../controllers/secretstore/reconcile.ts';
import { EventRecorder } from '../kube/events.ts';
import { Informer, type InformerEvent } from '../kube/informer.ts';
import type { KubeObject } from '../kube/types.ts';
import type { ProviderKubeAccess } from '../providers/provider.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { specOrMetadataChanged, type ReconcileRequest } from '../runtime/manager.ts';
import type { OperatorRuntime } from '../runtime/operator.ts';
import { goTemplateEngine } from '../sync/index.ts';
import type { SharedWiring } from './informers.ts';

export interface PushSecretWiring extends SharedWiring {
  registry: ProviderRegistry;
  kube: ProviderKubeAccess;
  /** The operator's store informers (`--namespace` applies to SecretStores). */
  secretStores: Informer<StoreObject>;
  clusterStores: Informer<StoreObject>;
}

function catalogOf(wiring: PushSecretWiring): StoreCatalog {
  return {
    get: (kind: StoreKind, namespace: string, name: string) =>
      kind === 'ClusterSecretStore'
        ? wiring.clusterStores.store.getByRef({ name })
        : wiring.secretStores.store.getByRef({ namespace, name }),
    list: (kind: StoreKind, namespace: string) =>
      kind === 'ClusterSecretStore'
        ? wiring.clusterStores.store.list()
        : wiring.secretStores.store.list().filter((s) => s.metadata.namespace === namespace),
  };
}

/** Adds the PushSecret controller and, if enabled, the ClusterPushSecret controller. */
export function addPushSecretControllers(runtime: OperatorRuntime, wiring: PushSecretWiring): void {
  const { config, clock, logger, manager, metrics } = runtime;
  const enablePush = config.enablePushSecretReconciler;
  const enableCluster = config.enableClusterPushSecretReconciler;
  if (!enablePush && !enableCluster) return;
  const pushSecrets = wiring.informer<PushSecretObject>(EsoResources.PushSecret);
  if (enablePush) {
    const controller = manager.addController({
      name: 'pushsecret',
      concurrency: config.concurrent,
      reconciler: new PushSecretReconciler({
        client: wiring.client,
        pushSecrets: pushSecrets.store,
        stores: catalogOf(wiring),
        registry: wiring.registry,
        engine: goTemplateEngine(),
        kube: wiring.kube,
        recorder: new EventRecorder({
          client: wiring.client,
          clock,
          logger,
          component: 'pushsecret',
        }),
        clock,
        logger: logger.child({ controller: 'pushsecret' }),
        fetch: globalThis.fetch,
        controllerClass: config.controllerClass,
        metrics: pushMetrics(metrics.registry, 'pushsecret'),
      }),
    });
    controller.watch(pushSecrets, { predicate: specOrMetadataChanged });
  }
  if (!enableCluster) return;
  const clusterPushSecrets = wiring.informer<ClusterPushSecretObject>(
    EsoResources.ClusterPushSecret,
  );
  const namespaces = wiring.namespaces();
  const controller = manager.addController({
    name: 'clusterpushsecret',
    concurrency: config.concurrent,
    reconciler: new ClusterPushSecretReconciler({
      client: wiring.client,
      clusterPushSecrets: clusterPushSecrets.store,
      namespaces: namespaces.store,
      clusterSecretStores: wiring.clusterStores.store,
      controllerClass: config.controllerClass,
      metrics: pushMetrics(metrics.registry, 'clusterpushsecret'),
      recorder: new EventRecorder({
        client: wiring.client,
        clock,
        logger,
        // ESO's ClusterPushSecret recorder name.
        component: 'external-secrets-controller',
      }),
      clock,
      logger: logger.child({ controller: 'clusterpushsecret' }),
    }),
  });
  controller.watch(clusterPushSecrets, { predicate: specOrMetadataChanged });
  controller.watch(namespaces, {
    predicate: labelsOrLifecycleChanged,
    map: (event) => concernedBy(event, clusterPushSecrets.store.list()),
  });
  controller.watch(pushSecrets, {
    predicate: specOrMetadataChanged,
    map: (event) => ownerOf(event.object),
  });
}

function labelsOrLifecycleChanged(event: InformerEvent<KubeObject>): boolean {
  if (event.type !== 'updated') return true;
  const a = event.old.metadata;
  const b = event.object.metadata;
  return (
    a.deletionTimestamp !== b.deletionTimestamp ||
    JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {})
  );
}

/** The ClusterPushSecrets a namespace event concerns: selected before or after, or provisioned. */
function concernedBy(
  event: InformerEvent<KubeObject>,
  all: ClusterPushSecretObject[],
): ReconcileRequest[] {
  const versions = event.type === 'updated' ? [event.old, event.object] : [event.object];
  const name = event.object.metadata.name ?? '';
  return all
    .filter(
      (cps) =>
        versions.some((ns) =>
          (cps.spec.namespaceSelectors ?? []).some((s) =>
            selectorMatches(s, ns.metadata.labels ?? {}),
          ),
        ) || (cps.status?.provisionedNamespaces ?? []).includes(name),
    )
    .map((cps) => ({ name: cps.metadata.name ?? '' }));
}

/** The ClusterPushSecret in a PushSecret's controller ownerReference. */
function ownerOf(ps: KubeObject): ReconcileRequest[] {
  const owner = ps.metadata.ownerReferences?.find(
    (r) => r.controller === true && r.kind === EsoResources.ClusterPushSecret.kind,
  );
  return owner ? [{ name: owner.name }] : [];
}
