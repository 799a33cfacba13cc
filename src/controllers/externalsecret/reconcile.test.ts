import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnySecretStore } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { objectKey, type KubeObject } from '../../kube/types.ts';
import { createDefaultRegistry } from '../../providers/registry.ts';
import { goTemplateEngine, LABEL_CREATED_BY } from '../../sync/index.ts';
import { silentLogger } from '../../telemetry/logger.ts';
import { MemoryKube } from '../../../test/support/memory-kube.ts';
import { EsoResources } from '../kinds.ts';
import { EXTERNAL_SECRET_FINALIZER } from './deletion.ts';
import { ExternalSecretReconciler, type ExternalSecretObject } from './reconcile.ts';
import type { SecretObject } from './target.ts';

const SECRET_VALUE = 's3cr3t-canary';

const ES_KEY = 'externalsecrets/n/app';

/** The reconciler against a MemoryKube; the informer caches read the same objects. */
function harness() {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  const kube = new MemoryKube();
  const memory = kube.client();
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
  kube.objects.set(ES_KEY, structuredClone(es));
  const store: AnySecretStore = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: 'fake', namespace: 'n' },
    spec: { provider: { fake: { data: [{ key: 'db', value: SECRET_VALUE }] } } },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Valid' }] },
  };
  /** Stores other than `fake`, by name; `undefined` plays a missing store. */
  const otherStores = new Map<string, AnySecretStore | undefined>();
  const events: string[] = [];
  const fieldManagers: string[] = [];
  let lists = 0;
  const client: KubeClient = {
    ...memory,
    list: (type, options) => {
      lists += 1;
      return memory.list(type, options);
    },
    create: (type, obj, options) => {
      fieldManagers.push(options?.fieldManager ?? '');
      return memory.create(type, obj, options);
    },
    update: (type, obj, options) => {
      fieldManagers.push(options?.fieldManager ?? '');
      return memory.update(type, obj, options);
    },
  };
  const copy = (key: string): KubeObject | undefined => {
    const obj = kube.objects.get(key);
    return obj ? structuredClone(obj) : undefined;
  };
  const cachedEs = (key: string) => copy(key) as ExternalSecretObject | undefined;
  const cachedSecret = (key: string) => copy(key) as SecretObject | undefined;
  let staleEs: ExternalSecretObject | undefined;
  const reconciler = new ExternalSecretReconciler({
    client,
    externalSecrets: {
      getByRef: (ref) => staleEs ?? cachedEs(`externalsecrets/${objectKey(ref)}`),
    },
    secrets: {
      getByRef: (ref) => cachedSecret(`secrets/${objectKey(ref)}`),
      createdBy: (ns, value) =>
        [...kube.objects.entries()]
          .filter(([k]) => k.startsWith(`secrets/${ns}/`))
          .map(([k]) => cachedSecret(k))
          .filter((x) => x?.metadata.labels?.[LABEL_CREATED_BY] === value) as SecretObject[],
    },
    stores: { get: (_kind, _ns, name) => (otherStores.has(name) ? otherStores.get(name) : store) },
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
    kube,
    store,
    otherStores,
    writes: kube.writes,
    fieldManagers,
    events,
    reconciler,
    lists: () => lists,
    es: () => cachedEs(ES_KEY),
    secret: (name = 'app') => cachedSecret(`secrets/n/${name}`),
    /** Edits the stored ExternalSecret as a user would (spec changes bump the generation). */
    editEs: (edit: (es: ExternalSecretObject) => void) => {
      const current = cachedEs(ES_KEY);
      assert.ok(current);
      edit(current);
      kube.objects.set(ES_KEY, current);
    },
    /** From now on the ExternalSecret cache serves this copy. */
    staleEs: (es: ExternalSecretObject | undefined) => (staleEs = es),
    advance: (ms: number) => (now += ms),
  };
}

const request = { namespace: 'n', name: 'app' };

