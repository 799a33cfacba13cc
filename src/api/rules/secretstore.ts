import { parseGoDurationNs } from '../duration.ts';
import { atMostOneOf, exactlyOneOf } from '../schema.ts';
import type { IssueList, Segments } from '../issues.ts';
import type {
  ClusterSecretStoreCondition,
  OpenBaoProvider,
  SecretKeySelector,
  SecretStoreSpec,
  ServiceAccountSelector,
  VaultAuth,
  VaultProvider,
} from '../types.ts';
import { VAULT_AUTH_METHODS } from '../types.ts';
import { checkDuration, checkLabelSelector, goRegexpError } from './common.ts';

/** Where the store sits, for ESO's referent rules (`esutils.ValidateReferentSecretSelector`). */
export interface StoreScope {
  cluster: boolean;
  namespace: string | undefined;
}

const NAMESPACE_NOT_ALLOWED =
  'namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore';

function checkRef(
  ref: SecretKeySelector | ServiceAccountSelector | undefined,
  scope: StoreScope,
  at: Segments,
  out: IssueList,
): void {
  if (!ref || scope.cluster || ref.namespace === undefined) return;
  if (ref.namespace !== scope.namespace) out.error([...at, 'namespace'], NAMESPACE_NOT_ALLOWED);
}

/** ESO's store webhook rules (`secretstore_validator.go`) plus the provider's ValidateStore. */
export function checkSecretStoreSpec(
  spec: SecretStoreSpec,
  scope: StoreScope,
  at: Segments,
  out: IssueList,
): void {
  (spec.conditions ?? []).forEach((c, ci) => {
    checkCondition(c, ci, [...at, 'conditions', ci], out);
  });
  if (!scope.cluster && spec.conditions !== undefined && spec.conditions.length > 0) {
    out.warn(
      [...at, 'conditions'],
      'conditions only apply to a ClusterSecretStore and are ignored here',
    );
  }
  checkRefreshInterval(spec.refreshInterval, [...at, 'refreshInterval'], out);
  checkDuration(spec.retrySettings?.retryInterval, [...at, 'retrySettings', 'retryInterval'], out);
  const provider = spec.provider;
  if (provider.vault) checkVault(provider.vault, scope, [...at, 'provider', 'vault'], out);
  if (provider.openBao) checkOpenBao(provider.openBao, [...at, 'provider', 'openBao'], out);
  if (provider.fake) {
    provider.fake.data.forEach((d, i) => {
      if (d.key === '')
        out.error([...at, 'provider', 'fake', 'data', i, 'key'], `key must be set in data ${i}`);
    });
  }
}

function checkCondition(
  c: ClusterSecretStoreCondition,
  ci: number,
  at: Segments,
  out: IssueList,
): void {
  checkLabelSelector(c.namespaceSelector, [...at, 'namespaceSelector'], out);
  (c.namespaceRegexes ?? []).forEach((r, ri) => {
    const problem = goRegexpError(r);
    if (problem !== undefined) {
      out.error(
        [...at, 'namespaceRegexes', ri],
        `failed to compile ${ri}th namespace regex in ${ci}th condition: ${problem}`,
      );
    }
  });
}

