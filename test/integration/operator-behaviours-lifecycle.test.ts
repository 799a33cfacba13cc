/**
 * eso.md §9 as tables, against `ferry operator` as a real process and the real API server, with
 * ESO's `fake` provider: behaviour over time. Items 6 (edited or deleted Secrets repaired), 7
 * (refresh policies), 8 (force-sync), 9 (provider error keeps the Secret), 11 (creationPolicy),
 * 12 (managed keys), 14 (immutable) and 16 (lastTransitionTime, events only on change). Items
 * 10 and 15 (NoSecretError, deletion and the finalizer) are in operator-deletion.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';
import { eventually } from '../support/kube.ts';
import {
  ANNOTATION_DATA_HASH,
  decode,
  encode,
  goDataHash,
  holds,
  LABEL_CREATED_BY,
  LABEL_MANAGED,
  newCanary,
  runRow,
  startHarness,
  waitSecret,
  type Harness,
  type Row,
} from './operator-behaviours-support.ts';

let h: Harness;
const C = newCanary();
/** How long to watch for something that must not happen; longer than the 2 s intervals. */
const QUIET_MS = 4_500;
const FORCE_SYNC = 'external-secrets.io/force-sync';
const sha3 = (text: string) => createHash('sha3-224').update(text).digest('hex');

const SYNCED = { status: 'True', reason: 'SecretSynced', message: 'secret synced' } as const;
const item = (secretKey: string, key: string) => ({ secretKey, remoteRef: { key } });
const valueOf = async (name: string, key = 'k') => decode((await h.secret(name))?.data?.[key]);

/** An ExternalSecret reading key `k` from its own store, named like it. */
async function simple(
  name: string,
  spec: Record<string, unknown> = {},
  value = `${C}v1`,
): Promise<void> {
  await h.createStore(name, [{ key: 'k', value }]);
  await h.createExternalSecret(name, {
    secretStoreRef: { name, kind: 'SecretStore' },
    data: [item('k', 'k')],
    ...spec,
  });
}

const foreignSecret = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  stringData: { foreign: 'keep' },
});

before(async () => {
  h = await startHarness('behaviours-life', C);
});

after(async () => {
  await h.assertNoCanary();
  await h.stop();
});

interface RepairRow {
  policy: 'Owner' | 'CreateOrMerge' | 'Orphan' | 'Merge';
  /** A manual edit of the data is undone at once. */
  repairsEdit: boolean;
  /** A deleted Secret is created again at once (Merge: Ready says SecretMissing instead). */
  recreates: boolean;
}

describe('§9.6 a manual edit or a deleted Secret forces a sync', { concurrency: true }, () => {
  const rows: RepairRow[] = [
    { policy: 'Owner', repairsEdit: true, recreates: true },
    { policy: 'CreateOrMerge', repairsEdit: true, recreates: true },
    { policy: 'Merge', repairsEdit: true, recreates: false },
    { policy: 'Orphan', repairsEdit: false, recreates: false },
  ];
  for (const row of rows)
    it(`${row.policy}: edit ${row.repairsEdit ? 'repaired' : 'kept'}, delete ${row.recreates ? 'recreated' : 'not recreated'}`, async () => {
      const name = `repair-${row.policy.toLowerCase()}`;
      if (row.policy === 'Merge')
        await h.client.create(Resources.Secret, {
          ...foreignSecret(name),
          metadata: { name, namespace: h.ns },
        });
      await simple(name, { target: { creationPolicy: row.policy } });
      await h.waitReady(name, SYNCED);
      await waitSecret(h, name, { labels: { [LABEL_MANAGED]: 'true' } });
      assert.equal(await valueOf(name), `${C}v1`);
      await h.client.mergePatch(
        Resources.Secret,
        { namespace: h.ns, name },
        { data: { k: encode('tampered') } },
      );
      if (row.repairsEdit)
        await waitSecret(h, name, {
          data: { k: `${C}v1`, ...(row.policy === 'Merge' ? { foreign: 'keep' } : {}) },
        });
      else await holds('the edit', async () => (await valueOf(name)) === 'tampered', QUIET_MS);

      await h.client.delete(Resources.Secret, { namespace: h.ns, name });
      if (row.recreates) await waitSecret(h, name, { data: { k: `${C}v1` } });
      else if (row.policy === 'Merge')
        await h.waitReady(name, {
          status: 'True',
          reason: 'SecretMissing',
          message: 'secret will not be created due to CreationPolicy=Merge',
        });
      else await holds('the deletion', async () => (await h.secret(name)) === undefined, QUIET_MS);
    });

  it('Orphan: a deleted Secret comes back only at the next periodic refresh', async () => {
    const name = 'repair-orphan-periodic';
    await simple(name, { refreshInterval: '3s', target: { creationPolicy: 'Orphan' } });
    await waitSecret(h, name, { data: { k: `${C}v1` }, owned: false });
    await h.client.delete(Resources.Secret, { namespace: h.ns, name });
    // The Orphan row above shows the watch event alone does not bring it back.
    await waitSecret(h, name, { data: { k: `${C}v1` } });
  });
});

