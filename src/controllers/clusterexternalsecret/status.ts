/**
 * ClusterExternalSecret status as ESO writes it (reference/eso.md §1.4): the ExternalSecret name,
 * failed namespaces with their reason and provisioned namespaces (both sorted, omitted when empty),
 * and one `Ready` condition without reason or transition time — True, or False with the message
 * `one or more namespaces failed`. Other condition types are kept. Patched only when it changed.
 */
import type { ClusterExternalSecret } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import { canonical } from '../../sync/equality.ts';
import { EsoResources } from '../kinds.ts';
import type { ClusterExternalSecretObject } from './externalsecret.ts';

export type CesStatus = NonNullable<ClusterExternalSecret['status']>;
type CesCondition = NonNullable<CesStatus['conditions']>[number];

/** Namespace → reason. */
export type NamespaceFailures = Map<string, string>;

export const MESSAGE_NAMESPACES_FAILED = 'one or more namespaces failed';

function readyCondition(failures: NamespaceFailures): CesCondition {
  return failures.size === 0
    ? { type: 'Ready', status: 'True' }
    : { type: 'Ready', status: 'False', message: MESSAGE_NAMESPACES_FAILED };
}

/** The status after a pass (without other condition types; see `merged`). */
export function statusOf(
  esName: string,
  provisioned: readonly string[],
  failures: NamespaceFailures,
): CesStatus {
  const failed = [...failures.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([namespace, reason]) => ({ namespace, reason }));
  return {
    externalSecretName: esName,
    ...(failed.length > 0 ? { failedNamespaces: failed } : {}),
    ...(provisioned.length > 0 ? { provisionedNamespaces: [...provisioned].sort() } : {}),
    conditions: [readyCondition(failures)],
  };
}

/** `next` with the conditions of other types from `current` kept ahead of `Ready` (ESO's order). */
function merged(current: CesStatus | undefined, next: CesStatus): CesStatus {
  const others = (current?.conditions ?? []).filter((c) => c.type !== 'Ready');
  return { ...next, conditions: [...others, ...(next.conditions ?? [])] };
}

const nonEmpty = <T>(list: T[] | undefined): T[] | undefined =>
  list && list.length > 0 ? list : undefined;

function same(a: CesStatus | undefined, b: CesStatus): boolean {
  const norm = (s: CesStatus | undefined) =>
    JSON.stringify(
      canonical({
        externalSecretName: s?.externalSecretName || undefined,
        failedNamespaces: nonEmpty(s?.failedNamespaces),
        provisionedNamespaces: nonEmpty(s?.provisionedNamespaces),
        conditions: nonEmpty(s?.conditions),
      }),
    );
  return norm(a) === norm(b);
}

/** Patches the status subresource when `next` differs from the cached status; true if written. */
export async function writeStatusIfChanged(
  client: KubeClient,
  ces: ClusterExternalSecretObject,
  next: CesStatus,
): Promise<boolean> {
  const status = merged(ces.status, next);
  if (same(ces.status, status)) return false;
  // Merge patch: absent lists must be sent as null to be removed.
  const patch = {
    status: {
      externalSecretName: status.externalSecretName ?? null,
      failedNamespaces: status.failedNamespaces ?? null,
      provisionedNamespaces: status.provisionedNamespaces ?? null,
      conditions: status.conditions ?? null,
    },
  };
  await client.mergePatch(
    EsoResources.ClusterExternalSecret,
    { name: ces.metadata.name ?? '' },
    patch,
    {
      subresource: 'status',
    },
  );
  return true;
}
