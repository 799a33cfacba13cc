/**
 * Issue 5: 100 ExternalSecrets on one OpenBao SecretStore with appRole auth. The operator logs
 * in once for the store and then serves every refresh from the cached token: over two refresh
 * cycles `ferry_vault_logins_total` does not move while hundreds of reconciles read OpenBao.
 * (Token auth would make no login at all, which could not fail.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources } from '../../src/kube/types.ts';
import { readyCondition, secretText, type EsoObject } from '../support/fake-store.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  uniqueName,
} from '../support/kube.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';
import { bao, enableKv, env } from './vault-support.ts';

const COUNT = 100;
const PATHS = 10;
const REFRESH_S = 5;
const STORE = 'vault-approle';
const mount = uniqueName('scalekv');
const authPath = uniqueName('scale-approle');
const policy = uniqueName('scale-read');

let client: KubeClient;
let ns: string;
let klass: string;
let operator: OperatorProcess | undefined;

const names = Array.from({ length: COUNT }, (_, i) => `es-${String(i).padStart(3, '0')}`);
const logins = /^ferry_vault_logins_total\{/;
const reconciles = /^controller_runtime_reconcile_total\{controller="externalsecret"/;

/** An appRole role whose tokens live an hour (no renewal or re-login is due during the test). */
async function appRole(): Promise<{ roleId: string; secretId: string }> {
  await bao('POST', `sys/auth/${authPath}`, { type: 'approle' });
  await bao('PUT', `sys/policies/acl/${policy}`, {
    policy: `path "${mount}/*" { capabilities = ["read", "list"] }`,
  });
  await bao('POST', `auth/${authPath}/role/app`, { token_policies: [policy], token_ttl: '1h' });
  const role = (await bao('GET', `auth/${authPath}/role/app/role-id`)) as {
    data: { role_id: string };
  };
  const secret = (await bao('POST', `auth/${authPath}/role/app/secret-id`)) as {
    data: { secret_id: string };
  };
  return { roleId: role.data.role_id, secretId: secret.data.secret_id };
}

function store(roleId: string): EsoObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: STORE, namespace: ns },
    spec: {
      controller: klass,
      provider: {
        vault: {
          server: env.vaultAddr,
          path: mount,
          version: 'v2',
          auth: {
            appRole: { path: authPath, roleId, secretRef: { name: 'approle', key: 'secret-id' } },
          },
        },
      },
    },
  };
}

function externalSecret(name: string, index: number): EsoObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: ns },
    spec: {
      refreshInterval: `${String(REFRESH_S)}s`,
      secretStoreRef: { name: STORE, kind: 'SecretStore' },
      target: { name },
      data: [
        {
          secretKey: 'password',
          remoteRef: { key: `app-${String(index % PATHS)}`, property: 'p' },
        },
      ],
    },
  };
}

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  ns = await createNamespace(client, 'op-vault-scale');
  klass = uniqueName('vault-scale');
  await enableKv(mount, 2);
  for (let i = 0; i < PATHS; i++)
    await bao('POST', `${mount}/data/app-${String(i)}`, { data: { p: `value-${String(i)}` } });
  const { roleId, secretId } = await appRole();
  await client.create(Resources.Secret, {
    metadata: { name: 'approle', namespace: ns },
    stringData: { 'secret-id': secretId },
  });
  await client.create(EsoResources.SecretStore, store(roleId));
  await Promise.all(
    names.map((name, i) => client.create(EsoResources.ExternalSecret, externalSecret(name, i))),
  );
});

after(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
});

describe('ferry operator with 100 ExternalSecrets on one appRole Vault store', () => {
  it('logs in once for the initial sync of all 100', async () => {
    operator = await startOperator({
      args: [`--namespace=${ns}`, `--controller-class=${klass}`, '--concurrent=5'],
    });
    const op = operator;
    await eventually(
      `all ${String(COUNT)} ExternalSecrets Ready`,
      async () => {
        for (const name of names)
          if ((await readyCondition(client, ns, name))?.status !== 'True') return undefined;
        return true;
      },
      60_000,
      500,
    );
    assert.deepEqual(await secretText(client, ns, 'es-007'), { password: 'value-7' });
    assert.equal(await op.metric(logins), 1, 'one appRole login for the one store');
  });

  it('makes 0 logins per refresh cycle in steady state', async () => {
    const op = operator;
    assert.ok(op);
    const logins0 = await op.metric(logins);
    const reconciles0 = await op.metric(reconciles);
    const started = Date.now();
    // A rotation in the window proves the refreshes really read OpenBao with the cached token.
    await bao('POST', `${mount}/data/app-3`, { data: { p: 'value-3-rotated' } });
    await eventually(
      'two refresh cycles of all ExternalSecrets',
      async () =>
        (await op.metric(reconciles)) >= reconciles0 + 2 * COUNT &&
        Date.now() - started >= 2 * REFRESH_S * 1000
          ? true
          : undefined,
      6 * REFRESH_S * 1000,
      250,
    );
    for (const name of names.filter((_, i) => i % PATHS === 3))
      assert.deepEqual(await secretText(client, ns, name), { password: 'value-3-rotated' }, name);
    assert.equal(await op.metric(logins), logins0, 'a refresh logged in again');
    assert.doesNotMatch(op.output(), /value-\d/, 'a secret value reached the log');
  });
});
