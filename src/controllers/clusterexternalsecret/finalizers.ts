/**
 * The two finalizers of ESO's ClusterExternalSecret controller (reference/eso.md §1.4): one on the
 * CES so its ExternalSecrets are removed before it goes, and one per CES on every Namespace it
 * provisions, so a namespace is not deleted while the controller still manages something in it.
 * Written as a JSON merge patch of `metadata.finalizers` carrying the resourceVersion, so a
 * concurrent change fails with 409 instead of being overwritten.
 */
import type { KubeClient } from '../../kube/client.ts';
import { isNotFound } from '../../kube/errors.ts';
import { Resources, type KubeObject, type ResourceType } from '../../kube/types.ts';

export const CES_FINALIZER = 'externalsecrets.external-secrets.io/clusterexternalsecret-cleanup';

/** The finalizer a CES puts on each namespace it provisions. */
export function namespaceFinalizer(cesName: string): string {
  return `externalsecrets.external-secrets.io/ces-${cesName}`;
}

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

async function patchFinalizers(
  client: KubeClient,
  type: ResourceType,
  obj: KubeObject,
  finalizers: string[],
): Promise<void> {
  const ref = { name: obj.metadata.name ?? '' };
  await client.mergePatch(type, ref, {
    metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion },
  });
}

/** Adds `finalizer` to a cluster-scoped object unless present; true when it wrote. */
export async function addFinalizer(
  client: KubeClient,
  type: ResourceType,
  obj: KubeObject,
  finalizer: string,
): Promise<boolean> {
  if (hasFinalizer(obj, finalizer)) return false;
  await patchFinalizers(client, type, obj, [...(obj.metadata.finalizers ?? []), finalizer]);
  return true;
}

/** Removes `finalizer` from a cluster-scoped object if present; true when it wrote. */
export async function removeFinalizer(
  client: KubeClient,
  type: ResourceType,
  obj: KubeObject,
  finalizer: string,
): Promise<boolean> {
  if (!hasFinalizer(obj, finalizer)) return false;
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  await patchFinalizers(client, type, obj, rest);
  return true;
}

/**
 * Adds or removes the CES's finalizer on a namespace. The cache may lag our own earlier write, so
 * when it says a write is needed the namespace is read afresh first; a namespace that is gone
 * needs nothing.
 */
export async function setNamespaceFinalizer(
  client: KubeClient,
  cached: KubeObject,
  finalizer: string,
  wanted: boolean,
): Promise<void> {
  if (hasFinalizer(cached, finalizer) === wanted) return;
  const fresh = await client.get(Resources.Namespace, { name: cached.metadata.name ?? '' });
  if (!fresh) return;
  try {
    if (wanted) await addFinalizer(client, Resources.Namespace, fresh, finalizer);
    else await removeFinalizer(client, Resources.Namespace, fresh, finalizer);
  } catch (error) {
    if (!wanted && isNotFound(error)) return;
    throw error;
  }
}
