/**
 * The login request of each Vault auth method, chosen in ESO's order (eso.md §4.1, `auth.go
 * setAuth`): token, appRole, kubernetes, ldap, userPass, jwt, cert, iam, gcp. Mount paths default
 * as ESO's. Building the request reads credentials; sending it is `login.ts`'s job.
 */
import { readFile } from 'node:fs/promises';
import type {
  AnySecretStore,
  ServiceAccountSelector,
  VaultAuth,
  VaultProvider,
} from '../../../api/types.ts';
import { type ProviderContext, ProviderError, StoreConfigError } from '../../provider.ts';
import { readSecretRef, refNamespace } from '../store.ts';

export const DEFAULT_SA_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface AuthInput {
  store: AnySecretStore;
  spec: VaultProvider;
  context: ProviderContext;
  /** Mounted service-account token for kubernetes auth without refs (ESO reads the pod's). */
  serviceAccountTokenPath?: string;
}

/** How a method authenticates: a static token, or a login request to send. */
export type AuthPlan =
  | { kind: 'static'; method: 'token'; token: string }
  | { kind: 'login'; method: string; path: string; body?: Record<string, unknown> };

export type AuthMethodName =
  | 'tokenSecretRef'
  | 'appRole'
  | 'kubernetes'
  | 'ldap'
  | 'userPass'
  | 'jwt'
  | 'cert'
  | 'iam'
  | 'gcp';

const ORDER: AuthMethodName[] = [
  'tokenSecretRef',
  'appRole',
  'kubernetes',
  'ldap',
  'userPass',
  'jwt',
  'cert',
  'iam',
  'gcp',
];

/** The first configured method, ESO's order; undefined when none is set. */
export function selectAuthMethod(auth: VaultAuth | undefined): AuthMethodName | undefined {
  if (auth === undefined) return undefined;
  return ORDER.find((m) => auth[m] !== undefined);
}

