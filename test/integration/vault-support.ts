/** Shared helpers of the Vault integration tests (real OpenBao from test/env). */
import { randomBytes } from 'node:crypto';
import type { AnySecretStore, VaultProvider } from '../../src/api/types.ts';
import type { ProviderContext, ProviderKubeAccess } from '../../src/providers/provider.ts';
import { loadTestEnv, type TestEnv } from '../env/testenv.ts';

export const env: TestEnv = loadTestEnv();

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Root-token call to OpenBao for test setup; throws on non-2xx. */
export async function bao(
  method: string,
  path: string,
  body?: unknown,
  token = env.vaultToken,
): Promise<unknown> {
  const res = await fetch(`${env.vaultAddr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`setup ${method} ${path}: ${String(res.status)} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

export async function enableKv(mount: string, version: 1 | 2): Promise<void> {
  await bao('POST', `sys/mounts/${mount}`, { type: 'kv', options: { version: String(version) } });
}

/** Secrets as a map of "namespace/name" → {key: value}. */
export function memoryKube(
  secrets: Record<string, Record<string, string>> = {},
): ProviderKubeAccess & {
  secrets: typeof secrets;
  tokenRequests: number;
} {
  const kube = {
    secrets,
    tokenRequests: 0,
    readSecretKey({ namespace, name, key }: { namespace: string; name: string; key: string }) {
      const v = secrets[`${namespace}/${name}`]?.[key];
      if (v === undefined)
        return Promise.reject(new Error(`Secret ${namespace}/${name} has no key ${key}`));
      return Promise.resolve(new TextEncoder().encode(v));
    },
    readConfigMapKey({ namespace, name, key }: { namespace: string; name: string; key: string }) {
      return kube.readSecretKey({ namespace, name, key });
    },
    createServiceAccountToken(): Promise<string> {
      kube.tokenRequests++;
      return Promise.reject(new Error('no TokenRequest in memory kube'));
    },
  };
  return kube;
}

export function context(
  kube: ProviderKubeAccess,
  extra: Partial<ProviderContext> = {},
): ProviderContext {
  const quiet = () => undefined;
  return {
    namespace: 'apps',
    kube,
    clock: { now: () => Date.now() },
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    fetch: globalThis.fetch,
    ...extra,
  };
}

export function vaultStore(
  vault: VaultProvider,
  name = unique('store'),
  retry?: AnySecretStore['spec']['retrySettings'],
): AnySecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name, namespace: 'apps' },
    spec: { provider: { vault }, ...(retry ? { retrySettings: retry } : {}) },
  };
}

export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
