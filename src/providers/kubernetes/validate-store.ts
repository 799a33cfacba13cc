/**
 * Static checks of a kubernetes store, with ESO's messages and order
 * (`esutils.ValidateKubernetesConnection`): CA provider namespace rules, then cert, token and
 * serviceAccount references. Only the first error is reported, as ESO does.
 */
import type { AnySecretStore, SecretKeySelector } from '../../api/types.ts';
import { StoreConfigError } from '../provider.ts';
import { kubernetesSpecOf } from './spec.ts';

/** ESO's admission warning when TLS falls back to the system roots. */
export const WARN_NO_CA =
  'No caBundle or caProvider specified; TLS connections will use system certificate roots.';

const NAMESPACE_NOT_ALLOWED =
  'namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore';

/** ESO's ValidateSecretSelector: a ClusterSecretStore's token and cert refs need a namespace. */
function checkSelector(store: AnySecretStore, ref: SecretKeySelector): void {
  if (store.kind === 'ClusterSecretStore' && !ref.namespace)
    throw new StoreConfigError('cluster scope requires namespace');
  if (store.kind === 'SecretStore' && ref.namespace && ref.namespace !== store.metadata.namespace) {
    throw new StoreConfigError(NAMESPACE_NOT_ALLOWED);
  }
}

function checkNamed(ref: SecretKeySelector, field: string): void {
  if (!ref.name) throw new StoreConfigError(`${field}.Name cannot be empty`);
  if (!ref.key) throw new StoreConfigError(`${field}.Key cannot be empty`);
}

function checkCaProvider(store: AnySecretStore): void {
  const ca = kubernetesSpecOf(store).server?.caProvider;
  if (ca === undefined) return;
  if (store.kind === 'ClusterSecretStore' && !ca.namespace)
    throw new StoreConfigError('CAProvider.namespace must not be empty with ClusterSecretStore');
  if (store.kind === 'SecretStore' && ca.namespace)
    throw new StoreConfigError('CAProvider.namespace must be empty with SecretStore');
}

/** Throws StoreConfigError on the first problem; returns ESO's warnings otherwise. */
export function validateKubernetesStore(store: AnySecretStore): string[] {
  const spec = kubernetesSpecOf(store);
  const warnings: string[] = [];
  if (spec.authRef === undefined && !spec.server?.caBundle && spec.server?.caProvider === undefined)
    warnings.push(WARN_NO_CA);
  checkCaProvider(store);
  const auth = spec.auth;
  if (auth?.cert) {
    checkNamed(auth.cert.clientCert, 'ClientCert');
    checkSelector(store, auth.cert.clientCert);
  }
  if (auth?.token) {
    checkNamed(auth.token.bearerToken, 'BearerToken');
    checkSelector(store, auth.token.bearerToken);
  }
  const sa = auth?.serviceAccount;
  if (
    sa &&
    store.kind === 'SecretStore' &&
    sa.namespace &&
    sa.namespace !== store.metadata.namespace
  )
    throw new StoreConfigError(NAMESPACE_NOT_ALLOWED);
  return warnings;
}
