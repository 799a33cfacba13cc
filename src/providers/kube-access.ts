/**
 * ProviderKubeAccess over @kubernetes/client-node for the operator: Secret and ConfigMap keys
 * and TokenRequest. Errors name namespace/name/key, never data.
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { FerryError } from '../errors.ts';
import type { ProviderKubeAccess } from './provider.ts';

export class KubeAccessError extends FerryError {}

function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function describeError(e: unknown): string {
  const status = statusOf(e);
  if (status === 404) return 'not found';
  if (status !== undefined) return `HTTP ${String(status)}`;
  return e instanceof Error ? (e.message.split('\n')[0] ?? '') : 'unknown error';
}

/** Builds the operator's ProviderKubeAccess from a KubeConfig. */
export function createKubeAccess(kc: KubeConfig): ProviderKubeAccess {
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async readSecretKey({ namespace, name, key }) {
      let data: Record<string, string> | undefined;
      try {
        data = (await core.readNamespacedSecret({ name, namespace })).data;
      } catch (e) {
        throw new KubeAccessError(`cannot get Secret ${namespace}/${name}: ${describeError(e)}`, {
          cause: e,
        });
      }
      const value = data?.[key];
      if (value === undefined)
        throw new KubeAccessError(
          `cannot find secret data for key: "${key}" in Secret ${namespace}/${name}`,
        );
      return new Uint8Array(Buffer.from(value, 'base64'));
    },
    async readConfigMapKey({ namespace, name, key }) {
      let cm;
      try {
        cm = await core.readNamespacedConfigMap({ name, namespace });
      } catch (e) {
        throw new KubeAccessError(
          `failed to get caProvider configMap ${name} -> ${key}: ${describeError(e)}`,
          { cause: e },
        );
      }
      const text = cm.data?.[key];
      if (text !== undefined) return new TextEncoder().encode(text);
      const bin = cm.binaryData?.[key];
      if (bin !== undefined) return new Uint8Array(Buffer.from(bin, 'base64'));
      throw new KubeAccessError(`failed to get caProvider configMap ${name} -> ${key}`);
    },
    async createServiceAccountToken({ namespace, name, audiences, expirationSeconds }) {
      try {
        const res = await core.createNamespacedServiceAccountToken({
          name,
          namespace,
          body: {
            spec: {
              ...(audiences ? { audiences } : { audiences: [] }),
              ...(expirationSeconds !== undefined ? { expirationSeconds } : {}),
            },
          },
        });
        const token = res.status?.token;
        if (!token) throw new Error('empty token in TokenRequest status');
        return token;
      } catch (e) {
        throw new KubeAccessError(
          `cannot create token for ServiceAccount ${namespace}/${name}: ${describeError(e)}`,
          {
            cause: e,
          },
        );
      }
    },
  };
}
