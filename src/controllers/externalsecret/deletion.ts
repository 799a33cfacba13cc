/**
 * ExternalSecret deletion (reference/eso.md §2.1 step 1, §9.15). A live ExternalSecret carries
 * ESO's cleanup finalizer; once it is being deleted, the target Secret is deleted only when
 * `deletionPolicy=Delete` and the Secret's controller reference is this ExternalSecret, then the
 * finalizer is released. Everything else is left alone: an Owner target of another
 * deletionPolicy goes through kube-controller-manager's garbage collector (ownerReference),
 * Orphan, Merge and CreateOrMerge targets stay. ESO strips no keys on deletion.
 */
import type { KubeClient } from '../../kube/client.ts';
import { setFinalizer } from '../../kube/finalizers.ts';
import { Resources, type KubeObject, type ObjectRef } from '../../kube/types.ts';
import type { ExternalSecret } from '../../api/types.ts';
import { targetName } from '../../sync/index.ts';
import { EsoResources } from '../kinds.ts';

export const EXTERNAL_SECRET_FINALIZER =
  'externalsecrets.external-secrets.io/externalsecret-cleanup';

type ExternalSecretObject = ExternalSecret & KubeObject;

/** Adds the cleanup finalizer unless it is there; true when it wrote. */
export function ensureCleanupFinalizer(
  client: KubeClient,
  es: ExternalSecretObject,
): Promise<boolean> {
  return setFinalizer(client, EsoResources.ExternalSecret, es, {
    finalizer: EXTERNAL_SECRET_FINALIZER,
    wanted: true,
  });
}

/** Removes the cleanup finalizer, leaving any others; true when it wrote. */
export function releaseCleanupFinalizer(
  client: KubeClient,
  es: ExternalSecretObject,
): Promise<boolean> {
  return setFinalizer(client, EsoResources.ExternalSecret, es, {
    finalizer: EXTERNAL_SECRET_FINALIZER,
    wanted: false,
  });
}

/** `metav1.IsControlledBy`: the controller ownerReference has the owner's UID. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata.uid;
  const controller = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  return uid !== undefined && uid !== '' && controller?.uid === uid;
}

/**
 * With `deletionPolicy=Delete`, deletes the target Secret if this ExternalSecret controls it.
 * Returns the deleted Secret's address, or undefined when nothing was deleted. The UID
 * precondition keeps a Secret recreated meanwhile by someone else.
 */
export async function deleteControlledTarget(
  client: KubeClient,
  es: ExternalSecretObject,
): Promise<ObjectRef | undefined> {
  if ((es.spec.target?.deletionPolicy ?? 'Retain') !== 'Delete') return undefined;
  const ref = { namespace: es.metadata.namespace ?? 'default', name: targetName(es) };
  const secret = await client.get(Resources.Secret, ref);
  if (!secret || !isControlledBy(secret, es)) return undefined;
  const uid = secret.metadata.uid;
  const deleted = await client.delete(
    Resources.Secret,
    ref,
    uid ? { preconditions: { uid } } : undefined,
  );
  return deleted ? ref : undefined;
}