interface RefreshRow {
  name: string;
  item: number;
  refreshPolicy?: 'Periodic' | 'OnChange' | 'CreatedOnce';
  refreshInterval: string;
  /** A new store value arrives without touching the ExternalSecret. */
  picksStoreChange: boolean;
  /** Adding the force-sync annotation brings the new value. */
  picksAnnotation: boolean;
}

describe('§9.7/§9.8 refresh policies and force-sync', { concurrency: true }, () => {
  const rows: RefreshRow[] = [
    {
      name: 'periodic',
      item: 7,
      refreshInterval: '2s',
      picksStoreChange: true,
      picksAnnotation: true,
    },
    {
      name: 'periodic-zero',
      item: 7,
      refreshInterval: '0s',
      picksStoreChange: false,
      picksAnnotation: false,
    },
    {
      name: 'onchange',
      item: 7,
      refreshPolicy: 'OnChange',
      refreshInterval: '2s',
      picksStoreChange: false,
      picksAnnotation: true,
    },
    {
      name: 'createdonce',
      item: 7,
      refreshPolicy: 'CreatedOnce',
      refreshInterval: '2s',
      picksStoreChange: false,
      picksAnnotation: false,
    },
    {
      name: 'force-sync',
      item: 8,
      refreshPolicy: 'Periodic',
      refreshInterval: '1h',
      picksStoreChange: false,
      picksAnnotation: true,
    },
  ];
  for (const row of rows)
    it(`§9.${String(row.item)} ${row.name} (${row.refreshInterval}): store change ${row.picksStoreChange ? 'picked up' : 'ignored'}, force-sync ${row.picksAnnotation ? 'picked up' : 'ignored'}`, async () => {
      const name = `refresh-${row.name}`;
      await simple(name, {
        refreshInterval: row.refreshInterval,
        ...(row.refreshPolicy ? { refreshPolicy: row.refreshPolicy } : {}),
      });
      const first = await h.waitReady(name, SYNCED);
      await waitSecret(h, name, { data: { k: `${C}v1` } });
      await h.setStoreData(name, [{ key: 'k', value: `${C}v2` }]);
      if (row.picksStoreChange) await waitSecret(h, name, { data: { k: `${C}v2` } });
      else await holds('the old value', async () => (await valueOf(name)) === `${C}v1`, QUIET_MS);

      const stamp = String(Date.now());
      await h.client.mergePatch(
        EsoResources.ExternalSecret,
        { namespace: h.ns, name },
        { metadata: { annotations: { [FORCE_SYNC]: stamp } } },
      );
      // Without a template ESO copies the ExternalSecret's annotations, force-sync included.
      if (row.picksAnnotation)
        await waitSecret(h, name, { data: { k: `${C}v2` }, annotations: { [FORCE_SYNC]: stamp } });
      else await holds('the old value', async () => (await valueOf(name)) === `${C}v1`, QUIET_MS);

      const ready = await h.waitReady(name, SYNCED);
      assert.equal(ready.lastTransitionTime, first.lastTransitionTime, '§9.16 no flip, same time');
      const updates = Number(row.picksStoreChange) + Number(row.picksAnnotation);
      const updated = async () => (await h.events(name)).filter((e) => e.reason === 'Updated');
      if (updates > 0) {
        const event = await eventually('one Updated event per update', async () => {
          const [e, ...more] = await updated();
          return more.length === 0 && (e?.count ?? 1) === updates ? e : undefined;
        });
        assert.equal(event.message, 'secret updated');
      } else assert.deepEqual(await updated(), [], '§9.16 Updated only on a real change');
    });
});

