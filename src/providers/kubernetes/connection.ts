/**
 * The KubeConfig for the remote API server (ESO `esutils.BuildRESTConfigFromKubernetesConnection`):
 * a kubeconfig from `authRef`, or `server.url` + CA + exactly one of token, serviceAccount
 * (TokenRequest) and client certificate. Credentials stay in the KubeConfig; messages name the
 * references, never their contents.
 */
import { createSecureContext } from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import type { AnySecretStore, KubernetesProvider, SecretKeySelector } from '../../api/types.ts';
import { errorMessage } from '../../errors.ts';
import { ProviderError, StoreConfigError, type ProviderContext } from '../provider.ts';
import { kubeConfigFromText } from './kubeconfig.ts';
import type { ServiceAccountRef, ServiceAccountTokenCache } from './service-account-tokens.ts';
import { refNamespace, type KubernetesAuth } from './spec.ts';

/** ESO asks TokenRequest for one hour. */
const SERVICE_ACCOUNT_TOKEN_SECONDS = 3600;

const decoder = new TextDecoder();

/** The store's auth configuration is wrong. */
export class KubernetesAuthError extends StoreConfigError {}

/** A credential could not be read (missing Secret, API server unreachable): retried. */
function readFailure(message: string, cause: unknown): ProviderError {
  return new ProviderError(`${message}: ${errorMessage(cause)}`, { retryable: true }, { cause });
}

interface Inputs {
  store: AnySecretStore;
  spec: KubernetesProvider;
  context: ProviderContext;
  /** Reuses TokenRequest tokens across reconciles; without it every call mints one (ESO). */
  tokens?: ServiceAccountTokenCache;
}

/** A ServiceAccount token the connection authenticates with (to evict it on a 401). */
export interface IssuedServiceAccountToken {
  ref: ServiceAccountRef;
  token: string;
}

/** The remote API server's KubeConfig, and the ServiceAccount token in it if there is one. */
export interface RemoteConnection {
  kubeConfig: KubeConfig;
  serviceAccountToken?: IssuedServiceAccountToken;
}

async function readRef(inputs: Inputs, ref: SecretKeySelector): Promise<Uint8Array> {
  return inputs.context.kube.readSecretKey({
    namespace: refNamespace(inputs.store, inputs.context.namespace, ref.namespace),
    name: ref.name ?? '',
    key: ref.key ?? '',
  });
}

function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN');
}

/** caBundle bytes may be PEM or base64 of PEM (ESO's base64decode tolerance). */
export function pemFromBytes(bytes: Uint8Array, what: string): string {
  const text = decoder.decode(bytes);
  if (looksLikePem(text)) return text;
  const decoded = Buffer.from(text.trim(), 'base64').toString('utf8');
  if (looksLikePem(decoded)) return decoded;
  throw new KubernetesAuthError(`failed to decode ${what}: no PEM certificate found`);
}

async function caPem(inputs: Inputs): Promise<string | undefined> {
  const server = inputs.spec.server;
  if (server?.caBundle) return pemFromBytes(Buffer.from(server.caBundle, 'base64'), 'ca bundle');
  const ca = server?.caProvider;
  if (ca === undefined) return undefined;
  const { store, context } = inputs;
  if (store.kind === 'ClusterSecretStore' && !ca.namespace)
    throw new KubernetesAuthError('missing namespace on caProvider secret');
  const ref = {
    namespace: store.kind === 'ClusterSecretStore' ? (ca.namespace ?? '') : context.namespace,
    name: ca.name,
    key: ca.key ?? 'ca.crt',
  };
  const kind = ca.type === 'Secret' ? 'secret' : 'configmap';
  try {
    const bytes =
      ca.type === 'Secret'
        ? await context.kube.readSecretKey(ref)
        : await context.kube.readConfigMapKey(ref);
    return pemFromBytes(bytes, `caProvider ${kind}`);
  } catch (e) {
    if (e instanceof StoreConfigError) throw e;
    throw readFailure(`failed to get cert from ${kind}`, e);
  }
}

/** `kubernetes.default` and other bare hosts mean HTTPS: a bearer token never goes over http. */
export function serverUrl(url: string | undefined): string {
  if (!url) throw new KubernetesAuthError('no server URL provided');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
  try {
    return new URL(withScheme).toString().replace(/\/+$/, '');
  } catch {
    throw new KubernetesAuthError(`invalid server URL "${url}"`);
  }
}

type UserCredentials = { token: string } | { certData: string; keyData: string };

