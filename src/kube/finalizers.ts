/**
 * Adding and removing one finalizer on an object the caller read from an informer cache. The write
 * is a JSON merge patch of `metadata.finalizers` that carries the resourceVersion it was computed
 * from: a merge patch replaces the whole list, so without that precondition a concurrent change to
 * someone else's finalizer would be overwritten. The cache can lag our own earlier write, so
 * when it says a write is needed the object is read afresh first, and only a real change is written.
 */
import type { KubeClient } from './client.ts';
import { refOf, type KubeObject, type ResourceType } from './types.ts';

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

/**
 * Makes `finalizer` present (`wanted`) or absent on the object `cached` names. Returns true when
 * it wrote. An object that is already gone needs nothing. A concurrent change still surfaces as
 * 409 Conflict, for the caller's retry.
 */
export async function setFinalizer(
  client: KubeClient,
  type: ResourceType,
  cached: KubeObject,
  change: { finalizer: string; wanted: boolean },
): Promise<boolean> {
  const { finalizer, wanted } = change;
  if (hasFinalizer(cached, finalizer) === wanted) return false;
  const fresh = await client.get(type, refOf(cached));
  if (!fresh || (cached.metadata.uid && fresh.metadata.uid !== cached.metadata.uid)) return false;
  if (hasFinalizer(fresh, finalizer) === wanted) return false;
  const current = fresh.metadata.finalizers ?? [];
  const finalizers = wanted ? [...current, finalizer] : current.filter((f) => f !== finalizer);
  await client.mergePatch(type, refOf(fresh), {
    metadata: { finalizers, resourceVersion: fresh.metadata.resourceVersion },
  });
  return true;
}
