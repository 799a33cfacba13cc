/**
 * ExternalSecret deletion semantics against a real API server, kube-controller-manager (its
 * garbage collector) and `ferry operator` as a process, with ESO's `fake` provider:
 * - §9.15: the cleanup finalizer, and what becomes of the target Secret when the ExternalSecret
 *   is deleted, for each creationPolicy × deletionPolicy;
 * - §9.10: a remote secret that disappears, per deletionPolicy;
 * - §9.11: an Owner target left behind by a `target.name` change is deleted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import { Resources } from '../../src/kube/types.ts';
import { eventually } from '../support/kube.ts';
import {
  decode,
  encode,
  holds,
  startHarness,
  waitSecret,
  type EsObj,
  type FakeEntry,
  type Harness,
} from './operator-behaviours-support.ts';

const FINALIZER = 'externalsecrets.external-secrets.io/externalsecret-cleanup';

let h: Harness;
before(async () => {
  h = await startHarness('deletion');
});
after(async () => {
  // Our ExternalSecrets carry the finalizer: delete them while the operator still runs, so the
  // namespace can go.
  const { items } = await h.client.list<EsObj>(EsoResources.ExternalSecret, { namespace: h.ns });
  for (const es of items) await deleteExternalSecret(es.metadata.name ?? '').catch(() => undefined);
  await h.stop();
});

const value = (what: string): string => `${what}-${h.canary}`;

/** A store with one entry per key, and a Ready ExternalSecret syncing them into `name`. */
async function synced(
  name: string,
  spec: Record<string, unknown>,
  store: FakeEntry[] = [{ key: `${name}/key`, value: value(name) }],
): Promise<EsObj> {
  await h.createStore(name, store);
  await h.createExternalSecret(name, {
    refreshInterval: '1s',
    secretStoreRef: { name, kind: 'SecretStore' },
    ...spec,
  });
  await h.waitReady(name, { status: 'True' });
  return eventually(`${name} has the cleanup finalizer`, async () => {
    const es = await h.externalSecret(name);
    return es?.metadata.finalizers?.includes(FINALIZER) ? es : undefined;
  });
}

async function deleteExternalSecret(name: string): Promise<void> {
  await h.client.delete(EsoResources.ExternalSecret, { namespace: h.ns, name });
  await eventually(
    `ExternalSecret ${name} gone`,
    async () => ((await h.externalSecret(name)) ? undefined : true),
    30_000,
  );
}

const gone = (name: string) =>
  eventually(
    `Secret ${name} gone`,
    async () => ((await h.secret(name)) ? undefined : true),
    60_000,
  );

/** The Secret a Merge or CreateOrMerge row starts from: one key nobody else manages. */
async function foreignSecret(name: string): Promise<void> {
  await h.client.create(Resources.Secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: h.ns },
    data: { foreign: encode('theirs') },
  });
}

const ONE_KEY = (name: string) => ({
  data: [{ secretKey: 'managed', remoteRef: { key: `${name}/key` } }],
});

describe('§9.15 deleting an ExternalSecret', () => {
  const table = [
    // Owner targets are deleted either way: by us with Delete, by the garbage collector else.
    { creation: 'Owner', deletion: 'Delete', kept: false },
    { creation: 'Owner', deletion: 'Retain', kept: false },
    { creation: 'Owner', deletion: 'Merge', kept: false },
    { creation: 'Orphan', deletion: 'Delete', kept: true },
    { creation: 'Orphan', deletion: 'Retain', kept: true },
    { creation: 'Orphan', deletion: 'Merge', kept: true },
    { creation: 'Merge', deletion: 'Retain', kept: true },
    { creation: 'Merge', deletion: 'Merge', kept: true },
    { creation: 'CreateOrMerge', deletion: 'Delete', kept: true },
    { creation: 'CreateOrMerge', deletion: 'Merge', kept: true },
  ] as const;
  for (const row of table) {
    const name = `del-${row.creation}-${row.deletion}`.toLowerCase();
    it(`${row.creation}/${row.deletion}: the Secret is ${row.kept ? 'kept' : 'deleted'}, the finalizer released`, async () => {
      const merges = row.creation === 'Merge' || row.creation === 'CreateOrMerge';
      if (merges) await foreignSecret(name);
      await synced(name, {
        ...ONE_KEY(name),
        target: { creationPolicy: row.creation, deletionPolicy: row.deletion },
      });
      await waitSecret(h, name, {
        data: { ...(merges ? { foreign: 'theirs' } : {}), managed: value(name) },
      });

      await deleteExternalSecret(name);
      if (!row.kept) {
        await gone(name);
        return;
      }
      await holds('the Secret is kept', async () => (await h.secret(name)) !== undefined, 2_000);
      const secret = await h.secret(name);
      assert.equal(
        decode(secret?.data?.['managed']),
        value(name),
        'ESO strips nothing on deletion',
      );
    });
  }

  it('releases only its own finalizer and leaves the others', async () => {
    const name = 'del-other-finalizer';
    await h.createStore(name, [{ key: `${name}/key`, value: value(name) }]);
    await h.client.create(EsoResources.ExternalSecret, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: h.ns, finalizers: ['example.com/keep'] },
      spec: { secretStoreRef: { name, kind: 'SecretStore' }, ...ONE_KEY(name) },
    });
    await h.waitReady(name, { status: 'True' });
    await eventually('both finalizers', async () => {
      const f = (await h.externalSecret(name))?.metadata.finalizers;
      return f?.length === 2 ? f : undefined;
    });
    assert.deepEqual((await h.externalSecret(name))?.metadata.finalizers, [
      'example.com/keep',
      FINALIZER,
    ]);

    await h.client.delete(EsoResources.ExternalSecret, { namespace: h.ns, name });
    await eventually('our finalizer released', async () => {
      const f = (await h.externalSecret(name))?.metadata.finalizers;
      return f?.length === 1 ? f : undefined;
    });
    assert.deepEqual((await h.externalSecret(name))?.metadata.finalizers, ['example.com/keep']);
    await h.client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: h.ns, name },
      {
        metadata: { finalizers: null },
      },
    );
    await gone(name);
  });

  it('an unchanged refresh does not write the ExternalSecret again', async () => {
    const name = 'del-quiet';
    const es = await synced(name, ONE_KEY(name));
    const settled = await eventually('status written', async () => {
      const now = await h.externalSecret(name);
      return now?.status?.refreshTime ? now : undefined;
    });
    assert.ok(es.metadata.resourceVersion);
    await holds(
      'the resourceVersion stays',
      async () =>
        (await h.externalSecret(name))?.metadata.resourceVersion ===
        settled.metadata.resourceVersion,
      3_500,
    );
  });
});

