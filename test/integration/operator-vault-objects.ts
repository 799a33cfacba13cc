/**
 * Objects shared by the operator tests on OpenBao (operator-vault-faults, operator-store-circuit,
 * operator-read-share, operator-pushsecret): a token-auth SecretStore, and an ExternalSecret
 * extracting one KV secret.
 */
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources } from '../../src/kube/types.ts';
import type { Obj } from './operator-behaviours-support.ts';
import { env } from './vault-support.ts';

/** The `vault-token` Secret the stores below authenticate with. */
export async function createVaultTokenSecret(client: KubeClient, namespace: string): Promise<void> {
  await client.create(Resources.Secret, {
    metadata: { name: 'vault-token', namespace },
    stringData: { token: env.vaultToken },
  });
}

/**
 * A SecretStore on `server` (OpenBao, or the fault proxy in front of it) and KV mount `path`.
 * `retries: 'none'` (the default) makes one request per read (Vault's client would retry each
 * 5xx twice), so a proxy's count of requests is the count of reads; `'default'` keeps the
 * client's own retries.
 */
export function vaultTokenStore(o: {
  name: string;
  namespace: string;
  controller: string;
  server: string;
  path: string;
  version?: 'v1' | 'v2';
  retries?: 'none' | 'default';
}): Obj {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      controller: o.controller,
      provider: {
        vault: {
          server: o.server,
          path: o.path,
          version: o.version ?? 'v2',
          auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } },
        },
      },
      ...(o.retries === 'default' ? {} : { retrySettings: { maxRetries: 0, retryInterval: '1s' } }),
    },
  };
}

/** An ExternalSecret whose Secret `name` holds every property of KV secret `key`. */
export function extractExternalSecret(o: {
  name: string;
  namespace: string;
  store: string;
  refreshInterval: string;
  key: string;
}): Obj {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      refreshInterval: o.refreshInterval,
      secretStoreRef: { name: o.store, kind: 'SecretStore' },
      target: { name: o.name },
      dataFrom: [{ extract: { key: o.key } }],
    },
  };
}