describe('ExternalSecretReconciler', () => {
  it('adds the finalizer, creates the Secret with the ESO field manager, then an unchanged refresh writes nothing', async () => {
    const h = harness();
    const first = await h.reconciler.reconcile(request);
    assert.deepEqual(h.writes, [
      'patch externalsecrets/n/app',
      'create secrets/n/app',
      'patch externalsecrets/n/app/status',
    ]);
    assert.deepEqual(h.fieldManagers, ['externalsecrets.external-secrets.io/app']);
    assert.deepEqual(h.es()?.metadata.finalizers, [EXTERNAL_SECRET_FINALIZER]);
    assert.equal(first?.requeueAfter, 10_000);
    const s = h.secret();
    assert.equal(Buffer.from(s?.data?.['PASSWORD'] ?? '', 'base64').toString(), SECRET_VALUE);
    assert.equal(s?.metadata.ownerReferences?.[0]?.uid, 'u1');
    assert.equal(h.es()?.status?.conditions?.[0]?.reason, 'SecretSynced');

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
    const before = structuredClone(h.secret());
    h.store.status = {
      conditions: [{ type: 'Ready', status: 'False', reason: 'ValidationFailed' }],
    };
    h.advance(11_000);
    await assert.rejects(h.reconciler.reconcile(request), { name: 'Error' });
    assert.deepEqual(h.secret(), before);
    const ready = h.es()?.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    assert.equal(ready.reason, 'SecretSyncedError');
    assert.ok(h.events.some((e) => e.startsWith('Warning/UpdateFailed')));
    assert.ok(!JSON.stringify([h.events, h.es()?.status]).includes(SECRET_VALUE));
  });

  it('waits for the store to be validated: the flood gate wants Ready=True (§9.21)', async () => {
    const h = harness();
    delete h.store.status;
    await assert.rejects(h.reconciler.reconcile(request), /sync failed/);
    assert.equal(h.secret(), undefined);
    assert.ok(h.events.some((e) => e.includes('SecretStore "fake" is not ready')));
    h.store.status = { conditions: [{ type: 'Ready', status: 'True', reason: 'Valid' }] };
    await h.reconciler.reconcile(request);
    assert.ok(h.secret());
  });

  it('skips ExternalSecrets whose store names another controller class, live or deleted', async () => {
    const h = harness();
    h.store.spec.controller = 'other';
    assert.equal(await h.reconciler.reconcile(request), undefined);
    assert.deepEqual(h.writes, []);
    h.editEs((es) => {
      es.metadata.finalizers = [EXTERNAL_SECRET_FINALIZER];
      es.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    });
    assert.equal(await h.reconciler.reconcile(request), undefined);
    assert.deepEqual(h.writes, []);
  });

  it('skips ExternalSecrets with any sourceRef store of another controller class', async () => {
    const h = harness();
    h.otherStores.set('foreign', { ...h.store, spec: { ...h.store.spec, controller: 'other' } });
    h.editEs((es) => {
      es.spec.data = [
        ...(es.spec.data ?? []),
        {
          secretKey: 'OTHER',
          remoteRef: { key: 'db' },
          sourceRef: { storeRef: { name: 'foreign', kind: 'SecretStore' } },
        },
      ];
    });
    assert.equal(await h.reconciler.reconcile(request), undefined);
    assert.deepEqual(h.writes, []);
  });

  it('names a missing store the way ESO does (the API NotFound text)', async () => {
    const h = harness();
    h.otherStores.set('fake', undefined);
    await assert.rejects(h.reconciler.reconcile(request), /sync failed/);
    assert.ok(
      h.events.includes(
        'Warning/UpdateFailed: error processing spec.data[0] (key: db), err: could not get SecretStore "fake", secretstores.external-secrets.io "fake" not found',
      ),
      h.events.join('\n'),
    );
  });

  it('renaming target.name deletes the earlier Owner Secret with event Deleted', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    h.editEs((es) => {
      es.spec.target = { ...es.spec.target, name: 'renamed' };
      es.metadata.generation = 2;
    });
    await h.reconciler.reconcile(request);
    assert.equal(h.secret('app'), undefined);
    assert.ok(h.secret('renamed'));
    assert.ok(h.events.includes('Normal/Deleted: secret deleted because it was orphaned'));
    assert.equal(h.lists(), 0, 'orphans come from the managed-Secret cache, not a LIST');
  });
});

