/**
 * The ExternalSecret controller of `ferry operator` (src/operator/operator.ts) rebuilt in-process:
 * the real reconciler, Manager, WorkQueue and informers over an in-memory API server, the `fake`
 * provider behind an injected latency, and two queue models: Ferry's (two lanes, refreshes planned
 * and paced, ADR 0013) and ESO's (one FIFO lane, no jitter, no pacing).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { AnySecretStore } from '../../src/api/types.ts';
import {
  ExternalSecretReconciler,
  type ExternalSecretObject,
} from '../../src/controllers/externalsecret/reconcile.ts';
import {
  keepExternalSecretManagedFields,
  managedSecretCache,
  type SecretObject,
} from '../../src/controllers/externalsecret/target.ts';
import { EsoResources } from '../../src/controllers/kinds.ts';
import { CountingKubeClient } from '../../src/kube/counting.ts';
import { EventRecorder } from '../../src/kube/events.ts';
import { Informer } from '../../src/kube/informer.ts';
import { objectKey, Resources, type KubeObject, type ResourceType } from '../../src/kube/types.ts';
import { createFakeProvider } from '../../src/providers/fake/provider.ts';
import type { Provider } from '../../src/providers/provider.ts';
import { ProviderRegistry } from '../../src/providers/registry.ts';
import { sleep, type Clock } from '../../src/runtime/clock.ts';
import {
  Manager,
  specOrMetadataChanged,
  type Controller,
  type ReconcileRequest,
} from '../../src/runtime/manager.ts';
import { Lane, WorkQueue, type QueueOptions } from '../../src/runtime/queue.ts';
import { defaultRateLimiter } from '../../src/runtime/rate-limiter.ts';
import { goTemplateEngine, LABEL_MANAGED } from '../../src/sync/index.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import { prng } from '../../test/template/generate.ts';
import { MemoryApi } from './memory-api.ts';
import type { WarpClock } from './warp-clock.ts';

/** ESO's queue: controller-runtime's single FIFO; every add, changed or periodic, joins one line. */
export class FifoWorkQueue extends WorkQueue {
  constructor(options: QueueOptions) {
    super({ ...options, jitter: 0, pacing: false });
  }

  override add(key: string): void {
    super.add(key, Lane.Refresh);
  }
}

export interface ProviderRead {
  key: string;
  /** Clock time of the read (after the injected latency). */
  at: number;
}

function storeName(namespace: string): string {
  return `fake-${namespace}`;
}

/** The objects an operator sees, plus what the benchmarks record about them. */
export class BenchWorld {
  readonly api = new MemoryApi();
  readonly stores = new Map<string, AnySecretStore>();
  readonly reads: ProviderRead[] = [];
  /** `performance.now()` of the first status write with Ready=True, by ExternalSecret key. */
  readonly readyAt = new Map<string, number>();
  readonly registry: ProviderRegistry;

  constructor(
    readonly clock: Clock,
    latencyMs: number,
  ) {
    this.registry = new ProviderRegistry().register(
      withLatency(createFakeProvider(), { clock, latencyMs, reads: this.reads }),
    );
    this.api.onWrite((type, obj) => {
      if (type.plural !== EsoResources.ExternalSecret.plural) return;
      const key = objectKey({ namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' });
      if (this.readyAt.has(key)) return;
      const conditions = (obj as ExternalSecretObject).status?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Ready' && c.status === 'True'))
        this.readyAt.set(key, performance.now());
    });
  }

  /** A namespace with a `fake` SecretStore holding `keys`, and one ExternalSecret per `es`. */
  async addNamespace(
    namespace: string,
    keys: string[],
    es: { name: string; key: string; refreshInterval: string }[],
  ): Promise<void> {
    this.stores.set(namespace, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      // One store name per namespace: the fake provider keeps one database per store name.
      metadata: { name: storeName(namespace), namespace },
      spec: { provider: { fake: { data: keys.map((key) => ({ key, value: `v-${key}` })) } } },
      // As the store controller leaves a valid store; the flood gate wants Ready=True.
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Valid' }] },
    });
    const client = this.api.client();
    for (const e of es) {
      await client.create<ExternalSecretObject>(EsoResources.ExternalSecret, {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: e.name, namespace, uid: `uid-${namespace}-${e.name}`, generation: 1 },
        spec: {
          refreshInterval: e.refreshInterval,
          secretStoreRef: { name: storeName(namespace), kind: 'SecretStore' },
          target: { name: e.name, creationPolicy: 'Owner' },
          data: [{ secretKey: 'password', remoteRef: { key: e.key } }],
        },
      });
    }
  }
}

