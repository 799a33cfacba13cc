/**
 * Shared setup of the kubernetes-provider integration tests against the real test API server:
 * a "remote" namespace holding the Secrets the provider reads, an "apps" namespace where stores
 * and their credentials live, a ServiceAccount bound by a Role to verbs on the remote Secrets,
 * and a store that authenticates with that ServiceAccount's token (TokenRequest).
 */
import { readFileSync } from 'node:fs';
import type { AnySecretStore, KubernetesProvider } from '../../src/api/types.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources, type KubeObject, type ResourceType } from '../../src/kube/types.ts';
import { createKubeAccess } from '../../src/providers/kube-access.ts';
import type { ProviderContext } from '../../src/providers/provider.ts';
import { loadTestEnv } from '../env/testenv.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  testKubeConfig,
  uniqueName,
} from '../support/kube.ts';

export const env = loadTestEnv();
export const admin: KubeClient = testKubeClient();
/** The API server's CA as a store's `server.caBundle` (base64 of the PEM). */
export const caBundle = readFileSync(env.kubeCaFile).toString('base64');

export const Rbac = {
  Role: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    plural: 'roles',
    namespaced: true,
  },
  RoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
} as const satisfies Record<string, ResourceType>;

export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

export interface SecretSeed {
  data?: Record<string, string | Uint8Array>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  type?: string;
}

/** Creates (or replaces the data of) a Secret as the admin. */
export async function putSecret(namespace: string, name: string, seed: SecretSeed): Promise<void> {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(seed.data ?? {}))
    data[k] = Buffer.from(typeof v === 'string' ? v : v).toString('base64');
  const metadata = {
    name,
    namespace,
    ...(seed.labels ? { labels: seed.labels } : {}),
    ...(seed.annotations ? { annotations: seed.annotations } : {}),
  };
  await admin.create(Resources.Secret, {
    metadata,
    data,
    ...(seed.type ? { type: seed.type } : {}),
  });
}

export interface SecretWire extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

export async function getSecret(namespace: string, name: string): Promise<SecretWire | undefined> {
  return admin.get<SecretWire>(Resources.Secret, { namespace, name });
}

export function decoded(secret: SecretWire | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret?.data ?? {}))
    out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** Grants `subject` the given verbs on Secrets of `namespace`. */
export async function grantSecrets(
  namespace: string,
  subject: { kind: 'ServiceAccount' | 'User'; name: string; namespace?: string },
  verbs: string[],
): Promise<void> {
  const name = uniqueName('ferry-secrets');
  await admin.create(Rbac.Role, {
    metadata: { name, namespace },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs }],
  } as KubeObject);
  await admin.create(Rbac.RoleBinding, {
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [
      subject.kind === 'User'
        ? { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: subject.name }
        : { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace },
    ],
  } as KubeObject);
}

export interface RemoteFixture {
  /** Namespace of the Secrets the provider reads and writes. */
  remote: string;
  /** Namespace of the stores and their credential Secrets. */
  apps: string;
  /** ServiceAccount (in `apps`) the remote Role is bound to. */
  serviceAccount: string;
  /** Secret in `apps` with key `token`: a TokenRequest token of `serviceAccount`. */
  tokenSecret: string;
  context: ProviderContext;
  cleanup(): Promise<void>;
}

const quiet = (): undefined => undefined;

/** The operator's side of the provider: the admin's kube access, quiet logger. */
export function operatorContext(namespace: string): ProviderContext {
  return {
    namespace,
    kube: createKubeAccess(testKubeConfig()),
    clock: { now: () => Date.now() },
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    fetch: globalThis.fetch,
  };
}

/** Namespaces, a ServiceAccount with `verbs` on the remote Secrets, and its token in a Secret. */
export async function remoteFixture(verbs: string[]): Promise<RemoteFixture> {
  const remote = await createNamespace(admin, 'k8sp-remote');
  const apps = await createNamespace(admin, 'k8sp-apps');
  const serviceAccount = 'secret-reader';
  await admin.create(Resources.ServiceAccount, {
    metadata: { name: serviceAccount, namespace: apps },
  });
  if (verbs.length > 0)
    await grantSecrets(
      remote,
      { kind: 'ServiceAccount', name: serviceAccount, namespace: apps },
      verbs,
    );
  const issued = await admin.createToken({
    namespace: apps,
    serviceAccount,
    expirationSeconds: 3600,
  });
  const tokenSecret = 'remote-token';
  await putSecret(apps, tokenSecret, { data: { token: issued.token } });
  return {
    remote,
    apps,
    serviceAccount,
    tokenSecret,
    context: operatorContext(apps),
    async cleanup() {
      await deleteNamespace(admin, remote);
      await deleteNamespace(admin, apps);
    },
  };
}

/** A SecretStore in `apps` reading `remote` with the fixture's token. */
export function tokenStore(
  fx: RemoteFixture,
  extra: Partial<KubernetesProvider> = {},
): AnySecretStore {
  return kubernetesStore(fx.apps, {
    server: { url: env.kubeServer, caBundle },
    auth: { token: { bearerToken: { name: fx.tokenSecret, key: 'token' } } },
    remoteNamespace: fx.remote,
    ...extra,
  });
}

export function kubernetesStore(
  namespace: string,
  kubernetes: KubernetesProvider,
  name = uniqueName('k8s-store'),
): AnySecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name, namespace },
    spec: { provider: { kubernetes } },
  };
}

/** Waits until RBAC lets the store's identity read (the authorizer's cache lags a write). */
export async function untilReadable(probe: () => Promise<unknown>): Promise<void> {
  await eventually('RBAC grant visible', async () => {
    await probe();
    return true;
  });
}
