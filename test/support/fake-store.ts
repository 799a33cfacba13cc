/**
 * Builders for the objects operator-process tests keep writing: a SecretStore on ESO's `fake`
 * provider (values from `spec.provider.fake.data`) and ExternalSecrets reading it, plus reads of
 * the Ready condition and the synced Secret.
 */
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';

export type EsoObject = KubeObject & Record<string, unknown>;

export interface SecretObject extends KubeObject {
  data?: Record<string, string>;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** A namespaced SecretStore served only by operators started with `--controller-class=klass`. */
export function fakeStore(
  ref: { namespace: string; name: string; klass: string },
  data: Record<string, string>,
): EsoObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: ref.name, namespace: ref.namespace },
    spec: {
      controller: ref.klass,
      provider: { fake: { data: Object.entries(data).map(([key, value]) => ({ key, value })) } },
    },
  };
}

/** An ExternalSecret copying remote `keys` of `store` into the Secret of the same name. */
export function fakeExternalSecret(
  ref: { namespace: string; name: string; store: string },
  keys: string[],
  refreshInterval = '1h',
): EsoObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: ref.name, namespace: ref.namespace },
    spec: {
      refreshInterval,
      secretStoreRef: { name: ref.store, kind: 'SecretStore' },
      target: { name: ref.name },
      data: keys.map((key) => ({ secretKey: key, remoteRef: { key } })),
    },
  };
}

/** The Ready condition of an ExternalSecret, if it has one yet. */
export async function readyCondition(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<Condition | undefined> {
  const es = await client.get<EsoObject & { status?: { conditions?: Condition[] } }>(
    EsoResources.ExternalSecret,
    { namespace, name },
  );
  return es?.status?.conditions?.find((c) => c.type === 'Ready');
}

export async function getSecret(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<SecretObject | undefined> {
  return client.get<SecretObject>(Resources.Secret, { namespace, name });
}

/** The Secret's data decoded to text; {} when it does not exist. */
export async function secretText(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<Record<string, string>> {
  const data = (await getSecret(client, namespace, name))?.data ?? {};
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );
}