/** The fake provider with `latencyMs` before each getSecret, recording the read. */
function withLatency(
  inner: Provider,
  options: { clock: Clock; latencyMs: number; reads: ProviderRead[] },
): Provider {
  return {
    ...inner,
    newClient: async (store, context) => {
      const client = await inner.newClient(store, context);
      const getSecret = client.getSecret.bind(client);
      client.getSecret = async (ref) => {
        if (options.latencyMs > 0) await sleep(options.clock, options.latencyMs);
        options.reads.push({ key: ref.key, at: options.clock.now() });
        return getSecret(ref);
      };
      return client;
    },
  };
}

export type QueueModel = 'ferry' | 'eso';

export interface RigOptions {
  clock: Clock;
  model: QueueModel;
  concurrency: number;
  seed: number;
  /** `--refresh-read-share` (ADR 0015): Ferry's default when absent; the ESO model shares none. */
  refreshReadShare?: number;
}

export interface OperatorRig {
  controller: Controller;
  /** Every request the operator made to the API server. */
  client: CountingKubeClient;
  stop(): Promise<void>;
}

/** The ExternalSecret that controls a managed Secret (as src/operator/operator.ts maps it). */
function ownerOf(secret: SecretObject): ReconcileRequest[] {
  const owner = secret.metadata.ownerReferences?.find(
    (r) => r.controller && r.kind === 'ExternalSecret',
  );
  return owner ? [{ namespace: secret.metadata.namespace ?? '', name: owner.name }] : [];
}

const DAY_MS = 86_400_000;

function informer<T extends KubeObject>(
  client: CountingKubeClient,
  clock: Clock,
  type: ResourceType,
  extra: { labelSelector?: string; transform?: (obj: T) => T } = {},
): Informer<T> {
  // Relists and watch restarts are the API server's business, not what is measured here: a
  // simulated day would otherwise relist every 10 minutes.
  return new Informer<T>({
    client,
    type,
    clock,
    logger: silentLogger(),
    relistIntervalMs: DAY_MS,
    watchTimeoutSeconds: DAY_MS / 1000,
    idleTimeoutMs: DAY_MS,
    ...extra,
  });
}

/** Starts an operator over `world` and resolves once its informers have synced. */
export async function startOperator(world: BenchWorld, options: RigOptions): Promise<OperatorRig> {
  const { clock } = options;
  const logger = silentLogger();
  const client = new CountingKubeClient(world.api.client());
  const externalSecrets = informer<ExternalSecretObject>(
    client,
    clock,
    EsoResources.ExternalSecret,
  );
  const secrets = informer<SecretObject>(client, clock, Resources.Secret, {
    labelSelector: `${LABEL_MANAGED}=true`,
    transform: keepExternalSecretManagedFields,
  });
  const ferry = options.model === 'ferry';
  const queueOptions = { clock, rateLimiter: defaultRateLimiter<string>(clock) };
  const queue = ferry
    ? new WorkQueue({ ...queueOptions, random: prng(options.seed) })
    : new FifoWorkQueue(queueOptions);
  const manager = new Manager({ clock, logger, shutdownTimeoutMs: 5_000 });
  manager.addInformer(externalSecrets);
  manager.addInformer(secrets);
  const controller = manager.addController({
    name: 'externalsecret',
    concurrency: options.concurrency,
    queue,
    reconciler: new ExternalSecretReconciler({
      client,
      externalSecrets: externalSecrets.store,
      secrets: managedSecretCache(secrets.store),
      stores: { get: (_kind, namespace) => world.stores.get(namespace) },
      registry: world.registry,
      engine: goTemplateEngine(),
      kube: {} as never, // the fake provider reads nothing from Kubernetes
      recorder: new EventRecorder({ client, clock, logger, component: 'external-secrets' }),
      clock,
      logger,
      fetch: globalThis.fetch,
      // ESO requeues after exactly refreshInterval: no refresh plan, and no jitter.
      random: ferry ? prng(options.seed + 1) : () => 0.5,
      planRefreshes: ferry,
      refreshReadShare: options.refreshReadShare ?? (ferry ? undefined : 0),
    }),
  });
  controller.watch(externalSecrets, { predicate: specOrMetadataChanged });
  controller.watch(secrets, { map: (e) => ownerOf(e.object) });
  await manager.start();
  return { controller, client, stop: () => manager.stop() };
}