describe('§9.10 a remote secret that disappears', () => {
  it('Retain: a missing data[] key is an error and the Secret keeps its data', async () => {
    const name = 'nosecret-retain';
    await synced(name, ONE_KEY(name));
    await h.setStoreData(name, []);
    await h.waitReady(name, {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not get secret data from provider',
    });
    await waitSecret(h, name, { data: { managed: value(name) } });
  });

  it('Retain: an empty find result keeps the Secret, "secret retained due to DeletionPolicy=Retain"', async () => {
    const name = 'nosecret-retain-find';
    await synced(name, { dataFrom: [{ find: { name: { regexp: `^${name}/` } } }] });
    await h.setStoreData(name, []);
    await h.waitReady(name, {
      status: 'True',
      reason: 'SecretSynced',
      message: 'secret retained due to DeletionPolicy=Retain',
    });
    await waitSecret(h, name, { data: { [`${name}_key`]: value(name) } });
  });

  it('Delete: the Owner Secret is deleted, Ready SecretDeleted', async () => {
    const name = 'nosecret-delete';
    await synced(name, { ...ONE_KEY(name), target: { deletionPolicy: 'Delete' } });
    await h.setStoreData(name, []);
    await h.waitReady(name, {
      status: 'True',
      reason: 'SecretDeleted',
      message: 'secret deleted due to DeletionPolicy=Delete',
    });
    await gone(name);
    await h.waitEvent(name, 'MissingProviderSecret');
    const deleted = await h.waitEvent(name, 'Deleted');
    assert.equal(deleted.message, 'secret deleted due to DeletionPolicy=Delete');
  });

  for (const creation of ['Merge', 'CreateOrMerge'] as const) {
    it(`Merge (creationPolicy ${creation}): the managed keys are stripped, the others kept`, async () => {
      const name = `nosecret-merge-${creation}`.toLowerCase();
      await foreignSecret(name);
      await synced(
        name,
        {
          data: [
            { secretKey: 'managed', remoteRef: { key: `${name}/key` } },
            { secretKey: 'still', remoteRef: { key: `${name}/still` } },
          ],
          target: { creationPolicy: creation, deletionPolicy: 'Merge' },
        },
        [
          { key: `${name}/key`, value: value(name) },
          { key: `${name}/still`, value: value('still') },
        ],
      );
      await waitSecret(h, name, {
        data: { foreign: 'theirs', managed: value(name), still: value('still') },
      });
      await h.setStoreData(name, [{ key: `${name}/still`, value: value('still') }]);
      await waitSecret(h, name, { data: { foreign: 'theirs', still: value('still') } });
      await h.setStoreData(name, []);
      await waitSecret(h, name, { data: { foreign: 'theirs' } });
      await h.waitEvent(name, 'MissingProviderSecret');
      assert.equal((await h.ready(name))?.reason, 'SecretSynced');
    });
  }
});

describe('§9.11 Owner: a renamed target', () => {
  it('deletes the Secret written under the earlier target.name', async () => {
    const name = 'rename';
    await synced(name, { ...ONE_KEY(name), target: { name: 'rename-before' } });
    await waitSecret(
      h,
      'rename-before',
      { data: { managed: value(name) }, owned: true },
      { owner: name },
    );
    await h.client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: h.ns, name },
      {
        spec: { target: { name: 'rename-after' } },
      },
    );
    await waitSecret(
      h,
      'rename-after',
      { data: { managed: value(name) }, owned: true },
      { owner: name },
    );
    await gone('rename-before');
    const events = await h.events(name);
    assert.ok(
      events.some(
        (e) => e.reason === 'Deleted' && e.message === 'secret deleted because it was orphaned',
      ),
      JSON.stringify(events.map((e) => e.message)),
    );
  });
});

describe('no secret value leaves the operator', () => {
  it('not in its output, the events or any status', () => h.assertNoCanary());
});
