/**
 * `ferry operator` as a real process against the real kube-apiserver and OpenBao: the seed's
 * ExternalSecrets sync through a ClusterSecretStore, a KV v2 rotation arrives within
 * refreshInterval + 2 s, a provider outage keeps the last good Secret without leaking values, and
 * an unchanged refresh makes no write request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
import { bao, enableKv } from './vault-support.ts';

const ES = EsoResources.ExternalSecret;
const CSS = EsoResources.ClusterSecretStore;

type Obj = KubeObject & Record<string, unknown>;
interface Secret extends KubeObject {
  data?: Record<string, string>;
}
interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const env = loadTestEnv();
const canary = `canary-${uniqueName('v')}`;
const mount = uniqueName('kv');
const store = uniqueName('vault-backend');
const klass = uniqueName('ferry');
const REFRESH_S = 3;
let client: KubeClient;
let ns: string;
let operator: OperatorProcess;

const decode = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString();

function externalSecret(name: string, data: [string, string, string][]): Obj {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: ns },
    spec: {
      refreshInterval: `${String(REFRESH_S)}s`,
      secretStoreRef: { name: store, kind: 'ClusterSecretStore' },
      target: { name, creationPolicy: 'Owner' },
      data: data.map(([secretKey, key, property]) => ({
        secretKey,
        remoteRef: { key: `${mount}/data/${key}`, property },
      })),
    },
  };
}

function storeSpec(server: string): Obj {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: store },
    spec: {
      controller: klass,
      provider: {
        vault: {
          server,
          path: mount,
          version: 'v2',
          auth: { tokenSecretRef: { name: 'vault-token', namespace: ns, key: 'token' } },
        },
      },
      conditions: [{ namespaces: [ns] }],
    },
  };
}

async function ready(name: string): Promise<Cond | undefined> {
  const es = await client.get<Obj & { status?: { conditions?: Cond[] } }>(ES, {
    namespace: ns,
    name,
  });
  return es?.status?.conditions?.find((c) => c.type === 'Ready');
}

async function secret(name: string): Promise<Secret | undefined> {
  return client.get<Secret>(Resources.Secret, { namespace: ns, name });
}

const metric = (pattern: RegExp): Promise<number> => operator.metric(pattern);

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  ns = await createNamespace(client, 'op-vault');
  await enableKv(mount, 2);
  await bao('POST', `${mount}/data/demo-app/secrets`, {
    data: { database_password: canary, api_key: 'key-1' },
  });
  await bao('POST', `${mount}/data/demo-app/config`, {
    data: { app_name: 'demo', debug_mode: 'false', max_connections: '10' },
  });
  await client.create(Resources.Secret, {
    metadata: { name: 'vault-token', namespace: ns },
    stringData: { token: env.vaultToken },
  } as Secret);
  await client.create(CSS, storeSpec(env.vaultAddr));
  operator = await startOperator({ args: [`--namespace=${ns}`, `--controller-class=${klass}`] });
  assert.equal((await fetch(`${operator.healthUrl}/healthz`)).status, 200);
});

after(async () => {
  const code = await operator.stop();
  await client.delete(CSS, { name: store }).catch(() => undefined);
  await deleteNamespace(client, ns);
  assert.equal(code, 0, 'graceful shutdown exits 0');
  assert.match(operator.output(), /shutting down/);
});

describe('ferry operator with OpenBao', () => {
  it('syncs the seed ExternalSecrets into owned, labelled Secrets', async () => {
    await client.create(
      ES,
      externalSecret('demo-app-secrets', [
        ['DATABASE_PASSWORD', 'demo-app/secrets', 'database_password'],
        ['API_KEY', 'demo-app/secrets', 'api_key'],
      ]),
    );
    await client.create(
      ES,
      externalSecret('demo-app-config', [
        ['APP_NAME', 'demo-app/config', 'app_name'],
        ['DEBUG_MODE', 'demo-app/config', 'debug_mode'],
        ['MAX_CONNECTIONS', 'demo-app/config', 'max_connections'],
      ]),
    );
    for (const name of ['demo-app-secrets', 'demo-app-config'])
      await eventually(`${name} Ready`, async () =>
        (await ready(name))?.status === 'True' ? true : undefined,
      );
    const s = await secret('demo-app-secrets');
    assert.ok(s);
    assert.equal(decode(s.data?.['DATABASE_PASSWORD']), canary);
    assert.equal(decode(s.data?.['API_KEY']), 'key-1');
    assert.equal(s.metadata.labels?.['reconcile.external-secrets.io/managed'], 'true');
    assert.ok(s.metadata.annotations?.['reconcile.external-secrets.io/data-hash']);
    const owner = s.metadata.ownerReferences?.[0];
    assert.ok(owner);
    assert.equal(owner.kind, 'ExternalSecret');
    assert.equal(owner.name, 'demo-app-secrets');
    assert.equal(owner.controller, true);
    assert.equal(
      await metric(/^externalsecret_status_condition\{.*name="demo-app-secrets".*status="True"/),
      1,
    );
    const c = await secret('demo-app-config');
    assert.equal(decode(c?.data?.['MAX_CONNECTIONS']), '10');
    const storeObj = await client.get<Obj & { status?: { conditions?: Cond[] } }>(CSS, {
      name: store,
    });
    assert.equal(storeObj?.status?.conditions?.find((x) => x.type === 'Ready')?.reason, 'Valid');
  });

  it('delivers a KV v2 rotation within refreshInterval + 2 s', async () => {
    const res = await fetch(`${env.vaultAddr}/v1/${mount}/data/demo-app/secrets`, {
      method: 'PATCH',
      headers: { 'X-Vault-Token': env.vaultToken, 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ data: { api_key: 'key-2' } }),
    });
    assert.equal(res.status, 200, await res.text());
    const started = Date.now();
    await eventually(
      'rotated value',
      async () =>
        decode((await secret('demo-app-secrets'))?.data?.['API_KEY']) === 'key-2'
          ? true
          : undefined,
      (REFRESH_S + 2) * 1000,
    );
    assert.ok(Date.now() - started <= (REFRESH_S + 2) * 1000);
  });

  it('makes no write request on an unchanged refresh', async () => {
    const writes =
      /^ferry_kube_requests_total\{verb="(create|update|updateStatus|apply|mergePatch|delete)"/;
    const reconciles = /^controller_runtime_reconcile_total\{controller="externalsecret"/;
    await new Promise((r) => setTimeout(r, 1000));
    const w0 = await metric(writes);
    assert.ok(w0 > 0, 'the write counter is exported');
    const r0 = await metric(reconciles);
    const rv0 = (await secret('demo-app-secrets'))?.metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, (2 * REFRESH_S + 1) * 1000));
    assert.ok((await metric(reconciles)) >= r0 + 2, 'refreshes happened');
    assert.equal(await metric(writes), w0);
    assert.equal((await secret('demo-app-secrets'))?.metadata.resourceVersion, rv0);
  });

  it('keeps the last good Secret when the provider fails, without leaking values', async () => {
    const before = await secret('demo-app-secrets');
    await client.mergePatch(
      CSS,
      { name: store },
      {
        spec: { provider: { vault: { server: 'http://127.0.0.1:1' } } },
      },
    );
    await eventually('SecretSyncedError', async () => {
      const c = await ready('demo-app-secrets');
      return c?.status === 'False' && c.reason === 'SecretSyncedError' ? c : undefined;
    });
    const after = await secret('demo-app-secrets');
    assert.deepEqual(after?.data, before?.data);
    const events = await client.list<
      KubeObject & { reason?: string; type?: string; message?: string }
    >(Resources.Event, { namespace: ns });
    assert.ok(events.items.some((e) => e.reason === 'UpdateFailed' && e.type === 'Warning'));
    const es = await client.get(ES, { namespace: ns, name: 'demo-app-secrets' });
    for (const text of [JSON.stringify(events.items), JSON.stringify(es), operator.output()])
      assert.ok(!text.includes(canary), 'canary value leaked');
  });

  it('recovers once the store is Ready again', async () => {
    await client.mergePatch(
      CSS,
      { name: store },
      {
        spec: { provider: { vault: { server: env.vaultAddr } } },
      },
    );
    await eventually('Ready again', async () =>
      (await ready('demo-app-secrets'))?.status === 'True' ? true : undefined,
    );
    assert.equal(decode((await secret('demo-app-secrets'))?.data?.['API_KEY']), 'key-2');
  });
});
