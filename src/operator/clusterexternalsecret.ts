/**
 * Wires the ClusterExternalSecret controller into `ferry operator` (ESO's
 * `--enable-cluster-external-secret-reconciler`, default on): an informer for the CESs, a
 * metadata-only Namespace informer (labels, finalizers, deletion; nothing else is kept), and the
 * watches that re-queue a CES when its spec changes, when a namespace it selects (or selected)
 * appears, changes labels, starts terminating or goes, and when an ExternalSecret it owns is edited
 * or deleted behind its back.
 */
import type {
  ClusterExternalSecretObject,
  ExternalSecretObject,
} from '../controllers/clusterexternalsecret/externalsecret.ts';
import { namespaceFinalizer } from '../controllers/clusterexternalsecret/finalizers.ts';
import { clusterExternalSecretMetrics } from '../controllers/clusterexternalsecret/metrics.ts';
import { ClusterExternalSecretReconciler } from '../controllers/clusterexternalsecret/reconcile.ts';
import { selects, type NamespaceMeta } from '../controllers/clusterexternalsecret/targets.ts';
import { EsoResources } from '../controllers/kinds.ts';
import type { StoreObject } from '../controllers/secretstore/reconcile.ts';
import { Informer, type InformerEvent } from '../kube/informer.ts';
import type { KubeObject } from '../kube/types.ts';
import { specOrMetadataChanged, type ReconcileRequest } from '../runtime/manager.ts';
import type { OperatorRuntime } from '../runtime/operator.ts';
import type { SharedWiring } from './informers.ts';

export interface ClusterExternalSecretWiring extends SharedWiring {
  /** The operator's ExternalSecret informer (its owned ExternalSecrets re-queue the CES). */
  externalSecrets: Informer<ExternalSecretObject>;
  /** The operator's ClusterSecretStore informer (`--controller-class`). */
  clusterStores: Informer<StoreObject>;
}

/** Namespace updates that can change what a CES selects or must release. */
export function namespaceMatters(event: InformerEvent<NamespaceMeta>): boolean {
  if (event.type !== 'updated') return true;
  const a = event.old.metadata;
  const b = event.object.metadata;
  return (
    a.deletionTimestamp !== b.deletionTimestamp ||
    JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {})
  );
}

/** The CESs a namespace event concerns: selected before or after, provisioned, or finalized by. */
export function concernedBy(
  event: InformerEvent<NamespaceMeta>,
  all: ClusterExternalSecretObject[],
): ReconcileRequest[] {
  const versions = event.type === 'updated' ? [event.old, event.object] : [event.object];
  const name = event.object.metadata.name ?? '';
  const finalizers = event.object.metadata.finalizers ?? [];
  return all
    .filter(
      (ces) =>
        versions.some((ns) => selects(ces.spec, ns)) ||
        (ces.status?.provisionedNamespaces ?? []).includes(name) ||
        finalizers.includes(namespaceFinalizer(ces.metadata.name ?? '')),
    )
    .map((ces) => ({ name: ces.metadata.name ?? '' }));
}

/** The CES in an ExternalSecret's controller ownerReference. */
export function ownerCes(es: KubeObject): ReconcileRequest[] {
  const owner = es.metadata.ownerReferences?.find(
    (r) => r.controller === true && r.kind === EsoResources.ClusterExternalSecret.kind,
  );
  return owner ? [{ name: owner.name }] : [];
}

/** Adds the controller unless `--enable-cluster-external-secret-reconciler=false`. */
export function addClusterExternalSecretController(
  runtime: OperatorRuntime,
  wiring: ClusterExternalSecretWiring,
): void {
  const { config, clock, logger, manager, metrics } = runtime;
  if (!config.enableClusterExternalSecretReconciler) return;
  const cesInformer = wiring.informer<ClusterExternalSecretObject>(
    EsoResources.ClusterExternalSecret,
  );
  const namespaces = wiring.namespaces();
  const controller = manager.addController({
    name: 'clusterexternalsecret',
    concurrency: config.concurrent,
    reconciler: new ClusterExternalSecretReconciler({
      client: wiring.client,
      clusterExternalSecrets: cesInformer.store,
      namespaces: namespaces.store,
      clusterSecretStores: {
        getByRef: (ref) => wiring.clusterStores.store.getByRef(ref),
      },
      controllerClass: config.controllerClass,
      clock,
      logger: logger.child({ controller: 'clusterexternalsecret' }),
      metrics: clusterExternalSecretMetrics(metrics.registry),
    }),
  });
  controller.watch(cesInformer, { predicate: specOrMetadataChanged });
  controller.watch(namespaces, {
    predicate: namespaceMatters,
    map: (event) => concernedBy(event, cesInformer.store.list()),
  });
  controller.watch(wiring.externalSecrets, {
    predicate: specOrMetadataChanged,
    map: (event) => ownerCes(event.object),
  });
}
