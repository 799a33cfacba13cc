/**
 * The `kubernetes` block of a store and the namespace rules of its references (ESO
 * `esutils.IsReferentKubernetesAuth`, `resolvers.SecretKeyRef`).
 */
import type { AnySecretStore, KubernetesProvider } from '../../api/types.ts';
import { StoreConfigError } from '../provider.ts';

export type KubernetesAuth = NonNullable<KubernetesProvider['auth']>;

/** The CRD default of `remoteNamespace`. */
export const DEFAULT_REMOTE_NAMESPACE = 'default';

export function kubernetesSpecOf(store: AnySecretStore): KubernetesProvider {
  const spec = store.spec.provider.kubernetes;
  if (spec === undefined) throw new StoreConfigError('no store type or wrong store type');
  return spec;
}

export function storeName(store: AnySecretStore): string {
  const ns = store.kind === 'SecretStore' ? `${store.metadata.namespace ?? ''}/` : '';
  return `${store.kind} ${ns}${store.metadata.name ?? ''}`;
}

export function remoteNamespaceOf(spec: KubernetesProvider): string {
  return spec.remoteNamespace || DEFAULT_REMOTE_NAMESPACE;
}

/**
 * Some credential reference leaves its namespace out, so on a ClusterSecretStore it resolves in
 * the namespace of each ExternalSecret ("referent" auth): unknown while validating the store.
 */
export function isReferentAuth(auth: KubernetesAuth | undefined): boolean {
  if (auth === undefined) return false;
  if (auth.cert && (!auth.cert.clientCert.namespace || !auth.cert.clientKey.namespace)) return true;
  if (auth.serviceAccount && !auth.serviceAccount.namespace) return true;
  return auth.token !== undefined && !auth.token.bearerToken.namespace;
}

/**
 * Where a reference resolves: a SecretStore's refs always in the namespace being reconciled (the
 * store's own); a ClusterSecretStore's in the ref's namespace, else the ExternalSecret's.
 */
export function refNamespace(
  store: AnySecretStore,
  contextNamespace: string,
  refNs: string | undefined,
): string {
  if (store.kind === 'ClusterSecretStore' && refNs) return refNs;
  if (store.kind === 'SecretStore') return store.metadata.namespace ?? contextNamespace;
  return contextNamespace;
}
