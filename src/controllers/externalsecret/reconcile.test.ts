import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnySecretStore } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { objectKey, type KubeObject } from '../../kube/types.ts';
import { createFakeProvider } from '../../providers/fake/provider.ts';
import type { Provider } from '../../providers/provider.ts';
import { createDefaultRegistry, ProviderRegistry } from '../../providers/registry.ts';
import { goTemplateEngine, LABEL_CREATED_BY } from '../../sync/index.ts';
import { silentLogger } from '../../telemetry/logger.ts';
import { MemoryKube } from '../../../test/support/memory-kube.ts';
import { EsoResources } from '../kinds.ts';
import { EXTERNAL_SECRET_FINALIZER } from './deletion.ts';
import {
  ExternalSecretReconciler,
  type ExternalSecretObject,
  type ExternalSecretReconcilerDeps,
} from './reconcile.ts';
import type { SecretObject } from './target.ts';

const SECRET_VALUE = 's3cr3t-canary';

const ES_KEY = 'externalsecrets/n/app';

/** The reconciler against a MemoryKube; the informer caches read the same objects. */
function harness(
  options: { random?: () => number; registry?: ProviderRegistry; refreshReadShare?: number } = {},
) {
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
  const deps: ExternalSecretReconcilerDeps = {
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
    registry: options.registry ?? createDefaultRegistry({ clock }),
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
    random: options.random ?? (() => 0.5),
    ...(options.refreshReadShare !== undefined
      ? { refreshReadShare: options.refreshReadShare }
      : {}),
  };
  const reconciler = new ExternalSecretReconciler(deps);
  return {
    kube,
    store,
    otherStores,
    writes: kube.writes,
    fieldManagers,
    events,
    reconciler,
    /** A new reconciler over the same world: the operator restarted, its memory is gone. */
    restarted: () => new ExternalSecretReconciler(deps),
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
    // The first refresh is spread over the interval less the 1 s read-share window (ADR 0013,
    // 0015); random 0.5 puts it half-way. The pacer expects the mean period, 0.9 × 9 s.
    assert.deepEqual(first, { requeueAfter: 4_500, refreshPeriod: 8_100 });
    const s = h.secret();
    assert.equal(Buffer.from(s?.data?.['PASSWORD'] ?? '', 'base64').toString(), SECRET_VALUE);
    assert.equal(s?.metadata.ownerReferences?.[0]?.uid, 'u1');
    assert.equal(h.es()?.status?.conditions?.[0]?.reason, 'SecretSynced');

    h.writes.length = 0;
    h.advance(11_000);
    const second = await h.reconciler.reconcile(request);
    assert.deepEqual(h.writes, []);
    assert.deepEqual(second, { requeueAfter: 8_100, refreshPeriod: 8_100 });
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

  describe('refresh plan (ADR 0013)', () => {
    /** Draws from `values` in turn (the plan's spread, then each refresh's jitter). */
    const draws = (...values: number[]) => {
      let i = 0;
      return () => values[i++ % values.length] ?? 0;
    };
    const setStoreValue = (h: ReturnType<typeof harness>, value: string) => {
      h.store.spec.provider = { fake: { data: [{ key: 'db', value }] } };
    };
    const secretValue = (h: ReturnType<typeof harness>) =>
      Buffer.from(h.secret()?.data?.['PASSWORD'] ?? '', 'base64').toString();

    // The harness: a 10 s interval and a 1 s read-share window (ADR 0015), so refreshes are
    // planned within a 9 s span, and the pacer is told the mean period, 0.9 × 9 s.
    for (const [random, spread] of [
      [0, 9_000],
      [0.25, 6_750],
      [0.999_99, 1],
    ] as const)
      it(`spreads the first refresh over (0, interval − window]: random ${String(random)} → ${String(spread)} ms, and refreshes then`, async () => {
        const h = harness({ random: draws(random, 0.5) });
        const first = await h.reconciler.reconcile(request);
        assert.deepEqual(first, { requeueAfter: spread, refreshPeriod: 8_100 });
        setStoreValue(h, 'v2');
        if (spread > 1) {
          h.advance(spread - 1);
          const early = await h.reconciler.reconcile(request);
          assert.deepEqual(early, { requeueAfter: 1, refreshPeriod: 8_100 }, 'not due yet');
          assert.equal(secretValue(h), SECRET_VALUE);
        }
        h.advance(1);
        const due = await h.reconciler.reconcile(request);
        // (A read is shared for 1 s, so a refresh 1 ms later still sees the old value.)
        if (spread > 1_000)
          assert.equal(secretValue(h), 'v2', 'refreshed at the spread time, before the interval');
        assert.deepEqual(due, { requeueAfter: 8_100, refreshPeriod: 8_100 });
      });

    it('plans later refreshes at 80–100 % of the span, never past the interval', async () => {
      const h = harness({ random: draws(0.5, 0, 0.999_99) });
      await h.reconciler.reconcile(request);
      h.advance(4_500);
      const latest = await h.reconciler.reconcile(request);
      assert.deepEqual(latest, { requeueAfter: 9_000, refreshPeriod: 8_100 });
      h.advance(9_000);
      const earliest = await h.reconciler.reconcile(request);
      assert.deepEqual(earliest, { requeueAfter: 7_200, refreshPeriod: 8_100 });
      setStoreValue(h, 'v2');
      h.advance(7_199);
      await h.reconciler.reconcile(request);
      assert.equal(secretValue(h), SECRET_VALUE, 'not before the planned time');
      h.advance(1);
      await h.reconciler.reconcile(request);
      assert.equal(secretValue(h), 'v2');
    });

    it('after a restart keeps the due time of an object not yet due', async () => {
      const h = harness({ random: draws(0.5) });
      await h.reconciler.reconcile(request); // refreshTime written: now
      h.advance(4_000);
      const notDue = await h.restarted().reconcile(request);
      // refreshTime + interval − the read-share window: 9 s after the sync, 5 s from now.
      assert.deepEqual(notDue, { requeueAfter: 5_000, refreshPeriod: 8_100 }, 'ESO due time');
    });

    it('after a restart hands a refresh due only by time to the pacer, then refreshes on plan', async () => {
      const h = harness({ random: draws(0.5) });
      await h.reconciler.reconcile(request);
      const again = h.restarted();
      h.advance(11_000); // past refreshTime + interval
      setStoreValue(h, 'v2');
      const due = await again.reconcile(request);
      assert.deepEqual(due, { requeueAfter: 1, refreshPeriod: 8_100 }, 'no read yet');
      assert.equal(secretValue(h), SECRET_VALUE);
      h.advance(1);
      const released = await again.reconcile(request);
      assert.equal(secretValue(h), 'v2');
      assert.deepEqual(released, { requeueAfter: 8_100, refreshPeriod: 8_100 }, 'not spread');
    });

    it('after a restart repairs a missing Secret at once', async () => {
      const h = harness({ random: draws(0.5) });
      await h.reconciler.reconcile(request);
      h.kube.objects.delete('secrets/n/app');
      h.advance(11_000);
      const repaired = await h.restarted().reconcile(request);
      assert.equal(secretValue(h), SECRET_VALUE);
      assert.deepEqual(repaired, { requeueAfter: 4_500, refreshPeriod: 8_100 }, 'first: spread');
    });

    it('does not plan or pace without a periodic refresh', async () => {
      for (const edit of [
        (es: ExternalSecretObject) => (es.spec.refreshInterval = '0s'),
        (es: ExternalSecretObject) => (es.spec.refreshPolicy = 'CreatedOnce'),
      ]) {
        const h = harness();
        h.editEs(edit);
        const result = await h.reconciler.reconcile(request);
        assert.equal(result?.refreshPeriod, undefined);
      }
    });
  });

  describe('refresh read sharing (ADR 0015)', () => {
    /** The fake provider, counting the values it reads. */
    const countingRegistry = () => {
      const fake = createFakeProvider();
      const counter = { reads: 0 };
      const provider: Provider = {
        key: fake.key,
        capabilities: (store) => fake.capabilities(store),
        validateStore: (store) => fake.validateStore(store),
        newClient: async (store, context) => {
          const client = await fake.newClient(store, context);
          const getSecret = client.getSecret.bind(client);
          client.getSecret = (ref) => {
            counter.reads += 1;
            return getSecret(ref);
          };
          return client;
        },
      };
      return { registry: new ProviderRegistry().register(provider), counter };
    };
    const second = { namespace: 'n', name: 'app2' };
    const MINUTE = 60_000;

    /**
     * `app` and `app2` read key `db` every hour; both are synced at once (one burst read), so
     * with random 0.5 both are due for their first refresh half a span (27 min, or 30 without
     * sharing) later; the tests look at 30 min. The store then holds `v2`.
     */
    async function twoOnOneKey(refreshReadShare?: number) {
      const { registry, counter } = countingRegistry();
      const h = harness({
        registry,
        ...(refreshReadShare !== undefined ? { refreshReadShare } : {}),
      });
      h.editEs((es) => (es.spec.refreshInterval = '1h'));
      const other = h.es();
      assert.ok(other);
      other.metadata = { ...other.metadata, name: 'app2', uid: 'u2' };
      other.spec.target = { name: 'app2', creationPolicy: 'Owner' };
      h.kube.objects.set('externalsecrets/n/app2', other);
      await h.reconciler.reconcile(request);
      await h.reconciler.reconcile(second);
      assert.equal(counter.reads, 1, 'the creates share one read (burst window)');
      h.store.spec.provider = { fake: { data: [{ key: 'db', value: 'v2' }] } };
      const value = (name: string) =>
        Buffer.from(h.secret(name)?.data?.['PASSWORD'] ?? '', 'base64').toString();
      return { h, counter, value };
    }

    it('periodic refreshes of two ExternalSecrets on one key within the window share one read', async () => {
      const { h, counter, value } = await twoOnOneKey();
      h.advance(30 * MINUTE);
      await h.reconciler.reconcile(request);
      assert.equal(counter.reads, 2);
      assert.equal(value('app'), 'v2');
      h.advance(5 * MINUTE); // within 0.1 × 1h
      await h.reconciler.reconcile(second);
      assert.equal(counter.reads, 2, "app2's periodic refresh reused app's read");
      assert.equal(value('app2'), 'v2');
    });

    it('with --refresh-read-share=0 each periodic refresh reads', async () => {
      const { h, counter } = await twoOnOneKey(0);
      h.advance(30 * MINUTE);
      await h.reconciler.reconcile(request);
      h.advance(5 * MINUTE);
      await h.reconciler.reconcile(second);
      assert.equal(counter.reads, 3);
    });

    it('a force-sync reads fresh, even within the window', async () => {
      const { h, counter, value } = await twoOnOneKey();
      h.advance(30 * MINUTE);
      await h.reconciler.reconcile(request);
      h.store.spec.provider = { fake: { data: [{ key: 'db', value: 'v3' }] } };
      h.advance(MINUTE);
      const app2 = h.kube.objects.get('externalsecrets/n/app2') as ExternalSecretObject;
      app2.metadata.annotations = { 'force-sync': String(h.advance(0)) };
      await h.reconciler.reconcile(second);
      assert.equal(counter.reads, 3);
      assert.equal(value('app2'), 'v3');
    });
  });
});
