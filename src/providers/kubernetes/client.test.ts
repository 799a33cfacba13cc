/**
 * The client's write decisions against an in-memory API server: which namespace a push lands
 * in, that an unchanged push writes nothing, and a retryable error when the server is down.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryKube } from '../../../test/support/memory-kube.ts';
import type { AnySecretStore } from '../../api/types.ts';
import { Resources } from '../../kube/types.ts';
import { ProviderError, type ProviderContext } from '../provider.ts';
import { createKubernetesProvider } from './provider.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const quiet = (): undefined => undefined;
// Only decoded, never used: the in-memory server has no TLS.
const caBundle = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n',
).toString('base64');

const context: ProviderContext = {
  namespace: 'apps',
  kube: {
    readSecretKey: () => Promise.resolve(enc('a-token')),
    readConfigMapKey: () => Promise.reject(new Error('none')),
    createServiceAccountToken: () => Promise.resolve('sa-token'),
  },
  clock: { now: () => 0 },
  logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  fetch: () => Promise.reject(new Error('no network')),
};

function store(kind: AnySecretStore['kind']): AnySecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: { name: 's', ...(kind === 'SecretStore' ? { namespace: 'apps' } : {}) },
    spec: {
      provider: {
        kubernetes: {
          server: { url: 'https://remote.example', caBundle },
          auth: { token: { bearerToken: { name: 't', key: 'token', namespace: 'apps' } } },
          remoteNamespace: 'remote',
        },
      },
    },
  };
}

const source = { data: new Map([['k', enc('v')]]) };

describe('kubernetes client writes', () => {
  it('a ClusterSecretStore push may name another remoteNamespace', async () => {
    const memory = new MemoryKube();
    const provider = createKubernetesProvider({ connect: () => memory.client() });
    const client = await provider.newClient(store('ClusterSecretStore'), context);
    await client.pushSecret(source, {
      match: { remoteRef: { remoteKey: 'moved' } },
      metadata: {
        apiVersion: 'kubernetes.external-secrets.io/v1alpha1',
        kind: 'PushSecretMetadata',
        spec: { remoteNamespace: 'elsewhere' },
      },
    });
    assert.deepEqual(memory.writes, ['create secrets/elsewhere/moved']);
  });

  it('an unchanged push writes nothing; a changed one updates once', async () => {
    const memory = new MemoryKube();
    const provider = createKubernetesProvider({ connect: () => memory.client() });
    const client = await provider.newClient(store('SecretStore'), context);
    const data = { match: { remoteRef: { remoteKey: 'app' } } };
    await client.pushSecret(source, data);
    await client.pushSecret(source, data);
    await client.pushSecret({ data: new Map([['k', enc('v2')]]) }, data);
    assert.deepEqual(memory.writes, ['create secrets/remote/app', 'update secrets/remote/app']);
    const stored = await memory
      .client()
      .get<{ metadata: object; type?: string }>(Resources.Secret, {
        namespace: 'remote',
        name: 'app',
      });
    assert.equal(stored?.type, 'Opaque');
  });

  it('an unreachable API server is a retryable ProviderError', async () => {
    const memory = new MemoryKube();
    memory.down = true;
    const provider = createKubernetesProvider({ connect: () => memory.client() });
    const client = await provider.newClient(store('SecretStore'), context);
    await assert.rejects(
      client.getSecret({ key: 'app' }),
      (e: Error) => e instanceof ProviderError && e.details.retryable === true,
    );
  });
});
