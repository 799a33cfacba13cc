/** Test helpers for the sync core: an in-memory SecretsClient and ExternalSecret builder. */
import type { ExternalSecret, ExternalSecretSpec, FindSpec, RemoteRef } from '../api/types.ts';
import { NoSecretError, ProviderError } from '../providers/provider.ts';
import type { SecretsClient } from '../providers/provider.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A store of JSON-ish secrets: `key → (string | record)`. Counts reads for coalescing tests. */
export function memoryClient(
  store: Record<string, string | Record<string, string>>,
  failing: ReadonlySet<string> = new Set(),
) {
  const reads: string[] = [];
  const lookup = (key: string): string | Record<string, string> => {
    reads.push(key);
    if (failing.has(key)) throw new ProviderError(`store unavailable reading ${key}`);
    const v = store[key];
    if (v === undefined) throw new NoSecretError();
    return v;
  };
  const client: SecretsClient = {
    getSecret(ref: RemoteRef) {
      const v = lookup(ref.key);
      if (typeof v === 'string') return Promise.resolve(enc(v));
      if (ref.property !== undefined) {
        const p = v[ref.property];
        if (p === undefined)
          return Promise.reject(
            new ProviderError(`cannot find secret data for key: "${ref.property}"`),
          );
        return Promise.resolve(enc(p));
      }
      return Promise.resolve(enc(JSON.stringify(v)));
    },
    getSecretMap(ref: RemoteRef) {
      const v = lookup(ref.key);
      const obj = typeof v === 'string' ? (JSON.parse(v) as Record<string, string>) : v;
      return Promise.resolve(new Map(Object.entries(obj).map(([k, x]) => [k, enc(x)])));
    },
    getAllSecrets(find: FindSpec) {
      reads.push(`find:${find.name?.regexp ?? ''}`);
      const re = new RegExp(find.name?.regexp ?? '.*');
      const out = new Map<string, Uint8Array>();
      for (const [k, v] of Object.entries(store))
        if (re.test(k)) out.set(k, enc(typeof v === 'string' ? v : JSON.stringify(v)));
      return Promise.resolve(out);
    },
    pushSecret: () => Promise.resolve(),
    deleteSecret: () => Promise.resolve(),
    secretExists: () => Promise.resolve(true),
    validate: () => Promise.resolve('Ready'),
    close: () => Promise.resolve(),
  };
  return { client, reads };
}

export function externalSecret(
  spec: ExternalSecretSpec,
  meta: Partial<ExternalSecret['metadata']> = {},
): ExternalSecret {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'es', namespace: 'default', uid: 'uid-1', generation: 1, ...meta },
    spec: {
      secretStoreRef: { name: 'store', kind: 'SecretStore' },
      refreshInterval: '1h',
      ...spec,
    },
  };
}
