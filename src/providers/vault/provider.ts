/**
 * The Vault provider (spec keys `vault` and `openBao`): static store validation with ESO's
 * messages (eso.md §4.1 webhook rules) and client construction sharing one TokenCache.
 */
import { createHash } from 'node:crypto';
import type { AnySecretStore, SecretKeySelector, VaultProvider } from '../../api/types.ts';
import { isGoDuration } from '../../api/duration.ts';
import {
  type Capabilities,
  type Provider,
  type ProviderContext,
  type SecretsClient,
  StoreConfigError,
} from '../provider.ts';
import { selectAuthMethod } from './auth/methods.ts';
import { VaultSecretsClient } from './client.ts';
import { VaultHttp } from './http.ts';
import { kvVersion, retryPolicy, tlsDispatcher, vaultSpecOf, type VaultFlavour } from './store.ts';
import type { TokenCache } from './token-cache.ts';

export interface VaultProviderOptions {
  tokens: TokenCache;
  /** `vault` (default) or `openBao`: same client, different spec key. */
  key?: VaultFlavour;
  /** Per-request timeout; the vault api's default is 60 s. */
  timeoutMs?: number;
  /** Mounted SA token for kubernetes auth without refs (tests point it elsewhere). */
  serviceAccountTokenPath?: string;
  sleep?: (ms: number) => Promise<void>;
}

function refsOf(auth: unknown, out: SecretKeySelector[] = []): SecretKeySelector[] {
  if (typeof auth !== 'object' || auth === null) return out;
  const rec = auth as Record<string, unknown>;
  if (typeof rec.name === 'string' && !('path' in rec) && !('role' in rec)) out.push(rec);
  for (const v of Object.values(rec)) if (typeof v === 'object') refsOf(v, out);
  return out;
}

/**
 * The TokenCache key: one login per (store, credentials). Credentials are named by the auth spec
 * and, for a ClusterSecretStore with namespace-less (referent) refs, the namespace they resolve in.
 */
/** A ClusterSecretStore whose auth refs have no namespace: they resolve per ExternalSecret. */
export function isReferent(store: AnySecretStore, spec: VaultProvider): boolean {
  return store.kind === 'ClusterSecretStore' && refsOf(spec.auth).some((r) => !r.namespace);
}

