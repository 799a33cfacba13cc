/**
 * PushSecret and ClusterPushSecret end to end: `ferry operator` as a real process pushes Secrets
 * from the real kube-apiserver into real OpenBao (KV v2 and v1) through namespaced SecretStores
 * with token auth. Checks ESO's contract: custom_metadata managed-by on what we write, refusal to
 * overwrite a secret someone else wrote, property pushes, source changes pushed at the next
 * refresh, deletionPolicy Delete (dropped entry, deleted PushSecret), and no value in the
 * operator's output, events or status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Condition, PushSecretStatus } from '../../src/api/types.ts';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';
import { loadTestEnv } from '../env/testenv.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  uniqueName,
} from '../support/kube.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';
import { vaultTokenStore } from './operator-vault-objects.ts';
import { bao, enableKv } from './vault-support.ts';

type Obj = KubeObject & Record<string, unknown>;
interface PushSecretObj extends KubeObject {
  spec: Record<string, unknown> & { data?: unknown[] };
  status?: PushSecretStatus;
}

const env = loadTestEnv();
const canary = `canary-${uniqueName('push')}`;
const mountV2 = uniqueName('pkv2');
const mountV1 = uniqueName('pkv1');
const klass = uniqueName('ferry-push');
const nsLabel = uniqueName('push-target');
const clusterStore = uniqueName('bao-cluster');
let client: KubeClient;
let ns: string;
let otherNs: string;
let operator: OperatorProcess;

const sourceConfig = (password: string) => JSON.stringify({ user: 'app', password });

const store = (name: string, mount: string, version: 'v1' | 'v2'): Obj =>
  vaultTokenStore({
    name,
    namespace: ns,
    controller: klass,
    server: env.vaultAddr,
    path: mount,
    version,
    retries: 'default',
  });

function pushSecret(name: string, spec: Record<string, unknown>): Obj {
  return {
    apiVersion: 'external-secrets.io/v1alpha1',
    kind: 'PushSecret',
    metadata: { name, namespace: ns },
    spec: {
      refreshInterval: '2s',
      secretStoreRefs: [{ name: 'bao-v2', kind: 'SecretStore' }],
      selector: { secret: { name: 'app-creds' } },
      ...spec,
    },
  };
}

async function getPush(name: string, namespace = ns): Promise<PushSecretObj | undefined> {
  return client.get<PushSecretObj>(EsoResources.PushSecret, { namespace, name });
}

async function readyOf(name: string): Promise<Condition | undefined> {
  return (await getPush(name))?.status?.conditions?.find((c) => c.type === 'Ready');
}

async function waitReady(name: string, status: 'True' | 'False'): Promise<Condition> {
  return eventually(`PushSecret ${name} Ready=${status}`, async () => {
    const ready = await readyOf(name);
    return ready?.status === status ? ready : undefined;
  });
}

/** `data` of a KV v2 secret, or undefined when it does not exist. */
async function kv2(path: string): Promise<Record<string, unknown> | undefined> {
  const res = (await bao('GET', `${mountV2}/data/${path}`).catch(() => undefined)) as
    { data?: { data?: Record<string, unknown> } } | undefined;
  return res?.data?.data ?? undefined;
}

async function kv2Metadata(path: string): Promise<Record<string, unknown> | undefined> {
  const res = (await bao('GET', `${mountV2}/metadata/${path}`).catch(() => undefined)) as
    { data?: { custom_metadata?: Record<string, unknown> } } | undefined;
  return res?.data?.custom_metadata ?? undefined;
}

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  ns = await createNamespace(client, 'op-push');
  otherNs = await createNamespace(client, 'op-push-other');
  await enableKv(mountV2, 2);
  await enableKv(mountV1, 1);
  await client.create(Resources.Secret, {
    metadata: { name: 'vault-token', namespace: ns },
    stringData: { token: env.vaultToken },
  });
  await client.create(Resources.Secret, {
    metadata: { name: 'app-creds', namespace: ns },
    stringData: { password: canary, config: sourceConfig(canary) },
  });
  await client.create(EsoResources.SecretStore, store('bao-v2', mountV2, 'v2'));
  await client.create(EsoResources.SecretStore, store('bao-v1', mountV1, 'v1'));
  // The ClusterPushSecret case pushes through a ClusterSecretStore of our controller class, so
  // operators of other tests (other classes) leave that ClusterPushSecret alone.
  const cluster = store(clusterStore, mountV2, 'v2') as Obj & {
    spec: { provider: { vault: { auth: { tokenSecretRef: Record<string, string> } } } };
  };
  cluster.kind = 'ClusterSecretStore';
  cluster.metadata = { name: clusterStore };
  cluster.spec.provider.vault.auth.tokenSecretRef['namespace'] = ns;
  await client.create(EsoResources.ClusterSecretStore, cluster);
  operator = await startOperator({
    args: [`--namespace=${ns}`, `--controller-class=${klass}`],
  });
});