describe('ExternalSecretReconciler: deletion (eso.md §2.1 step 1, §9.15)', () => {
  const table = [
    { creation: 'Owner', deletion: 'Delete', kept: false },
    { creation: 'Owner', deletion: 'Retain', kept: true },
    { creation: 'Owner', deletion: 'Merge', kept: true },
    { creation: 'Orphan', deletion: 'Delete', kept: true },
    { creation: 'Orphan', deletion: 'Retain', kept: true },
    { creation: 'Merge', deletion: 'Merge', kept: true },
    { creation: 'CreateOrMerge', deletion: 'Retain', kept: true },
  ] as const;
  for (const row of table) {
    const fate = row.kept ? (row.creation === 'Owner' ? 'left to the GC' : 'kept') : 'deleted';
    it(`${row.creation}/${row.deletion}: the Secret is ${fate}, the finalizer released`, async () => {
      const h = harness();
      h.editEs((es) => {
        es.spec.target = {
          name: 'app',
          creationPolicy: row.creation,
          deletionPolicy: row.deletion,
        };
      });
      if (row.creation === 'Merge')
        h.kube.objects.set('secrets/n/app', {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'app', namespace: 'n', uid: 's1', resourceVersion: '1' },
        });
      await h.reconciler.reconcile(request);
      assert.ok(h.secret(), 'synced first');
      await h.kube.client().delete(EsoResources.ExternalSecret, request);
      assert.ok(h.es()?.metadata.deletionTimestamp, 'the finalizer holds the ExternalSecret');

      assert.equal(await h.reconciler.reconcile(request), undefined);
      assert.equal(h.secret() !== undefined, row.kept);
      assert.equal(h.es(), undefined, 'the ExternalSecret is gone');
    });
  }

  it('Delete leaves a Secret that another object controls', async () => {
    const h = harness();
    h.editEs((es) => (es.spec.target = { name: 'app', deletionPolicy: 'Delete' }));
    await h.reconciler.reconcile(request);
    const secret = h.secret();
    assert.ok(secret?.metadata.ownerReferences?.[0]);
    secret.metadata.ownerReferences[0].uid = 'someone-else';
    h.kube.objects.set('secrets/n/app', secret);
    await h.kube.client().delete(EsoResources.ExternalSecret, request);
    await h.reconciler.reconcile(request);
    assert.ok(h.secret());
    assert.equal(h.es(), undefined);
  });

  it('keeps other finalizers when adding and releasing its own', async () => {
    const h = harness();
    h.editEs((es) => (es.metadata.finalizers = ['example.com/keep']));
    await h.reconciler.reconcile(request);
    assert.deepEqual(h.es()?.metadata.finalizers, ['example.com/keep', EXTERNAL_SECRET_FINALIZER]);
    await h.kube.client().delete(EsoResources.ExternalSecret, request);
    await h.reconciler.reconcile(request);
    assert.deepEqual(h.es()?.metadata.finalizers, ['example.com/keep']);
  });

  it('cleans up even when the finalizer was removed by someone else', async () => {
    const h = harness();
    h.editEs((es) => (es.spec.target = { name: 'app', deletionPolicy: 'Delete' }));
    await h.reconciler.reconcile(request);
    h.editEs((es) => (es.metadata.finalizers = ['example.com/keep']));
    await h.kube.client().delete(EsoResources.ExternalSecret, request);
    h.writes.length = 0;
    await h.reconciler.reconcile(request);
    assert.equal(h.secret(), undefined);
    assert.deepEqual(h.writes, ['delete secrets/n/app']);
  });

  it('a cache that lags its own finalizer write does not write it again', async () => {
    const h = harness();
    const stale = structuredClone(h.es());
    await h.reconciler.reconcile(request);
    h.writes.length = 0;
    h.staleEs(stale);
    h.advance(11_000);
    await h.reconciler.reconcile(request);
    assert.ok(!h.writes.includes('patch externalsecrets/n/app'), h.writes.join());
  });
});