export function credentialKey(
  store: AnySecretStore,
  spec: VaultProvider,
  context: ProviderContext,
): string {
  const referent = isReferent(store, spec);
  const identity = {
    kind: store.kind,
    namespace: store.kind === 'SecretStore' ? store.metadata.namespace : undefined,
    name: store.metadata.name,
    server: spec.server,
    vaultNamespace: spec.namespace,
    auth: spec.auth,
    refNamespace: referent ? context.namespace : undefined,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

function checkRef(store: AnySecretStore, ref: SecretKeySelector | undefined, field: string): void {
  if (ref === undefined) return;
  if (!ref.name) throw new StoreConfigError(`invalid ${field}: name is required`);
  if (store.kind === 'SecretStore' && ref.namespace && ref.namespace !== store.metadata.namespace) {
    throw new StoreConfigError(
      `invalid ${field}: namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore`,
    );
  }
}

function checkAuth(store: AnySecretStore, spec: VaultProvider): void {
  const a = spec.auth;
  if (a === undefined) return;
  if (selectAuthMethod(a) === undefined)
    throw new StoreConfigError('cannot initialize Vault client: no valid auth method specified');
  checkRef(store, a.tokenSecretRef, 'Auth.TokenSecretRef');
  if (a.appRole) {
    if (!a.appRole.roleId && !a.appRole.roleRef) {
      throw new StoreConfigError(
        'invalid Auth.AppRole: neither `roleId` nor `roleRef` was supplied',
      );
    }
    checkRef(store, a.appRole.roleRef, 'Auth.AppRole.RoleRef');
    checkRef(store, a.appRole.secretRef, 'Auth.AppRole.SecretRef');
  }
  if (a.kubernetes) {
    if (!a.kubernetes.role) throw new StoreConfigError('invalid Auth.Kubernetes: role is required');
    checkRef(store, a.kubernetes.secretRef, 'Auth.Kubernetes.SecretRef');
  }
  if (a.ldap) checkRef(store, a.ldap.secretRef, 'Auth.Ldap.SecretRef');
  if (a.userPass) checkRef(store, a.userPass.secretRef, 'Auth.UserPass.SecretRef');
  if (a.jwt) checkRef(store, a.jwt.secretRef, 'Auth.Jwt.SecretRef');
  if (a.cert) {
    if (Boolean(a.cert.clientCert) !== Boolean(a.cert.secretRef)) {
      throw new StoreConfigError(
        'when provided, both ClientTLS.ClientCert and ClientTLS.SecretRef should be provided',
      );
    }
    checkRef(store, a.cert.clientCert, 'Auth.Cert.ClientCert');
    checkRef(store, a.cert.secretRef, 'Auth.Cert.SecretRef');
  }
}

/** Static checks of a Vault store; throws StoreConfigError, returns warnings. */
export function validateVaultStore(store: AnySecretStore, key: VaultFlavour = 'vault'): string[] {
  const spec = vaultSpecOf(store, key);
  const warnings: string[] = [];
  let url: URL;
  try {
    url = new URL(spec.server);
  } catch {
    throw new StoreConfigError(`invalid server URL "${spec.server}": expected http(s)://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StoreConfigError(`invalid server URL "${spec.server}": scheme must be http or https`);
  }
  if (spec.version !== undefined && !['v1', 'v2'].includes(spec.version)) {
    throw new StoreConfigError(`invalid version "${spec.version}": expected v1 or v2`);
  }
  if (spec.checkAndSet?.required && kvVersion(spec) === 'v1') {
    throw new StoreConfigError('checkAndSet is not supported with Vault KV version v1');
  }
  if (Boolean(spec.tls?.certSecretRef) !== Boolean(spec.tls?.keySecretRef)) {
    throw new StoreConfigError(
      'when provided, both tls.certSecretRef and tls.keySecretRef should be provided',
    );
  }
  const interval = store.spec.retrySettings?.retryInterval;
  if (interval !== undefined && !isGoDuration(interval)) {
    throw new StoreConfigError(
      `invalid retrySettings.retryInterval "${interval}": not a Go duration`,
    );
  }
  checkAuth(store, spec);
  if (kvVersion(spec) === 'v1' && spec.path === undefined) {
    warnings.push(
      'spec.provider.vault.path is unset: find, metadataPolicy Fetch and PushSecret need it with KV v1',
    );
  }
  if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    warnings.push(`server ${spec.server} uses plain http: tokens and secrets travel unencrypted`);
  }
  return warnings;
}

export function createVaultProvider(options: VaultProviderOptions): Provider {
  const key = options.key ?? 'vault';
  return {
    key,
    capabilities(): Capabilities {
      return 'ReadWrite';
    },
    validateStore(store) {
      return validateVaultStore(store, key);
    },
    async newClient(store: AnySecretStore, context: ProviderContext): Promise<SecretsClient> {
      const spec = vaultSpecOf(store, key);
      const retry = retryPolicy(store);
      const dispatcher = await tlsDispatcher(store, spec, context);
      const http = new VaultHttp({
        server: spec.server,
        fetch: context.fetch,
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
        readYourWrites: spec.readYourWrites === true,
        forwardInconsistent: spec.forwardInconsistent === true,
        maxRetries: retry.maxRetries,
        retryIntervalMs: retry.retryIntervalMs,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(dispatcher ? { dispatcher } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
      const client = new VaultSecretsClient({
        store,
        spec,
        context,
        http,
        layout: { version: kvVersion(spec), ...(spec.path ? { mount: spec.path } : {}) },
        tokens: options.tokens,
        cacheKey: credentialKey(store, spec, context),
        referent: isReferent(store, spec),
        ...(options.serviceAccountTokenPath
          ? { serviceAccountTokenPath: options.serviceAccountTokenPath }
          : {}),
      });
      await client.init();
      return client;
    },
  };
}
