import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnySecretStore } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { objectKey, refOf, type KubeObject, type ObjectRef } from '../../kube/types.ts';
import { createDefaultRegistry } from '../../providers/registry.ts';
import { goTemplateEngine } from '../../sync/index.ts';
import { silentLogger } from '../../telemetry/logger.ts';
import { ExternalSecretReconciler, type ExternalSecretObject } from './reconcile.ts';
import type { SecretObject } from './target.ts';

const SECRET_VALUE = 's3cr3t-canary';

function harness() {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  const es: ExternalSecretObject = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'app', namespace: 'n', uid: 'u1', generation: 1 },
    spec: {
      refreshInterval: '10s',
      secretStoreRef: { name: 'fake', kind: 'SecretStore' },
      target: { name: 'app', creationPolicy: 'Owner' },
      data: [{ secretKey: 'PASSWORD', remoteRef: { key: 'db', property: '' } }],
    },
  };
  const store: AnySecretStore = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: 'fake', namespace: 'n' },
    spec: { provider: { fake: { data: [{ key: 'db', value: SECRET_VALUE }] } } },
  };
  const secrets = new Map<string, SecretObject>();
  const writes: string[] = [];
  const events: string[] = [];
  const client = {
    get: (_t: unknown, ref: ObjectRef) => Promise.resolve(secrets.get(objectKey(ref))),
    create: (_t: unknown, obj: SecretObject, o: { fieldManager?: string }) => {
      writes.push(`create ${o.fieldManager ?? ''}`);
      secrets.set(objectKey(refOf(obj)), {
        ...obj,
        metadata: { ...obj.metadata, resourceVersion: '1' },
      });
      return Promise.resolve(obj);
    },
    update: (_t: unknown, obj: SecretObject) => {
      writes.push('update');
      secrets.set(objectKey(refOf(obj)), obj);
      return Promise.resolve(obj);
    },
    list: () => Promise.resolve({ items: [], resourceVersion: '1' }),
    mergePatch: (_t: unknown, _r: unknown, patch: { status: ExternalSecretObject['status'] }) => {
      writes.push('status');
      es.status = patch.status;
      return Promise.resolve({});
    },
  } as unknown as KubeClient;
  const reconciler = new ExternalSecretReconciler({
    client,
    externalSecrets: { getByRef: () => es },
    secrets: { getByRef: (ref) => secrets.get(objectKey(ref)) },
    stores: { get: () => store },
    registry: createDefaultRegistry({ clock }),
    engine: goTemplateEngine(),
    kube: {} as never,
    recorder: {
      event: (_o: KubeObject, type: string, reason: string, message: string) => {
        events.push(`${type}/${reason}: ${message}`);
        return Promise.resolve();
      },
    } as unknown as EventRecorder,
    clock,
    logger: silentLogger(),
    fetch: globalThis.fetch,
    random: () => 0.5,
  });
  return {
    es,
    store,
    secrets,
    writes,
    events,
    reconciler,
    advance: (ms: number) => (now += ms),
  };
}

const request = { namespace: 'n', name: 'app' };

describe('ExternalSecretReconciler', () => {
  it('creates the Secret with ESO field manager, then an unchanged refresh writes nothing', async () => {
    const h = harness();
    const first = await h.reconciler.reconcile(request);
    assert.deepEqual(h.writes, ['create externalsecrets.external-secrets.io/app', 'status']);
    assert.equal(first?.requeueAfter, 10_000);
    const s = h.secrets.get('n/app');
    assert.equal(Buffer.from(s?.data?.['PASSWORD'] ?? '', 'base64').toString(), SECRET_VALUE);
    assert.equal(s?.metadata.ownerReferences?.[0]?.uid, 'u1');
    assert.equal(h.es.status?.conditions?.[0]?.reason, 'SecretSynced');

    h.writes.length = 0;
    h.advance(11_000);
    const second = await h.reconciler.reconcile(request);
    assert.deepEqual(h.writes, []);
    assert.equal(second?.requeueAfter, 10_000);
    assert.ok(h.events.every((e) => !e.includes(SECRET_VALUE)));
  });

  it('keeps the Secret and reports SecretSyncedError without the value when the store fails', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    const before = structuredClone(h.secrets.get('n/app'));
    h.store.status = {
      conditions: [{ type: 'Ready', status: 'False', reason: 'ValidationFailed' }],
    };
    h.advance(11_000);
    await assert.rejects(h.reconciler.reconcile(request), { name: 'Error' });
    assert.deepEqual(h.secrets.get('n/app'), before);
    const ready = h.es.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    assert.equal(ready.reason, 'SecretSyncedError');
    assert.ok(h.events.some((e) => e.startsWith('Warning/UpdateFailed')));
    assert.ok(!JSON.stringify([h.events, h.es.status]).includes(SECRET_VALUE));
  });

  it('skips ExternalSecrets whose store names another controller class', async () => {
    const h = harness();
    h.store.spec.controller = 'other';
    assert.equal(await h.reconciler.reconcile(request), undefined);
    assert.deepEqual(h.writes, []);
  });
});
