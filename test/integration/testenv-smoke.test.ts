/**
 * Proves each test server is the real thing: the suites after this one rely on it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it, before } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { loadTestEnv, type TestEnv } from '../env/testenv.ts';
import { eventually } from '../support/kube.ts';

let env: TestEnv;
let kc: k8s.KubeConfig;

function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

before(() => {
  env = loadTestEnv();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(env.kubeconfig);
});

describe('kube-apiserver + etcd + kube-controller-manager', () => {
  it('serves a namespace, a CRD and a custom object that a watch sees', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const ns = uniqueName('smoke');
    await core.createNamespace({ body: { metadata: { name: ns } } });

    const group = `${uniqueName('g')}.smoke.ferry.dev`;
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: { type: 'object', properties: { size: { type: 'integer' } } },
                  },
                },
              },
            },
          ],
        },
      },
    });
    await eventually('CRD Established', async () => {
      const crd = await ext.readCustomResourceDefinition({ name: `widgets.${group}` });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
        ? true
        : undefined;
    });

    // Established can precede the moment the new REST endpoint serves; wait for a list to work.
    await eventually('custom resource endpoint', async () => {
      try {
        await custom.listNamespacedCustomObject({
          group,
          version: 'v1',
          namespace: ns,
          plural: 'widgets',
        });
        return true;
      } catch {
        return undefined;
      }
    });
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const request = await watch.watch(
      `/apis/${group}/v1/namespaces/${ns}/widgets`,
      {},
      (phase, obj: { metadata?: { name?: string } }) => {
        seen.push(`${phase}:${obj.metadata?.name ?? ''}`);
      },
      (err: unknown) => {
        if (err) seen.push(`error:${err instanceof Error ? err.message : 'unknown'}`);
      },
    );
    try {
      await custom.createNamespacedCustomObject({
        group,
        version: 'v1',
        namespace: ns,
        plural: 'widgets',
        body: {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name: 'w1' },
          spec: { size: 3 },
        },
      });
      await eventually('watch event', () =>
        Promise.resolve(seen.includes('ADDED:w1') ? true : undefined),
      );
      const got = (await custom.getNamespacedCustomObject({
        group,
        version: 'v1',
        namespace: ns,
        plural: 'widgets',
        name: 'w1',
      })) as { spec: { size: number } };
      assert.equal(got.spec.size, 3);
    } finally {
      request.abort();
    }
  });

  it('issues a ServiceAccount token with TokenRequest and validates it with TokenReview', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const authn = kc.makeApiClient(k8s.AuthenticationV1Api);
    const ns = uniqueName('smoke');
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedServiceAccount({
      namespace: ns,
      body: { metadata: { name: 'reader' } },
    });
    const tr = await core.createNamespacedServiceAccountToken({
      name: 'reader',
      namespace: ns,
      body: { spec: { audiences: ['ferry-test'], expirationSeconds: 600 } },
    });
    const token = tr.status?.token;
    assert.ok(token?.split('.').length === 3, 'a JWT');
    const review = await authn.createTokenReview({
      body: { spec: { token, audiences: ['ferry-test'] } },
    });
    assert.equal(review.status?.authenticated, true);
    assert.equal(review.status.user?.username, `system:serviceaccount:${ns}:reader`);
    const forged = await authn.createTokenReview({ body: { spec: { token: `${token}x` } } });
    assert.notEqual(forged.status?.authenticated, true);
  });

  it('garbage-collects a Secret after its owner is deleted', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const ns = uniqueName('smoke');
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const owner = await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'owner' } },
    });
    await core.createNamespacedSecret({
      namespace: ns,
      body: {
        metadata: {
          name: 'owned',
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! },
          ],
        },
        stringData: { k: 'v' },
      },
    });
    const before = await core.readNamespacedSecret({ name: 'owned', namespace: ns });
    assert.equal(before.metadata?.ownerReferences?.[0]?.uid, owner.metadata!.uid);
    await core.deleteNamespacedConfigMap({ name: 'owner', namespace: ns });
    await eventually(
      'owned Secret to be garbage-collected',
      async () => {
        try {
          await core.readNamespacedSecret({ name: 'owned', namespace: ns });
          return undefined;
        } catch (error) {
          return (error as { code?: number }).code === 404 ? true : undefined;
        }
      },
      60_000,
    );
  });
});

describe('OpenBao dev server', () => {
  async function bao(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${env.vaultAddr}/v1/${path}`, {
      method,
      headers: { 'x-vault-token': env.vaultToken, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  }

  it('writes and reads KV v2 and answers 404 for a missing path', async () => {
    const path = uniqueName('smoke');
    const write = await bao('POST', `secret/data/${path}`, {
      data: { username: 'app', port: 5432 },
    });
    assert.equal(write.status, 200);
    const read = await bao('GET', `secret/data/${path}`);
    assert.equal(read.status, 200);
    const body = (await read.json()) as {
      data: { data: Record<string, unknown>; metadata: { version: number } };
    };
    assert.deepEqual(body.data.data, { username: 'app', port: 5432 });
    assert.equal(body.data.metadata.version, 1);
    const missing = await bao('GET', `secret/data/${path}-missing`);
    assert.equal(missing.status, 404);
  });
});

describe('moto', () => {
  async function secretsManager(action: string, body: unknown): Promise<Response> {
    return fetch(env.awsEndpointUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `secretsmanager.${action}`,
        authorization:
          'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
    });
  }

  it('answers GetSecretValue for a secret it stored', async () => {
    const name = uniqueName('smoke');
    const created = await secretsManager('CreateSecret', { Name: name, SecretString: '{"k":"v"}' });
    assert.equal(created.status, 200);
    const got = await secretsManager('GetSecretValue', { SecretId: name });
    assert.equal(got.status, 200);
    assert.equal(((await got.json()) as { SecretString: string }).SecretString, '{"k":"v"}');
    const missing = await secretsManager('GetSecretValue', { SecretId: `${name}-missing` });
    assert.ok(missing.status >= 400 && missing.status < 500, `status ${missing.status}`);
    assert.match(await missing.text(), /ResourceNotFoundException/);
  });
});