function checkRefreshInterval(
  value: number | string | undefined,
  at: Segments,
  out: IssueList,
): void {
  if (typeof value === 'number' && value < 0)
    out.error(at, `invalid refreshInterval ${value}: must not be negative`);
  if (typeof value !== 'string') return;
  try {
    if (parseGoDurationNs(value) < 0n)
      out.error(at, `invalid refreshInterval ${JSON.stringify(value)}: must not be negative`);
  } catch (e) {
    out.error(
      at,
      `invalid refreshInterval ${JSON.stringify(value)}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

function checkVault(vault: VaultProvider, scope: StoreScope, at: Segments, out: IssueList): void {
  if (vault.auth) checkVaultAuth(vault.auth, scope, [...at, 'auth'], out);
  const tls = vault.tls;
  if (tls && (tls.certSecretRef === undefined) !== (tls.keySecretRef === undefined)) {
    out.error(
      [...at, 'tls'],
      'when provided, both ClientTLS.ClientCert and ClientTLS.SecretRef should be provided',
    );
  }
  checkRefsAt(
    vault,
    [
      ['tls', 'certSecretRef'],
      ['tls', 'keySecretRef'],
    ],
    { scope, at, out },
  );
  if (vault.checkAndSet?.required === true && vault.version === 'v1') {
    out.error([...at, 'checkAndSet'], 'checkAndSet is not supported with Vault KV version v1');
  }
  if (vault.caBundle !== undefined && vault.caProvider !== undefined) {
    out.warn([...at, 'caProvider'], 'caBundle and caProvider are both set; both are trusted');
  }
}

/** Every secret or service-account reference inside a Vault `auth` block. */
const VAULT_AUTH_REFS: readonly (readonly string[])[] = [
  ['tokenSecretRef'],
  ['appRole', 'secretRef'],
  ['appRole', 'roleRef'],
  ['kubernetes', 'secretRef'],
  ['kubernetes', 'serviceAccountRef'],
  ['ldap', 'secretRef'],
  ['userPass', 'secretRef'],
  ['jwt', 'secretRef'],
  ['jwt', 'kubernetesServiceAccountToken', 'serviceAccountRef'],
  ['cert', 'clientCert'],
  ['cert', 'secretRef'],
  ['iam', 'jwt', 'serviceAccountRef'],
  ['iam', 'secretRef', 'accessKeyIDSecretRef'],
  ['iam', 'secretRef', 'secretAccessKeySecretRef'],
  ['iam', 'secretRef', 'sessionTokenSecretRef'],
  ['gcp', 'secretRef', 'secretAccessKeySecretRef'],
  ['gcp', 'serviceAccountRef'],
  ['gcp', 'workloadIdentity', 'serviceAccountRef'],
];

function checkVaultAuth(auth: VaultAuth, scope: StoreScope, at: Segments, out: IssueList): void {
  const set = VAULT_AUTH_METHODS.filter((m) => auth[m] !== undefined);
  if (set.length > 1) {
    const first = set[0] ?? '';
    out.warn(at, `more than one auth method is set (${set.join(', ')}); only ${first} is used`);
  }
  checkRefsAt(auth, VAULT_AUTH_REFS, { scope, at, out });
  if (auth.appRole && !auth.appRole.roleId && !auth.appRole.roleRef) {
    out.error(
      [...at, 'appRole'],
      'invalid Auth.AppRole: neither `roleId` nor `roleRef` was supplied',
    );
  }
  if (auth.jwt && !auth.jwt.secretRef && !auth.jwt.kubernetesServiceAccountToken) {
    out.error(
      [...at, 'jwt'],
      'neither `secretRef` nor `kubernetesServiceAccountToken` was supplied as token source for jwt authentication',
    );
  }
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Applies the referent-namespace rule to each reference found under `root` at `paths`. */
function checkRefsAt(
  root: unknown,
  paths: readonly (readonly string[])[],
  ctx: { scope: StoreScope; at: Segments; out: IssueList },
): void {
  for (const path of paths) {
    const ref = valueAt(root, path) as SecretKeySelector | undefined;
    checkRef(ref, ctx.scope, [...ctx.at, ...path], ctx.out);
  }
}

function checkOpenBao(bao: OpenBaoProvider, at: Segments, out: IssueList): void {
  // The same rules (and messages) as the CEL rules on the CRD, for files not yet applied.
  const present = (o: object, fields: readonly string[]): number =>
    fields.filter((f) => (o as Record<string, unknown>)[f] !== undefined).length;
  const ca = ['caBundle', 'caProvider'];
  if (present(bao, ca) > 1) out.error(at, atMostOneOf(ca).message);
  const auth = bao.auth;
  if (!auth) return;
  const methods = ['appRole', 'tokenSecretRef', 'userPass'];
  if (present(auth, methods) !== 1) out.error([...at, 'auth'], exactlyOneOf(methods).message);
  const role = ['roleId', 'roleRef'];
  if (auth.appRole && present(auth.appRole, role) !== 1) {
    out.error([...at, 'auth', 'appRole'], exactlyOneOf(role).message);
  }
}