interface Credentials {
  user: UserCredentials;
  serviceAccountToken?: IssuedServiceAccountToken;
}

async function tokenAuth(inputs: Inputs, ref: SecretKeySelector): Promise<UserCredentials> {
  try {
    return { token: decoder.decode(await readRef(inputs, ref)) };
  } catch (e) {
    throw readFailure('could not fetch Auth.Token.BearerToken', e);
  }
}

async function serviceAccountAuth(
  inputs: Inputs,
  sa: NonNullable<KubernetesAuth['serviceAccount']>,
): Promise<Credentials> {
  const { store, context, tokens } = inputs;
  const ref: ServiceAccountRef = {
    namespace: refNamespace(store, context.namespace, sa.namespace),
    name: sa.name,
    ...(sa.audiences ? { audiences: sa.audiences } : {}),
  };
  const mint = () =>
    context.kube.createServiceAccountToken({
      ...ref,
      expirationSeconds: SERVICE_ACCOUNT_TOKEN_SECONDS,
    });
  try {
    const token = tokens
      ? await tokens.get(ref, SERVICE_ACCOUNT_TOKEN_SECONDS, mint)
      : await mint();
    return { user: { token }, serviceAccountToken: { ref, token } };
  } catch (e) {
    throw readFailure(
      'could not fetch Auth.ServiceAccount: cannot create service account token',
      e,
    );
  }
}

async function certAuth(
  inputs: Inputs,
  cert: NonNullable<KubernetesAuth['cert']>,
): Promise<UserCredentials> {
  const read = async (ref: SecretKeySelector, what: string): Promise<string> => {
    try {
      return decoder.decode(await readRef(inputs, ref));
    } catch (e) {
      throw readFailure(`could not fetch client key and cert: unable to fetch client ${what}`, e);
    }
  };
  const certPem = await read(cert.clientCert, 'certificate');
  const keyPem = await read(cert.clientKey, 'key');
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch (e) {
    // The TLS library's reason names the problem (bad PEM, mismatched key), never the material.
    throw new KubernetesAuthError(`invalid client certificate or key: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  return {
    certData: Buffer.from(certPem).toString('base64'),
    keyData: Buffer.from(keyPem).toString('base64'),
  };
}

async function inlineCredentials(inputs: Inputs, auth: KubernetesAuth): Promise<Credentials> {
  const set = [auth.token, auth.serviceAccount, auth.cert].filter((m) => m !== undefined).length;
  if (set > 1) {
    throw new KubernetesAuthError(
      'multiple auth methods provided: set exactly one of Token, ServiceAccount, or Cert',
    );
  }
  if (auth.token) return { user: await tokenAuth(inputs, auth.token.bearerToken) };
  if (auth.serviceAccount) return serviceAccountAuth(inputs, auth.serviceAccount);
  if (auth.cert) return { user: await certAuth(inputs, auth.cert) };
  throw new KubernetesAuthError('no auth provider given');
}

async function fromAuthRef(inputs: Inputs, ref: SecretKeySelector): Promise<KubeConfig> {
  const namespace = refNamespace(inputs.store, inputs.context.namespace, ref.namespace);
  const where = `Secret ${namespace}/${ref.name ?? ''} key ${ref.key ?? ''}`;
  let text: string;
  try {
    text = decoder.decode(await readRef(inputs, ref));
  } catch (e) {
    throw readFailure('could not fetch authRef', e);
  }
  return kubeConfigFromText(text, where);
}

/** The KubeConfig to reach the store's API server as the configured identity. */
export async function remoteConnection(inputs: Inputs): Promise<RemoteConnection> {
  const { spec } = inputs;
  if (spec.authRef !== undefined) {
    if (spec.auth !== undefined)
      throw new KubernetesAuthError('authRef and inline auth cannot both be set');
    return { kubeConfig: await fromAuthRef(inputs, spec.authRef) };
  }
  if (spec.auth === undefined) throw new KubernetesAuthError('no auth provider given');
  const server = serverUrl(spec.server?.url);
  const ca = await caPem(inputs);
  const { user, serviceAccountToken } = await inlineCredentials(inputs, spec.auth);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'remote',
        server,
        skipTLSVerify: false,
        ...(ca !== undefined ? { caData: Buffer.from(ca).toString('base64') } : {}),
      },
    ],
    users: [{ name: 'store', ...user }],
    contexts: [{ name: 'remote', cluster: 'remote', user: 'store' }],
    currentContext: 'remote',
  });
  return serviceAccountToken ? { kubeConfig: kc, serviceAccountToken } : { kubeConfig: kc };
}
