/**
 * The runtime end to end against the real API server: informer → queue → reconciler, the event
 * recorder's dedupe, and the request-counting client proving an unchanged refresh writes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { KubeClient } from '../../src/kube/client.ts';
import { CountingKubeClient } from '../../src/kube/counting.ts';
import { EventRecorder } from '../../src/kube/events.ts';
import { Informer } from '../../src/kube/informer.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { Manager, type ReconcileRequest } from '../../src/runtime/manager.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import { createMetrics } from '../../src/telemetry/metrics.ts';
import { createNamespace, deleteNamespace, eventually, testKubeClient } from '../support/kube.ts';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const clock = systemClock();
const logger = silentLogger();
let client: KubeClient;
let ns: string;

before(async () => {
  client = testKubeClient();
  ns = await createNamespace(client, 'rt-manager');
});

after(async () => {
  await deleteNamespace(client, ns);
});

describe('Manager with a real informer', () => {
  it('reconciles on create, refreshes without writing when nothing changed, and drains on stop', async () => {
    const counting = new CountingKubeClient(client);
    const informer = new Informer<ConfigMap>({
      client: counting,
      type: Resources.ConfigMap,
      namespace: ns,
      labelSelector: 'ferry.test/source=true',
      clock,
      logger,
    });
    const registry = new Registry();
    const manager = new Manager({ clock, logger, metrics: createMetrics(registry) });
    const reconciled: string[] = [];
    // A toy level-based reconciler: mirror each source ConfigMap into "<name>-copy", writing
    // only when the copy differs, and look again in 50 ms.
    const reconciler = {
      reconcile: async (req: ReconcileRequest) => {
        reconciled.push(req.name);
        const source = informer.store.getByRef(req);
        if (!source) return;
        const copyRef = { namespace: req.namespace, name: `${req.name}-copy` };
        const copy = await counting.get<ConfigMap>(Resources.ConfigMap, copyRef);
        if (JSON.stringify(copy?.data ?? null) !== JSON.stringify(source.data ?? {})) {
          await counting.apply(
            Resources.ConfigMap,
            { metadata: copyRef, data: source.data ?? {} },
            { fieldManager: 'ferry-test', force: true },
          );
        }
        return { requeueAfter: 50 };
      },
    };
    const controller = manager.addController({ name: 'mirror', reconciler, concurrency: 2 });
    controller.watch(manager.addInformer(informer));
    await manager.start();
    try {
      await counting.create(Resources.ConfigMap, {
        metadata: { name: 'src', namespace: ns, labels: { 'ferry.test/source': 'true' } },
        data: { greeting: 'hello' },
      });
      await eventually('copy written', async () => {
        const copy = await client.get<ConfigMap>(Resources.ConfigMap, {
          namespace: ns,
          name: 'src-copy',
        });
        return copy?.data?.['greeting'] === 'hello' ? true : undefined;
      });
      counting.reset();
      const before = reconciled.length;
      await eventually('three periodic refreshes', () =>
        reconciled.length >= before + 3 ? true : undefined,
      );
      assert.equal(
        counting.writes(),
        0,
        `no writes in unchanged refreshes: ${JSON.stringify(counting.calls)}`,
      );
      assert.ok(counting.count('get') >= 3);
      const text = await registry.metrics();
      assert.match(
        text,
        /controller_runtime_reconcile_total\{controller="mirror",result="requeue_after"\} \d+/,
      );
      assert.match(text, /workqueue_adds_total\{name="mirror"\} \d+/);
    } finally {
      await manager.stop();
    }
    assert.equal(manager.health().stalled.length, 0);
  });
});

describe('EventRecorder', () => {
  it('creates one Event per (object, reason, message) and counts repeats', async () => {
    const cm = await client.create<ConfigMap>(Resources.ConfigMap, {
      metadata: { name: 'evt', namespace: ns },
    });
    const recorder = new EventRecorder({ client, clock, logger, component: 'external-secrets' });
    const involved = { ...cm, apiVersion: 'v1', kind: 'ConfigMap' };
    await recorder.event(
      involved,
      'Warning',
      'UpdateFailed',
      'could not read key "password" of store "vault"',
    );
    await recorder.event(
      involved,
      'Warning',
      'UpdateFailed',
      'could not read key "password" of store "vault"',
    );
    await recorder.event(involved, 'Normal', 'Updated', 'Updated Secret');
    const events = await client.list<
      KubeObject & { reason?: string; count?: number; involvedObject?: { uid?: string } }
    >(Resources.Event, { namespace: ns, fieldSelector: `involvedObject.name=evt` });
    const byReason = new Map(events.items.map((e) => [e.reason, e]));
    assert.equal(events.items.length, 2);
    assert.equal(byReason.get('UpdateFailed')?.count, 2);
    assert.equal(byReason.get('Updated')?.count, 1);
    assert.equal(byReason.get('Updated')?.involvedObject?.uid, cm.metadata.uid);
  });

  it('never throws when the API rejects the event', async () => {
    const recorder = new EventRecorder({ client, clock, logger, component: 'external-secrets' });
    await recorder.event(
      { metadata: { name: 'x', namespace: 'no-such-namespace-ferry' } },
      'Normal',
      'R',
      'm',
    );
  });
});