describe('§9.9 a provider error keeps the last good Secret', () => {
  it('Ready=False SecretSyncedError, UpdateFailed event, Secret untouched, then recovery', async () => {
    const name = 'provider-error';
    await h.createStore(name, [{ key: 'm', value: `{"k":"${C}v1"}` }]);
    await h.createExternalSecret(name, {
      refreshInterval: '2s',
      secretStoreRef: { name, kind: 'SecretStore' },
      dataFrom: [{ extract: { key: 'm' } }],
    });
    const good = await h.waitReady(name, SYNCED);
    const before = await waitSecret(h, name, { data: { k: `${C}v1` } });
    await h.setStoreData(name, [{ key: 'm', value: `not json ${C}` }]);
    const bad = await h.waitReady(name, {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not get secret data from provider',
    });
    assert.notEqual(bad.lastTransitionTime, undefined);
    const event = await h.waitEvent(name, 'UpdateFailed');
    assert.equal(event.type, 'Warning');
    assert.match(
      event.message ?? '',
      /^error processing spec\.dataFrom\[0\]\.extract, err: unable to unmarshal secret/,
    );
    const kept = await h.secret(name);
    assert.deepEqual(kept?.data, before.data);
    assert.equal(kept?.metadata.resourceVersion, before.metadata.resourceVersion);

    // §9.16: another failure (reason and status unchanged, new message) keeps lastTransitionTime.
    // Condition times have whole seconds: let one pass so a reset would show.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await h.client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: h.ns, name },
      { spec: { target: { template: { data: { x: '{{ .nope }}' } } } } },
    );
    await h.setStoreData(name, [{ key: 'm', value: `{"k":"${C}v2"}` }]);
    const other = await h.waitReady(name, {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not update secret',
    });
    assert.equal(other.lastTransitionTime, bad.lastTransitionTime);

    await h.client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: h.ns, name },
      { spec: { target: { template: null } } },
    );
    const again = await h.waitReady(name, SYNCED);
    await waitSecret(h, name, { data: { k: `${C}v2` } });
    assert.ok((again.lastTransitionTime ?? '') > (good.lastTransitionTime ?? ''), 'flipped back');
  });
});

const CREATION_ROWS: Row[] = [
  {
    name: 'owner-adopts',
    item: 11,
    title: 'Owner adopts an unowned Secret, replacing its data',
    store: [{ key: 'k', value: `${C}k` }],
    before: [foreignSecret('owner-adopts')],
    spec: { data: [item('k', 'k')] },
    secret: { data: { k: `${C}k` }, owned: true, labels: { [LABEL_MANAGED]: 'true' } },
    ready: SYNCED,
    events: ['Updated'],
  },
  {
    name: 'orphan',
    item: 11,
    title: 'Orphan creates the Secret without an ownerReference or created-by label',
    store: [{ key: 'k', value: `${C}k` }],
    spec: { target: { creationPolicy: 'Orphan' }, data: [item('k', 'k')] },
    secret: { data: { k: `${C}k` }, owned: false, labels: { [LABEL_CREATED_BY]: null } },
    ready: SYNCED,
    events: ['Created'],
  },
  {
    name: 'merge-missing',
    item: 11,
    title: 'Merge with no Secret: Ready=True SecretMissing, nothing created',
    store: [{ key: 'k', value: `${C}k` }],
    spec: { target: { creationPolicy: 'Merge' }, data: [item('k', 'k')] },
    secret: null,
    ready: {
      status: 'True',
      reason: 'SecretMissing',
      message: 'secret will not be created due to CreationPolicy=Merge',
    },
  },
  {
    name: 'merge-existing',
    item: 11,
    title: 'Merge updates an existing Secret and keeps its other keys',
    store: [{ key: 'k', value: `${C}k` }],
    before: [foreignSecret('merge-existing')],
    spec: { target: { creationPolicy: 'Merge' }, data: [item('k', 'k')] },
    secret: { data: { k: `${C}k`, foreign: 'keep' }, owned: false },
    ready: SYNCED,
  },
  {
    name: 'createormerge-missing',
    item: 11,
    title: 'CreateOrMerge creates a missing Secret without an ownerReference',
    store: [{ key: 'k', value: `${C}k` }],
    spec: { target: { creationPolicy: 'CreateOrMerge' }, data: [item('k', 'k')] },
    secret: { data: { k: `${C}k` }, owned: false, labels: { [LABEL_CREATED_BY]: null } },
    ready: SYNCED,
  },
  {
    name: 'createormerge-existing',
    item: 11,
    title: 'CreateOrMerge merges into an existing Secret',
    store: [{ key: 'k', value: `${C}k` }],
    before: [foreignSecret('createormerge-existing')],
    spec: { target: { creationPolicy: 'CreateOrMerge' }, data: [item('k', 'k')] },
    secret: { data: { k: `${C}k`, foreign: 'keep' }, owned: false },
    ready: SYNCED,
  },
  {
    name: 'none',
    item: 11,
    title: 'None writes nothing and reports SecretSynced',
    store: [{ key: 'k', value: `${C}k` }],
    spec: { target: { creationPolicy: 'None' }, data: [item('k', 'k')] },
    secret: null,
    ready: SYNCED,
  },
];