async function serviceAccountToken(
  input: AuthInput,
  ref: ServiceAccountSelector,
  extra: { audiences?: string[]; expirationSeconds: number },
): Promise<string> {
  const audiences = [...(ref.audiences ?? []), ...(extra.audiences ?? [])];
  const namespace =
    input.store.kind === 'ClusterSecretStore' && ref.namespace
      ? ref.namespace
      : refNamespace(input.store, input.context);
  try {
    return await input.context.kube.createServiceAccountToken({
      namespace,
      name: ref.name,
      ...(audiences.length > 0 ? { audiences } : {}),
      expirationSeconds: extra.expirationSeconds,
    });
  } catch (e) {
    throw new ProviderError(
      `cannot request Kubernetes service account token for service account "${ref.name}": ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
}

/** The method's block; planAuth only calls a builder whose block is set. */
function need<T>(block: T | undefined, name: string): T {
  if (block === undefined) throw new StoreConfigError(`vault: auth.${name} is not set`);
  return block;
}

type Builder = (input: AuthInput, auth: VaultAuth) => Promise<AuthPlan>;

const tokenSecretRef: Builder = async (input, auth) => {
  const token = (
    await readSecretRef(input.store, input.context, need(auth.tokenSecretRef, 'tokenSecretRef'))
  ).trim();
  if (token === '')
    throw new StoreConfigError('cannot parse Vault authentication token: token is empty');
  return { kind: 'static', method: 'token', token };
};

const appRole: Builder = async (input, auth) => {
  const a = need(auth.appRole, 'appRole');
  let roleId = a.roleId?.trim() ?? '';
  if (roleId === '' && a.roleRef)
    roleId = (await readSecretRef(input.store, input.context, a.roleRef)).trim();
  if (roleId === '') {
    throw new StoreConfigError('invalid Auth.AppRole: neither `roleId` nor `roleRef` was supplied');
  }
  const secretId = await readSecretRef(input.store, input.context, a.secretRef);
  return {
    kind: 'login',
    method: 'appRole',
    path: `auth/${a.path || 'approle'}/login`,
    body: { role_id: roleId, secret_id: secretId },
  };
};

const kubernetes: Builder = async (input, auth) => {
  const k = need(auth.kubernetes, 'kubernetes');
  let jwt: string;
  if (k.serviceAccountRef) {
    jwt = await serviceAccountToken(input, k.serviceAccountRef, { expirationSeconds: 600 });
  } else if (k.secretRef) {
    jwt = await readSecretRef(input.store, input.context, k.secretRef, 'token');
  } else {
    const path = input.serviceAccountTokenPath ?? DEFAULT_SA_TOKEN_PATH;
    try {
      jwt = (await readFile(path, 'utf8')).trim();
    } catch (e) {
      throw new ProviderError(
        `cannot read Kubernetes service account token from file system: ${(e as NodeJS.ErrnoException).code ?? 'error'} ${path}`,
        {},
        { cause: e },
      );
    }
  }
  return {
    kind: 'login',
    method: 'kubernetes',
    path: `auth/${k.mountPath || 'kubernetes'}/login`,
    body: { role: k.role, jwt },
  };
};

function passwordLogin(method: 'ldap' | 'userPass', defaultMount: string): Builder {
  return async (input, auth) => {
    const a = need(auth[method], method);
    if (!a.secretRef)
      throw new StoreConfigError(
        `invalid Auth.${method === 'ldap' ? 'Ldap' : 'UserPass'}.SecretRef: missing`,
      );
    const password = await readSecretRef(input.store, input.context, a.secretRef);
    const path = `auth/${a.path || defaultMount}/login/${encodeURIComponent(a.username)}`;
    return { kind: 'login', method, path, body: { password } };
  };
}

const jwt: Builder = async (input, auth) => {
  const j = need(auth.jwt, 'jwt');
  let token: string;
  if (j.secretRef) {
    token = await readSecretRef(input.store, input.context, j.secretRef);
  } else if (j.kubernetesServiceAccountToken) {
    const k = j.kubernetesServiceAccountToken;
    token = await serviceAccountToken(input, k.serviceAccountRef, {
      audiences: k.audiences ?? ['vault'],
      expirationSeconds: k.expirationSeconds ?? 600,
    });
  } else {
    throw new StoreConfigError(
      'neither `secretRef` nor `kubernetesServiceAccountToken` was supplied as token source for jwt authentication',
    );
  }
  return {
    kind: 'login',
    method: 'jwt',
    path: `auth/${j.path || 'jwt'}/login`,
    body: { role: j.role ?? '', jwt: token },
  };
};

const cert: Builder = (_input, auth) => {
  const c = need(auth.cert, 'cert');
  // The client certificate itself travels in the TLS handshake (store.ts tlsDispatcher).
  const body = c.vaultRole ? { name: c.vaultRole } : undefined;
  return Promise.resolve({
    kind: 'login',
    method: 'cert',
    path: `auth/${c.path || 'cert'}/login`,
    ...(body ? { body } : {}),
  });
};

function unsupported(name: string): Builder {
  return () =>
    Promise.reject(
      new StoreConfigError(
        `vault: auth method ${name} is not supported yet by Ferry; use another auth method`,
      ),
    );
}

const BUILDERS: Record<AuthMethodName, Builder> = {
  tokenSecretRef,
  appRole,
  kubernetes,
  ldap: passwordLogin('ldap', 'ldap'),
  userPass: passwordLogin('userPass', 'userpass'),
  jwt,
  cert,
  iam: unsupported('iam'),
  gcp: unsupported('gcp'),
};

/** Reads the credentials of the store's auth method and returns how to authenticate. */
export async function planAuth(input: AuthInput): Promise<AuthPlan> {
  const auth = input.spec.auth;
  const method = selectAuthMethod(auth);
  if (auth === undefined || method === undefined) {
    throw new StoreConfigError('cannot initialize Vault client: no valid auth method specified');
  }
  return BUILDERS[method](input, auth);
}