after(async () => {
  // Let the operator finish its finalizers first, then release any left by a failed test.
  const { items } = await client.list<PushSecretObj>(EsoResources.PushSecret, { namespace: ns });
  for (const ps of items)
    await client.delete(EsoResources.PushSecret, { namespace: ns, name: ps.metadata.name ?? '' });
  await eventually(
    'PushSecrets finalized',
    async () => {
      const left = await client.list(EsoResources.PushSecret, { namespace: ns });
      return left.items.length === 0 ? true : undefined;
    },
    20_000,
  ).catch(() => undefined);
  const code = await operator.stop();
  for (const ps of (await client.list<PushSecretObj>(EsoResources.PushSecret, { namespace: ns }))
    .items)
    await client
      .mergePatch(
        EsoResources.PushSecret,
        { namespace: ns, name: ps.metadata.name ?? '' },
        { metadata: { finalizers: null } },
      )
      .catch(() => undefined);
  await client
    .delete(EsoResources.ClusterSecretStore, { name: clusterStore })
    .catch(() => undefined);
  await deleteNamespace(client, ns);
  await deleteNamespace(client, otherNs);
  assert.equal(code, 0, 'graceful shutdown exits 0');
});

describe('ferry operator: PushSecret to OpenBao', () => {
  it('pushes a JSON key, a property and a whole Secret to KV v2, marked managed-by', async () => {
    await client.create(
      EsoResources.PushSecret,
      pushSecret('push-main', {
        deletionPolicy: 'Delete',
        data: [
          { match: { secretKey: 'config', remoteRef: { remoteKey: 'app/json' } } },
          {
            match: {
              secretKey: 'password',
              remoteRef: { remoteKey: 'app/props', property: 'db_password' },
            },
          },
          { match: { remoteRef: { remoteKey: 'app/whole' } } },
        ],
      }),
    );
    const ready = await waitReady('push-main', 'True');
    assert.equal(ready.reason, 'Synced');
    assert.equal(ready.message, 'PushSecret synced successfully');
    assert.deepEqual(await kv2('app/json'), { user: 'app', password: canary });
    assert.deepEqual(await kv2('app/props'), { db_password: canary });
    assert.deepEqual(await kv2('app/whole'), {
      config: sourceConfig(canary),
      password: canary,
    });
    for (const path of ['app/json', 'app/props', 'app/whole'])
      assert.deepEqual(await kv2Metadata(path), { 'managed-by': 'external-secrets' }, path);
    const ready1 = new RegExp(
      `^pushsecret_status_condition\\{name="push-main",namespace="${ns}",condition="Ready",status="True"\\}`,
    );
    assert.equal(await operator.metric(ready1), 1, 'ESO metric pushsecret_status_condition');
    const ps = await getPush('push-main');
    assert.ok(ps);
    assert.deepEqual(ps.metadata.finalizers, ['pushsecret.externalsecrets.io/finalizer']);
    assert.deepEqual(
      Object.keys(ps.status?.syncedPushSecrets?.['SecretStore/bao-v2'] ?? {}).sort(),
      ['app/json', 'app/props/db_password', 'app/whole'],
    );
  });

  it('pushes a changed source Secret at the next refresh', async () => {
    const rotated = `${canary}-rotated`;
    await client.mergePatch(
      Resources.Secret,
      { namespace: ns, name: 'app-creds' },
      { stringData: { config: sourceConfig(rotated) } },
    );
    await eventually('rotated value in OpenBao', async () => {
      const data = await kv2('app/json');
      return data?.['password'] === rotated ? true : undefined;
    });
  });

  it('deletes the remote secret of an entry removed from the spec', async () => {
    const ps = await getPush('push-main');
    assert.ok(ps);
    await client.mergePatch(
      EsoResources.PushSecret,
      { namespace: ns, name: 'push-main' },
      { spec: { data: ps.spec.data?.slice(0, 2) } },
    );
    await eventually('app/whole deleted', async () =>
      (await kv2Metadata('app/whole')) === undefined && (await kv2('app/whole')) === undefined
        ? true
        : undefined,
    );
    assert.ok(await kv2('app/json'), 'the kept entries stay');
    await eventually('status without app/whole', async () => {
      const synced = (await getPush('push-main'))?.status?.syncedPushSecrets?.[
        'SecretStore/bao-v2'
      ];
      return synced && !('app/whole' in synced) ? true : undefined;
    });
  });

  it('refuses to overwrite a secret it did not write', async () => {
    await bao('POST', `${mountV2}/data/app/foreign`, { data: { owner: 'someone-else' } });
    await client.create(
      EsoResources.PushSecret,
      pushSecret('push-foreign', {
        data: [{ match: { secretKey: 'config', remoteRef: { remoteKey: 'app/foreign' } } }],
      }),
    );
    const ready = await waitReady('push-foreign', 'False');
    assert.equal(ready.reason, 'Errored');
    assert.equal(
      ready.message,
      'set secret failed: could not write remote ref config to target secretstore bao-v2: secret not managed by external-secrets',
    );
    assert.deepEqual(await kv2('app/foreign'), { owner: 'someone-else' });
  });

  it('pushes to KV v1 with custom_metadata embedded in the data', async () => {
    await client.create(
      EsoResources.PushSecret,
      pushSecret('push-v1', {
        secretStoreRefs: [{ name: 'bao-v1', kind: 'SecretStore' }],
        data: [{ match: { secretKey: 'config', remoteRef: { remoteKey: 'app/v1' } } }],
      }),
    );
    await waitReady('push-v1', 'True');
    const res = (await bao('GET', `${mountV1}/app/v1`)) as { data: Record<string, unknown> };
    assert.equal(res.data['user'], 'app');
    assert.deepEqual(res.data['custom_metadata'], { 'managed-by': 'external-secrets' });
  });

  it('deletes every pushed secret when a Delete-policy PushSecret is deleted', async () => {
    await client.delete(EsoResources.PushSecret, { namespace: ns, name: 'push-main' });
    await eventually('PushSecret finalized and gone', async () =>
      (await getPush('push-main')) === undefined ? true : undefined,
    );
    assert.equal(await kv2('app/json'), undefined);
    assert.equal(await kv2Metadata('app/json'), undefined);
    assert.equal(await kv2('app/props'), undefined);
  });

  it('creates PushSecrets in the namespaces a ClusterPushSecret selects', async () => {
    const cpsName = uniqueName('cps');
    for (const name of [ns, otherNs])
      await client.mergePatch(
        Resources.Namespace,
        { name },
        { metadata: { labels: { [nsLabel]: 'yes' } } },
      );
    await client.create(EsoResources.ClusterPushSecret, {
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'ClusterPushSecret',
      metadata: { name: cpsName },
      spec: {
        namespaceSelectors: [{ matchLabels: { [nsLabel]: 'yes' } }],
        pushSecretName: 'from-cluster',
        pushSecretSpec: {
          refreshInterval: '2s',
          secretStoreRefs: [{ name: clusterStore, kind: 'ClusterSecretStore' }],
          selector: { secret: { name: 'app-creds' } },
          data: [{ match: { secretKey: 'config', remoteRef: { remoteKey: 'app/cluster' } } }],
        },
      },
    });
    try {
      await eventually('ClusterPushSecret Ready with both namespaces', async () => {
        const cps = await client.get<
          Obj & { status?: { provisionedNamespaces?: string[]; conditions?: Condition[] } }
        >(EsoResources.ClusterPushSecret, { name: cpsName });
        const ready = cps?.status?.conditions?.find((c) => c.type === 'Ready');
        const provisioned = cps?.status?.provisionedNamespaces ?? [];
        return ready?.status === 'True' && provisioned.length === 2 ? provisioned : undefined;
      });
      const created = await getPush('from-cluster', otherNs);
      assert.equal(created?.metadata.ownerReferences?.[0]?.name, cpsName);
      // The operator pushes only in its own namespace (--namespace).
      await waitReady('from-cluster', 'True');
      assert.equal((await kv2('app/cluster'))?.['user'], 'app');
      await client.mergePatch(
        Resources.Namespace,
        { name: otherNs },
        { metadata: { labels: { [nsLabel]: null } } },
      );
      await eventually('PushSecret of the unselected namespace deleted', async () =>
        (await getPush('from-cluster', otherNs)) === undefined ? true : undefined,
      );
    } finally {
      await client.delete(EsoResources.ClusterPushSecret, { name: cpsName }).catch(() => undefined);
    }
  });

  it('never shows a secret value in output, events or status', async () => {
    const events = await client.list(Resources.Event, { namespace: ns });
    const pushEvents = events.items.filter(
      (e) =>
        (e as Obj & { involvedObject?: { kind?: string } }).involvedObject?.kind === 'PushSecret',
    );
    assert.ok(pushEvents.length > 0, 'PushSecret events were recorded');
    const statuses = await client.list(EsoResources.PushSecret, { namespace: ns });
    const seen = [operator.output(), JSON.stringify(events.items), JSON.stringify(statuses.items)];
    for (const text of seen) assert.ok(!text.includes(canary), 'a secret value leaked');
  });
});