describe('§9.11 creationPolicy', { concurrency: true }, () => {
  for (const row of CREATION_ROWS) it(`§9.${String(row.item)} ${row.title}`, () => runRow(h, row));

  it('§9.11 Owner fails when another controller owns the target', async () => {
    const cm = await h.client.create<KubeObject>(Resources.ConfigMap, {
      metadata: { name: 'foreign-owner', namespace: h.ns },
    });
    await h.client.create(Resources.Secret, {
      metadata: {
        name: 'foreign-owned',
        namespace: h.ns,
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'foreign-owner',
            uid: cm.metadata.uid ?? '',
            controller: true,
          },
        ],
      },
      stringData: { foreign: 'keep' },
    });
    await simple('foreign-owned');
    await h.waitReady('foreign-owned', {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'failed to take ownership of target secret',
    });
    const event = await h.waitEvent('foreign-owned', 'UpdateFailed');
    assert.equal(
      event.message,
      `unable to mutate secret foreign-owned: could not set controller reference on secret: Object ${h.ns}/foreign-owned is already owned by another ConfigMap controller foreign-owner`,
    );
    const s = await h.secret('foreign-owned');
    assert.deepEqual(Object.keys(s?.data ?? {}), ['foreign']);
    assert.equal(s?.metadata.ownerReferences?.length, 1);
  });

  it('§9.11 Owner fails without requeue when another ExternalSecret owns the target', async () => {
    await simple('owner-first', { target: { name: 'shared' } });
    await waitSecret(h, 'shared', { data: { k: `${C}v1` }, owned: true }, { owner: 'owner-first' });
    await simple('owner-second', { target: { name: 'shared' } }, `${C}other`);
    await h.waitReady('owner-second', {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'target is owned by another ExternalSecret',
    });
    const event = await h.waitEvent('owner-second', 'UpdateFailed');
    assert.equal(
      event.message,
      'unable to mutate secret shared: secret is owned by another ExternalSecret: owner-first',
    );
    // ESO binds an existing target before it tries to mutate it.
    assert.equal((await h.externalSecret('owner-second'))?.status?.binding?.name, 'shared');
    await waitSecret(h, 'shared', { data: { k: `${C}v1` }, owned: true }, { owner: 'owner-first' });
  });
});

describe('§9.11 Owner cleans up after a renamed target', () => {
  it('deletes the Secret it created under the old target.name', async () => {
    await simple('rename', { target: { name: 'rename-old' } });
    await waitSecret(h, 'rename-old', { data: { k: `${C}v1` }, owned: true }, { owner: 'rename' });
    await h.client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: h.ns, name: 'rename' },
      { spec: { target: { name: 'rename-new' } } },
    );
    await waitSecret(h, 'rename-new', { data: { k: `${C}v1` }, owned: true }, { owner: 'rename' });
    await eventually('the old target deleted', async () =>
      (await h.secret('rename-old')) ? undefined : true,
    );
    const deleted = await h.waitEvent('rename', 'Deleted');
    assert.equal(deleted.message, 'secret deleted because it was orphaned');
    // Events are recorded before the status is written: poll for the binding.
    await eventually('binding renamed', async () =>
      (await h.externalSecret('rename'))?.status?.binding?.name === 'rename-new' ? true : undefined,
    );
  });
});

