/**
 * `ferry operator` assembled: the runtime from src/runtime/operator.ts plus the informers
 * (ExternalSecrets, SecretStores, ClusterSecretStores, and Secrets labelled
 * `reconcile.external-secrets.io/managed=true`) and the ExternalSecret and store controllers.
 * The operator installs nothing: the CRDs must already be applied.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { Counter } from 'prom-client';
import type { StoreKind } from '../api/types.ts';
import type { OperatorConfig } from '../config/operator.ts';
import {
  ExternalSecretReconciler,
  type ExternalSecretObject,
} from '../controllers/externalsecret/reconcile.ts';
import {
  keepExternalSecretManagedFields,
  managedSecretCache,
  type SecretObject,
} from '../controllers/externalsecret/target.ts';
import {
  BY_TARGET_SECRET,
  requestsForSecret,
  targetSecretKeys,
} from '../controllers/externalsecret/secret-watch.ts';
import { namespaceMetadataOnly } from '../controllers/clusterexternalsecret/targets.ts';
import { EsoResources } from '../controllers/kinds.ts';
import { addClusterExternalSecretController } from './clusterexternalsecret.ts';
import type { InformerExtras, InformerFactory } from './informers.ts';
import { addPushSecretControllers } from './pushsecret.ts';
import { SecretStoreReconciler, type StoreObject } from '../controllers/secretstore/reconcile.ts';
import { CountingKubeClient } from '../kube/counting.ts';
import { EventRecorder } from '../kube/events.ts';
import { Informer } from '../kube/informer.ts';
import { Resources, type KubeObject, type ResourceType } from '../kube/types.ts';
import { StoreCircuitBreaker, type StoreRef } from '../providers/circuit-breaker.ts';
import { createKubeAccess } from '../providers/kube-access.ts';
import { createDefaultRegistry } from '../providers/registry.ts';
import {
  specOrMetadataChanged,
  type Controller,
  type ReconcileRequest,
} from '../runtime/manager.ts';
import {
  createOperatorRuntime,
  type OperatorDeps,
  type OperatorRuntime,
} from '../runtime/operator.ts';
import { informerRestartHook } from '../telemetry/metrics.ts';
import { storeCircuitMetrics } from '../telemetry/store-circuit-metrics.ts';
import { goTemplateEngine, LABEL_MANAGED } from '../sync/index.ts';

const BY_STORE = 'store';

function loadKubeConfig(config: OperatorConfig): KubeConfig {
  const kc = new KubeConfig();
  if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
  else kc.loadFromDefault();
  return kc;
}

/** Index value of the store an ExternalSecret uses. */
function storeIndexKey(kind: string, namespace: string, name: string): string {
  return kind === 'ClusterSecretStore' ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

function esStoreKeys(es: ExternalSecretObject): string[] {
  const ns = es.metadata.namespace ?? '';
  const refs = [
    es.spec.secretStoreRef,
    ...(es.spec.dataFrom ?? []).map((d) => d.sourceRef?.storeRef),
  ];
  return refs
    .filter((r) => r?.name)
    .map((r) => storeIndexKey(r?.kind ?? 'SecretStore', ns, r?.name ?? ''));
}

function dropManagedFields<T extends KubeObject>(obj: T): T {
  delete obj.metadata.managedFields;
  return obj;
}

export interface Operator {
  runtime: OperatorRuntime;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createOperator(config: OperatorConfig, deps: OperatorDeps = {}): Operator {
  const kubeConfig = deps.kubeConfig ?? loadKubeConfig(config);
  const runtime = createOperatorRuntime(config, { ...deps, kubeConfig });
  const { clock, logger, manager, metrics } = runtime;
  const requests = new Counter({
    name: 'ferry_kube_requests_total',
    help: 'Requests the controllers made to the API server, by verb and kind.',
    labelNames: ['verb', 'kind'] as const,
    registers: [metrics.registry],
  });
  const client = new CountingKubeClient(runtime.client, (call) => {
    requests.inc({ verb: call.verb, kind: call.kind });
    client.reset(); // the metric is the record; keep no unbounded history
  });
  const namespace = config.namespace || undefined;
  const informer: InformerFactory = <T extends KubeObject>(
    type: ResourceType,
    extra: InformerExtras<T> = {},
  ) =>
    manager.addInformer(
      new Informer<T>({
        client,
        type,
        clock,
        logger: logger.child({ informer: type.plural }),
        ...(type.namespaced && namespace ? { namespace } : {}),
        labelSelector: extra.labelSelector,
        transform: extra.transform ?? dropManagedFields,
        onRestart: informerRestartHook(metrics, type.kind),
      }),
    );
  const externalSecrets = informer<ExternalSecretObject>(EsoResources.ExternalSecret);
  const secretStores = informer<StoreObject>(EsoResources.SecretStore);
  const clusterStores = informer<StoreObject>(EsoResources.ClusterSecretStore);
  const secrets = informer<SecretObject>(Resources.Secret, {
    labelSelector: `${LABEL_MANAGED}=true`,
    transform: keepExternalSecretManagedFields,
  });
  // One metadata-only Namespace cache, created on first use, for every controller that selects
  // namespaces by label (ClusterExternalSecret, ClusterPushSecret).
  let namespaceInformer: Informer<KubeObject> | undefined;
  const namespaces = () =>
    (namespaceInformer ??= informer<KubeObject>(Resources.Namespace, {
      transform: namespaceMetadataOnly,
    }));
  externalSecrets.store.addIndex(BY_STORE, esStoreKeys);
  externalSecrets.store.addIndex(BY_TARGET_SECRET, targetSecretKeys);

  const vaultLogins = new Counter({
    name: 'ferry_vault_logins_total',
    help: 'Logins to Vault/OpenBao auth methods (tokens are cached and shared; steady state is 0/s).',
    labelNames: ['method'] as const,
    registers: [metrics.registry],
  });
  // Set once the ExternalSecret controller exists: a store whose circuit closes again re-queues
  // the ExternalSecrets using it, so they do not each wait out their own backoff.
  let requeueStoreUsers: (store: StoreRef) => void = () => undefined;
  const circuitMetrics = storeCircuitMetrics(metrics.registry);
  const registry = createDefaultRegistry({
    clock,
    onVaultLogin: (method) => {
      vaultLogins.inc({ method });
    },
    ...(config.storeCircuitThreshold > 0
      ? {
          circuitBreaker: new StoreCircuitBreaker({
            clock,
            threshold: config.storeCircuitThreshold,
            openDurationMs: config.storeCircuitOpenDurationMs,
            ...circuitMetrics,
            onOpenChanged: (store, open) => {
              circuitMetrics.onOpenChanged?.(store, open);
              if (!open) requeueStoreUsers(store);
            },
          }),
        }
      : {}),
  });
  const kube = createKubeAccess(kubeConfig);
  const recorder = new EventRecorder({ client, clock, logger, component: 'external-secrets' });
  const common = { client, registry, kube, recorder, clock, logger, fetch: globalThis.fetch };

  const esController: Controller = manager.addController({
    name: 'externalsecret',
    concurrency: config.concurrent,
    reconciler: new ExternalSecretReconciler({
      ...common,
      externalSecrets: externalSecrets.store,
      secrets: managedSecretCache(secrets.store),
      stores: {
        get: (kind: StoreKind, ns: string, name: string) =>
          kind === 'ClusterSecretStore'
            ? clusterStores.store.getByRef({ name })
            : secretStores.store.getByRef({ namespace: ns, name }),
      },
      engine: goTemplateEngine(),
      random: Math.random,
      controllerClass: config.controllerClass,
      floodGate: config.enableFloodGate,
      refreshReadShare: config.refreshReadShare,
      metrics,
    }),
  });
  esController.watch(externalSecrets, { predicate: specOrMetadataChanged });
  // ESO maps a Secret to the ExternalSecrets targeting it by name (§2.5), owner or not.
  esController.watch(secrets, {
    map: (e) =>
      requestsForSecret(e.object, (key) => externalSecrets.store.byIndex(BY_TARGET_SECRET, key)),
  });

  const usersOfRef = (kind: string, namespace: string, name: string): ReconcileRequest[] =>
    externalSecrets.store.byIndex(BY_STORE, storeIndexKey(kind, namespace, name)).map((es) => ({
      namespace: es.metadata.namespace ?? '',
      name: es.metadata.name ?? '',
    }));
  const usersOf = (store: StoreObject): ReconcileRequest[] =>
    usersOfRef(store.kind, store.metadata.namespace ?? '', store.metadata.name ?? '');
  requeueStoreUsers = (store) => {
    for (const request of usersOfRef(store.kind, store.namespace, store.name))
      esController.enqueue(request);
  };
  const storeKinds = [
    {
      kind: 'SecretStore',
      component: 'secret-store',
      informer: secretStores,
      enabled: config.enableSecretStoreReconciler,
    },
    {
      kind: 'ClusterSecretStore',
      component: 'cluster-secret-store',
      informer: clusterStores,
      enabled: config.enableClusterStoreReconciler,
    },
  ] as const;
  for (const s of storeKinds) {
    // A store's spec change, or its becoming Ready, re-queues the ExternalSecrets using it.
    esController.watch(s.informer, { map: (e) => usersOf(e.object) });
    if (!s.enabled) continue;
    const controller = manager.addController({
      name: s.kind.toLowerCase(),
      concurrency: config.concurrent,
      reconciler: new SecretStoreReconciler({
        ...common,
        // ESO's event source names: `secret-store`, `cluster-secret-store`.
        recorder: new EventRecorder({ client, clock, logger, component: s.component }),
        kind: s.kind,
        stores: s.informer.store,
        requeueIntervalMs: config.storeRequeueIntervalMs,
        controllerClass: config.controllerClass,
      }),
    });
    controller.watch(s.informer, { predicate: specOrMetadataChanged });
  }
  const shared = { client, informer, namespaces };
  addClusterExternalSecretController(runtime, { ...shared, externalSecrets, clusterStores });
  addPushSecretControllers(runtime, { ...shared, registry, kube, secretStores, clusterStores });
  return {
    runtime,
    start: () => runtime.start(),
    stop: () => runtime.stop(),
  };
}