/**
 * Resolves when the queue has nothing waiting or in flight and `done()` holds (polled; `pass`
 * yields a turn). With `pacedIsIdle`, refreshes held back by the pacer do not count: they leave
 * only as the clock moves. Throws after `timeoutMs` of real time, so a broken setup fails instead
 * of hanging.
 */
export async function waitIdle(
  controller: Controller,
  pass: () => Promise<void>,
  options: { done?: () => boolean; timeoutMs?: number; pacedIsIdle?: boolean } = {},
): Promise<void> {
  const deadline = performance.now() + (options.timeoutMs ?? 180_000);
  let quiet = 0;
  while (quiet < 2) {
    if (performance.now() > deadline)
      throw new Error('the ExternalSecret queue did not drain in time (see the Ready conditions)');
    await pass();
    const p = controller.queue.progress();
    const waiting = p.pending - (options.pacedIsIdle === true ? (p.paced ?? 0) : 0);
    const drained = waiting === 0 && p.inFlight === 0 && (options.done?.() ?? true);
    quiet = drained ? quiet + 1 : 0;
  }
}

/**
 * A `waitIdle` pass for a real-time clock that can jump: paced refreshes (ADR 0013) leave only as
 * time passes, so when nothing else waits the clock jumps one release gap at a time until every
 * worker has a key (or `inFlight` keys are in flight), then yields 5 ms.
 */
export async function passWarpingPaced(
  controller: Controller,
  clock: WarpClock,
  inFlight = controller.concurrency,
): Promise<void> {
  const queue = controller.queue;
  const gapMs = Math.ceil(1000 / (queue.pacedRatePerSecond() ?? 1)) + 1;
  for (let i = 0; i < inFlight; i++) {
    const p = queue.progress();
    if (p.pending === 0 || p.pending !== p.paced || p.inFlight >= inFlight) break;
    clock.warp(gapMs);
  }
  await delay(5);
}

const PER_NAMESPACE = 100;

/**
 * `n` ExternalSecrets, 100 per namespace (`<prefix>-<i>`), each reading its own remote key from
 * its namespace's store. Returns their keys (`namespace/name`).
 */
export async function addExternalSecrets(
  world: BenchWorld,
  n: number,
  options: { prefix: string; refreshInterval: string },
): Promise<string[]> {
  const keys: string[] = [];
  for (let first = 0; first < n; first += PER_NAMESPACE) {
    const namespace = `${options.prefix}-${first / PER_NAMESPACE}`;
    const es = Array.from({ length: Math.min(PER_NAMESPACE, n - first) }, (_, j) => ({
      name: `es-${first + j}`,
      key: `${options.prefix}-key-${first + j}`,
      refreshInterval: options.refreshInterval,
    }));
    await world.addNamespace(
      namespace,
      es.map((e) => e.key),
      es,
    );
    keys.push(...es.map((e) => `${namespace}/${e.name}`));
  }
  return keys;
}
