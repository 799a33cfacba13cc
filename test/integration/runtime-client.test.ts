/**
 * The KubeClient against the real kube-apiserver: every verb, the error shape, and the counting
 * wrapper later suites use to assert "no writes".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { newKubeClient, type KubeClient } from '../../src/kube/client.ts';
import { CountingKubeClient } from '../../src/kube/counting.ts';
import { KubeApiError, isAlreadyExists, isConflict } from '../../src/kube/errors.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';
import {
  createNamespace,
  deleteNamespace,
  testKubeClient,
  testKubeConfig,
} from '../support/kube.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

let client: KubeClient;
let ns: string;

before(async () => {
  client = testKubeClient();
  ns = await createNamespace(client, 'rt-client');
});

after(async () => {
  await deleteNamespace(client, ns);
});

describe('KubeClient', () => {
  it('creates, gets, lists by label, updates and deletes a Secret', async () => {
    const created = await client.create<Secret>(Resources.Secret, {
      metadata: { name: 's1', namespace: ns, labels: { app: 'x' } },
      data: { k: b64('v1') },
    });
    assert.ok(created.metadata.resourceVersion);
    await client.create<Secret>(Resources.Secret, { metadata: { name: 's2', namespace: ns } });

    const got = await client.get<Secret>(Resources.Secret, { namespace: ns, name: 's1' });
    assert.equal(got?.data?.['k'], b64('v1'));
    assert.equal(await client.get(Resources.Secret, { namespace: ns, name: 'missing' }), undefined);

    const listed = await client.list<Secret>(Resources.Secret, {
      namespace: ns,
      labelSelector: 'app=x',
    });
    assert.deepEqual(
      listed.items.map((s) => s.metadata.name),
      ['s1'],
    );
    assert.equal(listed.items[0]?.kind, 'Secret');
    assert.ok(listed.resourceVersion);

    const updated = await client.update<Secret>(Resources.Secret, {
      ...got,
      data: { k: b64('v2') },
    });
    assert.equal(updated.data?.['k'], b64('v2'));
    await assert.rejects(
      client.update<Secret>(Resources.Secret, { ...got, data: { k: b64('v3') } }),
      (error) => {
        assert.ok(isConflict(error));
        assert.ok(error instanceof ApiException, 'a client-node ApiException');
        assert.equal((error as KubeApiError).code, 409);
        assert.doesNotMatch((error as Error).message, /djM|v3/, 'no request body in the message');
        return true;
      },
    );

    assert.equal(await client.delete(Resources.Secret, { namespace: ns, name: 's1' }), true);
    assert.equal(await client.delete(Resources.Secret, { namespace: ns, name: 's1' }), false);
  });

  it('reports AlreadyExists on a duplicate create', async () => {
    await client.create(Resources.ConfigMap, { metadata: { name: 'dup', namespace: ns } });
    await assert.rejects(
      client.create(Resources.ConfigMap, { metadata: { name: 'dup', namespace: ns } }),
      (error) => isAlreadyExists(error),
    );
  });

  it('server-side applies with a field manager and merge-patches', async () => {
    const applied = await client.apply<Secret>(
      Resources.Secret,
      { metadata: { name: 'ssa', namespace: ns }, data: { a: b64('1') } },
      { fieldManager: 'externalsecrets.external-secrets.io/demo', force: true },
    );
    assert.equal(applied.data?.['a'], b64('1'));
    const managers = (
      applied.metadata.managedFields as { manager: string; operation: string }[]
    ).map((f) => `${f.manager}:${f.operation}`);
    assert.ok(
      managers.includes('externalsecrets.external-secrets.io/demo:Apply'),
      managers.join(','),
    );

    const patched = await client.mergePatch<Secret>(
      Resources.Secret,
      { namespace: ns, name: 'ssa' },
      {
        metadata: { labels: { 'reconcile.external-secrets.io/managed': 'true' } },
        data: { b: b64('2') },
      },
      { fieldManager: 'ferry-test' },
    );
    assert.deepEqual(Object.keys(patched.data ?? {}).sort(), ['a', 'b']);
    assert.equal(patched.metadata.labels?.['reconcile.external-secrets.io/managed'], 'true');
  });

  it('updates the status subresource of a Namespace-scoped object', async () => {
    // ServiceAccounts have no status; a Namespace does and is cluster-scoped.
    const nsObj = await client.get<KubeObject & { status?: { phase?: string } }>(
      Resources.Namespace,
      { name: ns },
    );
    const written = await client.updateStatus(Resources.Namespace, {
      ...nsObj!,
      status: { phase: 'Active' },
    });
    assert.equal((written as { status?: { phase?: string } }).status?.phase, 'Active');
  });

  it('issues a ServiceAccount token', async () => {
    await client.create(Resources.ServiceAccount, { metadata: { name: 'reader', namespace: ns } });
    const issued = await client.createToken({
      namespace: ns,
      serviceAccount: 'reader',
      audiences: ['vault'],
    });
    assert.equal(issued.token.split('.').length, 3);
    assert.ok(Date.parse(issued.expirationTimestamp) > Date.now());
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const kc = testKubeConfig();
    const target = new URL(kc.getCurrentCluster()!.server);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    try {
      const proxied = new KubeConfig();
      proxied.loadFromClusterAndUser(
        { ...kc.getCurrentCluster()!, server: `https://127.0.0.1:${proxy.port}` },
        kc.getCurrentUser()!,
      );
      const viaProxy = newKubeClient(proxied);
      for (let i = 0; i < 5; i++) await viaProxy.get(Resources.Namespace, { name: ns });
      assert.equal(proxy.accepted(), 1, 'client-node alone opens one TLS connection per request');
    } finally {
      await proxy.close();
    }
  });

  it('counts calls by verb and separates reads from writes', async () => {
    const counting = new CountingKubeClient(client);
    await counting.get(Resources.Secret, { namespace: ns, name: 'ssa' });
    await counting.list(Resources.Secret, { namespace: ns });
    assert.equal(counting.writes(), 0, 'reads are not writes');
    await counting.mergePatch(
      Resources.Secret,
      { namespace: ns, name: 'ssa' },
      { metadata: { annotations: { x: 'y' } } },
    );
    assert.equal(counting.writes(), 1);
    assert.equal(counting.writes('ConfigMap'), 0);
    assert.equal(counting.count('get', 'Secret'), 1);
    assert.equal(counting.byVerb().list, 1);
    counting.reset();
    assert.equal(counting.calls.length, 0);
  });
});
