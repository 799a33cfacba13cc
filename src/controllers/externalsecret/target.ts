/**
 * The Kubernetes Secret target: reads the current Secret (informer cache first, then the API) and
 * carries out a SyncResult's action with ESO's field manager.
 */
import type { KubeClient } from '../../kube/client.ts';
import { isConflict } from '../../kube/errors.ts';
import { Resources, type KubeObject, type ObjectRef } from '../../kube/types.ts';
import {
  fieldManagerFor,
  fromKubeSecret,
  toKubeSecret,
  type KubeSecret,
  type SyncResult,
  type TargetSecret,
  type WriteFailure,
} from '../../sync/index.ts';
import { LABEL_CREATED_BY } from '../../sync/index.ts';

export type SecretObject = KubeSecret & KubeObject;

export interface SecretCache {
  getByRef(ref: ObjectRef): SecretObject | undefined;
}

/** The target as it is now, or undefined. The cache holds only managed Secrets. */
export async function readTarget(
  client: KubeClient,
  cache: SecretCache,
  ref: ObjectRef,
): Promise<TargetSecret | undefined> {
  const cached = cache.getByRef(ref) ?? (await client.get<SecretObject>(Resources.Secret, ref));
  return cached ? fromKubeSecret(cached) : undefined;
}

function wire(secret: TargetSecret, namespace: string): SecretObject {
  const obj = toKubeSecret(secret) as SecretObject;
  obj.metadata = { ...obj.metadata, namespace };
  delete obj.metadata.managedFields;
  return obj;
}

async function deleteOrphans(
  client: KubeClient,
  namespace: string,
  orphans: NonNullable<SyncResult['deleteOrphans']>,
): Promise<void> {
  const { items } = await client.list<SecretObject>(Resources.Secret, {
    namespace,
    labelSelector: `${LABEL_CREATED_BY}=${orphans.createdBy}`,
  });
  for (const s of items) {
    if (s.metadata.name && s.metadata.name !== orphans.keep)
      await client.delete(Resources.Secret, { namespace, name: s.metadata.name });
  }
}

/** Performs the action; a failure comes back as the WriteFailure the sync core expects. */
export async function applyAction(
  client: KubeClient,
  es: { namespace: string; name: string },
  result: SyncResult,
): Promise<WriteFailure | undefined> {
  const options = { fieldManager: fieldManagerFor(es.name) };
  let stage: WriteFailure['stage'] = 'orphans';
  try {
    if (result.deleteOrphans) await deleteOrphans(client, es.namespace, result.deleteOrphans);
    const action = result.action;
    stage = action.kind === 'delete' ? 'delete' : 'write';
    if (action.kind === 'create')
      await client.create(Resources.Secret, wire(action.secret, es.namespace), options);
    else if (action.kind === 'update')
      await client.update(Resources.Secret, wire(action.secret, es.namespace), options);
    else if (action.kind === 'delete')
      await client.delete(Resources.Secret, { namespace: es.namespace, name: action.name });
    return undefined;
  } catch (error) {
    return { stage, conflict: isConflict(error), error };
  }
}
