/**
 * The Vault block of a store, normalised: defaults applied (version v2, auth mount paths as ESO),
 * secret references resolved with ESO's namespace rules, and the TLS dispatcher built from
 * caBundle / caProvider / tls client certificates (eso.md §4.5).
 */
import { createSecureContext } from 'node:tls';
import { Agent } from 'undici';
import type { AnySecretStore, SecretKeySelector, VaultProvider } from '../../api/types.ts';
import { parseGoDuration } from '../../api/duration.ts';
import { type ProviderContext, StoreConfigError } from '../provider.ts';

/** The provider keys this client serves: ESO's `vault` and the newer `openBao` (same API). */
export type VaultFlavour = 'vault' | 'openBao';

export function vaultSpecOf(store: AnySecretStore, key: VaultFlavour): VaultProvider {
  const spec = store.spec.provider[key];
  if (spec === undefined)
    throw new StoreConfigError(`store ${storeName(store)}: spec.provider.${key} is missing`);
  return spec;
}

export function storeName(store: AnySecretStore): string {
  const ns = store.kind === 'SecretStore' ? `${store.metadata.namespace ?? ''}/` : '';
  return `${store.kind} ${ns}${store.metadata.name ?? ''}`;
}

export function kvVersion(spec: VaultProvider): 'v1' | 'v2' {
  return spec.version ?? 'v2';
}

export interface RetryPolicy {
  maxRetries: number;
  retryIntervalMs: number;
}

/** retrySettings as ESO maps them onto the vault api; absent → the api's 2 retries. */
export function retryPolicy(store: AnySecretStore): RetryPolicy {
  const r = store.spec.retrySettings;
  if (r === undefined) return { maxRetries: 2, retryIntervalMs: 1000 };
  return {
    maxRetries: r.maxRetries ?? 0,
    retryIntervalMs: r.retryInterval ? parseGoDuration(r.retryInterval) : 1000,
  };
}

/** Where a secret reference resolves: a SecretStore's own namespace, or the ref's / the ES's for a cluster store. */
export function refNamespace(
  store: AnySecretStore,
  context: ProviderContext,
  refNs?: string,
): string {
  if (store.kind === 'SecretStore') return store.metadata.namespace ?? context.namespace;
  return refNs ?? context.namespace;
}

/** The text of `data[key]` of the referenced Secret (trimmed of nothing: tokens are used as stored). */
export async function readSecretRef(
  store: AnySecretStore,
  context: ProviderContext,
  ref: SecretKeySelector,
  defaultKey?: string,
): Promise<string> {
  const key = ref.key || defaultKey;
  if (!ref.name || !key) {
    throw new StoreConfigError(`store ${storeName(store)}: a secret reference needs name and key`);
  }
  const bytes = await context.kube.readSecretKey({
    namespace: refNamespace(store, context, ref.namespace),
    name: ref.name,
    key,
  });
  return new TextDecoder().decode(bytes);
}

function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN');
}

/** caBundle is PEM or base64 of PEM (ESO decodes it with Auto). */
export function decodeCaBundle(bundle: string): string {
  if (looksLikePem(bundle)) return bundle;
  const decoded = Buffer.from(bundle, 'base64').toString('utf8');
  if (!looksLikePem(decoded)) {
    throw new StoreConfigError(
      'cannot set Vault CA certificate: failed to parse certificates from CertPool',
    );
  }
  return decoded;
}

async function caPem(
  store: AnySecretStore,
  spec: VaultProvider,
  context: ProviderContext,
): Promise<string | undefined> {
  if (spec.caBundle) return decodeCaBundle(spec.caBundle);
  const p = spec.caProvider;
  if (p === undefined) return undefined;
  if (store.kind === 'ClusterSecretStore' && !p.namespace) {
    throw new StoreConfigError(
      `missing namespace on caProvider ${p.type === 'Secret' ? 'secret' : 'configmap'}`,
    );
  }
  const namespace =
    store.kind === 'SecretStore'
      ? (store.metadata.namespace ?? context.namespace)
      : (p.namespace ?? '');
  const ref = { namespace, name: p.name, key: p.key ?? 'ca.crt' };
  const bytes =
    p.type === 'Secret'
      ? await context.kube.readSecretKey(ref)
      : await context.kube.readConfigMapKey(ref);
  return decodeCaBundle(new TextDecoder().decode(bytes));
}

async function clientCert(
  store: AnySecretStore,
  spec: VaultProvider,
  context: ProviderContext,
): Promise<{ cert: string; key: string } | undefined> {
  const tls = spec.tls;
  const cert = spec.auth?.cert;
  if (tls?.certSecretRef && tls.keySecretRef) {
    return {
      cert: await readSecretRef(store, context, tls.certSecretRef, 'tls.crt'),
      key: await readSecretRef(store, context, tls.keySecretRef, 'tls.key'),
    };
  }
  if (cert?.clientCert && cert.secretRef) {
    return {
      cert: await readSecretRef(store, context, cert.clientCert, 'tls.crt'),
      key: await readSecretRef(store, context, cert.secretRef, 'tls.key'),
    };
  }
  return undefined;
}

/** An undici Agent when the store needs its own CA or a client certificate, else undefined. */
export async function tlsDispatcher(
  store: AnySecretStore,
  spec: VaultProvider,
  context: ProviderContext,
): Promise<Agent | undefined> {
  const ca = await caPem(store, spec, context);
  const client = await clientCert(store, spec, context);
  if (ca === undefined && client === undefined) return undefined;
  const connect: Record<string, unknown> = {};
  if (ca !== undefined) connect.ca = ca;
  if (client !== undefined) {
    try {
      createSecureContext({ cert: client.cert, key: client.key });
    } catch (e) {
      // The TLS library's reason names the problem, never the key material.
      throw new StoreConfigError(`error from Client TLS Auth: "${(e as Error).message}"`, {
        cause: e,
      });
    }
    connect.cert = client.cert;
    connect.key = client.key;
  }
  return new Agent({ connect });
}
