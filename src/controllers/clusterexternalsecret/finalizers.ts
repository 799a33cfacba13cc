/**
 * The two finalizers of ESO's ClusterExternalSecret controller (reference/eso.md §1.4): one on the
 * CES so its ExternalSecrets are removed before it goes, and one per CES on every Namespace it
 * provisions, so a namespace is not deleted while the controller still manages something in it.
 * Written through src/kube/finalizers.ts (fresh read, merge patch with a resourceVersion
 * precondition).
 */
import type { KubeClient } from '../../kube/client.ts';
import { isNotFound } from '../../kube/errors.ts';
import { hasFinalizer, setFinalizer } from '../../kube/finalizers.ts';
import { Resources, type KubeObject } from '../../kube/types.ts';

export { hasFinalizer };

export const CES_FINALIZER = 'externalsecrets.external-secrets.io/clusterexternalsecret-cleanup';

/** The finalizer a CES puts on each namespace it provisions. */
export function namespaceFinalizer(cesName: string): string {
  return `externalsecrets.external-secrets.io/ces-${cesName}`;
}

/** Adds or removes the CES's finalizer on a namespace; a namespace already gone needs nothing. */
export async function setNamespaceFinalizer(
  client: KubeClient,
  cached: KubeObject,
  finalizer: string,
  wanted: boolean,
): Promise<void> {
  try {
    await setFinalizer(client, Resources.Namespace, cached, { finalizer, wanted });
  } catch (error) {
    if (!wanted && isNotFound(error)) return;
    throw error;
  }
}