describe('§9.12 keys the ExternalSecret managed are removed', { concurrency: true }, () => {
  // Past 63 characters ESO's field manager is `externalsecrets.external-secrets.io/sha3/<hash>`.
  for (const [name, manager] of [
    ['managed-merge', 'externalsecrets.external-secrets.io/managed-merge'],
    [
      'managed-merge-with-a-name-long-enough-for-sha3',
      `externalsecrets.external-secrets.io/sha3/${sha3('managed-merge-with-a-name-long-enough-for-sha3')}`,
    ],
  ] as const)
    it(`Merge (${name.length} chars): a dropped key leaves the Secret, foreign keys stay`, async () => {
      await h.client.create(Resources.Secret, {
        ...foreignSecret(name),
        metadata: { name, namespace: h.ns },
      });
      await h.createStore(name, [
        { key: 'a', value: `${C}a` },
        { key: 'b', value: `${C}b` },
      ]);
      await h.createExternalSecret(name, {
        secretStoreRef: { name, kind: 'SecretStore' },
        target: { creationPolicy: 'Merge' },
        data: [item('a', 'a'), item('b', 'b')],
      });
      const merged = { foreign: 'keep', a: `${C}a`, b: `${C}b` };
      const s = await waitSecret(h, name, {
        data: merged,
        // §9.5: the hash covers every key, the foreign one too.
        annotations: { [ANNOTATION_DATA_HASH]: goDataHash(merged) },
      });
      assert.ok(
        s.metadata.managedFields?.some((f) => (f as { manager?: string }).manager === manager),
        `written by field manager ${manager}`,
      );
      await h.client.mergePatch(
        EsoResources.ExternalSecret,
        { namespace: h.ns, name },
        { spec: { data: [item('a', 'a')] } },
      );
      await waitSecret(h, name, { data: { foreign: 'keep', a: `${C}a` } });
    });

  it('Owner: labels and annotations dropped from the ExternalSecret leave the Secret', async () => {
    const name = 'managed-meta';
    await h.createStore(name, [{ key: 'k', value: `${C}k` }]);
    await h.createExternalSecret(
      name,
      { secretStoreRef: { name, kind: 'SecretStore' }, data: [item('k', 'k')] },
      { labels: { l1: 'one', l2: 'two' }, annotations: { 'example.com/a': 'x' } },
    );
    await waitSecret(h, name, {
      labels: { l1: 'one', l2: 'two' },
      annotations: { 'example.com/a': 'x' },
    });
    await h.client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: h.ns, name },
      { metadata: { labels: { l2: null }, annotations: { 'example.com/a': null } } },
    );
    await waitSecret(h, name, {
      labels: { l1: 'one', l2: null, [LABEL_MANAGED]: 'true' },
      annotations: { 'example.com/a': null },
    });
  });
});

describe('§9.14 immutable targets', () => {
  it('sets immutable and never re-templates it; a data change against it fails; deleted, it is recreated', async () => {
    const name = 'immutable';
    await simple(name, { refreshInterval: '2s', target: { immutable: true } });
    await h.waitReady(name, SYNCED);
    const first = await waitSecret(h, name, { data: { k: `${C}v1` }, immutable: true });
    await h.setStoreData(name, [{ key: 'k', value: `${C}v2` }]);
    await holds(
      'the old data, Ready',
      async () =>
        (await valueOf(name)) === `${C}v1` && (await h.ready(name))?.reason === 'SecretSynced',
      QUIET_MS,
    );
    // Without target.immutable the ExternalSecret re-templates, which the Secret refuses.
    await h.client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: h.ns, name },
      { spec: { target: { immutable: false } } },
    );
    await h.waitReady(name, {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not update secret, target is immutable',
    });
    await h.waitEvent(name, 'UpdateFailed');
    assert.deepEqual((await h.secret(name))?.data, first.data);
    await h.client.delete(Resources.Secret, { namespace: h.ns, name });
    await waitSecret(h, name, { data: { k: `${C}v2` }, immutable: false });
    await h.waitReady(name, SYNCED);
  });
});
