/**
 * The target Secret as the sync core sees it: bytes for data, plain records for metadata.
 * `fromKubeSecret`/`toKubeSecret` convert the API's base64 wire form.
 */
import type { ObjectMeta } from '../api/types.ts';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
}

export type SecretMeta = ObjectMeta & { managedFields?: ManagedFieldsEntry[] };

export interface TargetSecret {
  metadata: SecretMeta;
  type?: string;
  immutable?: boolean;
  data: Map<string, Uint8Array>;
}

/** A Secret in the Kubernetes API's JSON shape. */
export interface KubeSecret {
  apiVersion?: string;
  kind?: string;
  metadata?: SecretMeta;
  type?: string;
  immutable?: boolean;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export function fromKubeSecret(secret: KubeSecret): TargetSecret {
  const data = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(secret.data ?? {}))
    data.set(k, new Uint8Array(Buffer.from(v, 'base64')));
  for (const [k, v] of Object.entries(secret.stringData ?? {}))
    data.set(k, new TextEncoder().encode(v));
  return {
    metadata: structuredClone(secret.metadata ?? {}),
    ...(secret.type !== undefined ? { type: secret.type } : {}),
    ...(secret.immutable !== undefined ? { immutable: secret.immutable } : {}),
    data,
  };
}

export function toKubeSecret(
  secret: TargetSecret,
): KubeSecret & { apiVersion: 'v1'; kind: 'Secret' } {
  const data: Record<string, string> = {};
  for (const [k, v] of secret.data) data[k] = Buffer.from(v).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: structuredClone(secret.metadata),
    ...(secret.type !== undefined ? { type: secret.type } : {}),
    ...(secret.immutable !== undefined ? { immutable: secret.immutable } : {}),
    data,
  };
}

export function cloneSecret(secret: TargetSecret): TargetSecret {
  return {
    ...secret,
    metadata: structuredClone(secret.metadata),
    data: new Map([...secret.data].map(([k, v]) => [k, v.slice()])),
  };
}
