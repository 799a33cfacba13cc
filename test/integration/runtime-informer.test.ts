/**
 * The informer against the real API server: it sees create/update/delete, caches only managed
 * Secrets, and recovers without a process restart when the watch connection is cut, when it
 * stalls silently, and when the API server itself is killed and restarted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { newKubeClient, type KubeClient } from '../../src/kube/client.ts';
import {
  Informer,
  type InformerEvent,
  type InformerOptions,
  type RestartReason,
} from '../../src/kube/informer.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import { startKubePair, type KubePair } from '../support/kube-pair.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  testKubeConfig,
} from '../support/kube.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const MANAGED = 'reconcile.external-secrets.io/managed';

interface Recorder {
  events: string[];
  restarts: RestartReason[];
  informer: Informer<KubeObject>;
}

function record(options: Omit<InformerOptions<KubeObject>, 'clock' | 'logger' | 'type'>): Recorder {
  const events: string[] = [];
  const restarts: RestartReason[] = [];
  const informer = new Informer<KubeObject>({
    type: Resources.Secret,
    clock: systemClock(),
    logger: silentLogger(),
    backoff: { baseMs: 100, maxMs: 1000 },
    onRestart: (reason) => restarts.push(reason),
    ...options,
  });
  informer.on((e: InformerEvent<KubeObject>) =>
    events.push(`${e.type}:${e.object.metadata.name ?? ''}`),
  );
  return { events, restarts, informer };
}

function secret(
  ns: string,
  name: string,
  labels: Record<string, string> = { [MANAGED]: 'true' },
): KubeObject {
  return { metadata: { name, namespace: ns, labels } };
}

/** A KubeConfig whose server is the proxy in front of the real API server (same TLS identity). */
function viaProxy(kc: KubeConfig, proxy: TcpProxy): KubeConfig {
  const cluster = kc.getCurrentCluster()!;
  const proxied = new KubeConfig();
  proxied.loadFromClusterAndUser(
    { ...cluster, server: `https://127.0.0.1:${proxy.port}` },
    kc.getCurrentUser()!,
  );
  return proxied;
}

/** Proves the watch is live: a Secret created now arrives as an event. */
async function watching(r: Recorder, ns: string, marker: string): Promise<void> {
  await r.informer.waitForSync();
  await testKubeClient().create(Resources.Secret, secret(ns, marker));
  await eventually(`added:${marker}`, seen(r, `added:${marker}`));
}

const seen = (r: Recorder, event: string) => (): true | undefined =>
  r.events.includes(event) ? true : undefined;

describe('Informer (shared API server)', () => {
  let client: KubeClient;
  let ns: string;

  before(async () => {
    client = testKubeClient();
    ns = await createNamespace(client, 'rt-informer');
  });

  after(async () => {
    await deleteNamespace(client, ns);
  });

  it('lists, then sees create, update and delete of managed Secrets only', async () => {
    await client.create(Resources.Secret, secret(ns, 'pre'));
    await client.create(Resources.Secret, secret(ns, 'unmanaged', {}));
    const r = record({ client, namespace: ns, labelSelector: `${MANAGED}=true` });
    r.informer.start();
    try {
      await r.informer.waitForSync();
      assert.deepEqual(r.informer.store.keys(), [`${ns}/pre`]);
      await client.create(Resources.Secret, secret(ns, 'live'));
      await client.create(Resources.Secret, secret(ns, 'other', {}));
      await eventually('added:live', seen(r, 'added:live'));
      await client.mergePatch(
        Resources.Secret,
        { namespace: ns, name: 'live' },
        { data: { k: 'dg==' } },
      );
      await eventually('updated:live', seen(r, 'updated:live'));
      await client.mergePatch(
        Resources.Secret,
        { namespace: ns, name: 'pre' },
        { metadata: { labels: { [MANAGED]: null } } },
      );
      await eventually('deleted:pre (label removed)', seen(r, 'deleted:pre'));
      await client.delete(Resources.Secret, { namespace: ns, name: 'live' });
      await eventually('deleted:live', seen(r, 'deleted:live'));
      assert.equal(r.informer.store.size, 0);
      assert.ok(
        !r.events.some((e) => e.endsWith(':unmanaged') || e.endsWith(':other')),
        r.events.join(','),
      );
    } finally {
      await r.informer.stop();
    }
  });

  it('restarts the watch when its connection is cut', async () => {
    const kc = testKubeConfig();
    const target = new URL(kc.getCurrentCluster()!.server);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const r = record({ client: newKubeClient(viaProxy(kc, proxy)), namespace: ns });
    r.informer.start();
    try {
      await watching(r, ns, 'marker-cut');
      proxy.dropAll();
      await eventually('restart after the cut', () => (r.restarts.length > 0 ? true : undefined));
      await client.create(Resources.Secret, secret(ns, 'after-cut'));
      await eventually('added:after-cut', seen(r, 'added:after-cut'));
    } finally {
      await r.informer.stop();
      await proxy.close();
    }
  });

  it('restarts a watch that goes silent (watchdog), without losing events', async () => {
    const kc = testKubeConfig();
    const target = new URL(kc.getCurrentCluster()!.server);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const r = record({
      client: newKubeClient(viaProxy(kc, proxy)),
      namespace: ns,
      idleTimeoutMs: 1500,
    });
    r.informer.start();
    try {
      await watching(r, ns, 'marker-stall');
      proxy.freeze();
      await client.create(Resources.Secret, secret(ns, 'during-stall'));
      await eventually('idle restart', () => (r.restarts.includes('idle') ? true : undefined));
      proxy.thaw();
      await eventually('added:during-stall', seen(r, 'added:during-stall'));
    } finally {
      await r.informer.stop();
      await proxy.close();
    }
  });

  it('relists periodically and emits what changed', async () => {
    const r = record({ client, namespace: ns, relistIntervalMs: 500 });
    r.informer.start();
    try {
      await r.informer.waitForSync();
      await eventually('a relist', () =>
        r.restarts.filter((x) => x === 'relist').length >= 2 ? true : undefined,
      );
      assert.ok(r.informer.hasSynced());
    } finally {
      await r.informer.stop();
    }
  });
});

describe('Informer (own API server, killed and restarted)', () => {
  let pair: KubePair;

  before(async () => {
    pair = await startKubePair();
  });

  after(async () => {
    await pair.stop();
  });

  it('resyncs after the API server restarts, with no process restart', async () => {
    const client = testKubeClient(pair.kubeconfig);
    const ns = await createNamespace(client, 'rt-restart');
    await client.create(Resources.Secret, secret(ns, 'before'));
    const r = record({ client, namespace: ns });
    r.informer.start();
    try {
      await r.informer.waitForSync();
      assert.ok(r.events.includes('added:before'));
      await pair.killApiserver();
      await eventually('the informer notices', () => (r.restarts.length > 0 ? true : undefined));
      await pair.startApiserver();
      await client.create(Resources.Secret, secret(ns, 'after-restart'));
      await client.delete(Resources.Secret, { namespace: ns, name: 'before' });
      await eventually('added:after-restart', seen(r, 'added:after-restart'), 60_000);
      await eventually('deleted:before', seen(r, 'deleted:before'), 60_000);
      assert.deepEqual(r.informer.store.keys(), [`${ns}/after-restart`]);
    } finally {
      await r.informer.stop();
    }
  });
});
