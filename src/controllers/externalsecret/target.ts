/**
 * The Kubernetes Secret target: reads the current Secret (informer cache first, then the API) and
 * carries out a SyncResult's action with ESO's field manager.
 */
import type { KubeClient } from '../../kube/client.ts';
import { isConflict } from '../../kube/errors.ts';
import type { ObjectStore } from '../../kube/store.ts';
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
  /**
   * Managed Secrets of a namespace carrying `created-by=<value>`, from the informer cache. Without
   * it, orphan cleanup asks the API server (a LIST on every Owner sync).
   */
  createdBy?(namespace: string, value: string): SecretObject[];
}

const BY_CREATED_BY = 'created-by';

/**
 * The SecretCache over an informer store of managed Secrets, with the created-by index that lets
 * orphan cleanup run without asking the API server.
 */
export function managedSecretCache(store: ObjectStore<SecretObject>): SecretCache {
  store.addIndex(BY_CREATED_BY, (s) => {
    const value = s.metadata.labels?.[LABEL_CREATED_BY];
    return value ? [`${s.metadata.namespace ?? ''}/${value}`] : [];
  });
  return {
    getByRef: (ref) => store.getByRef(ref),
    createdBy: (namespace, value) => store.byIndex(BY_CREATED_BY, `${namespace}/${value}`),
  };
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

/** Called for each earlier target deleted as orphaned (ESO records an event per Secret). */
export type OrphanDeleted = (name: string) => Promise<void>;

/**
 * Owner targets left behind by an earlier `target.name` (created-by label, another name). One
 * already gone, e.g. garbage-collected meanwhile, still counts as deleted, as in ESO.
 */
async function deleteOrphans(
  client: KubeClient,
  namespace: string,
  orphans: NonNullable<SyncResult['deleteOrphans']>,
  onDeleted: OrphanDeleted,
  cache?: SecretCache,
): Promise<void> {
  // Owner targets always carry the managed label, so the cache of managed Secrets sees every
  // orphan; a steady-state refresh then costs no request at all.
  const items = cache?.createdBy
    ? cache.createdBy(namespace, orphans.createdBy)
    : (
        await client.list<SecretObject>(Resources.Secret, {
          namespace,
          labelSelector: `${LABEL_CREATED_BY}=${orphans.createdBy}`,
        })
      ).items;
  for (const s of items) {
    const name = s.metadata.name;
    if (!name || name === orphans.keep) continue;
    await client.delete(Resources.Secret, { namespace, name });
    await onDeleted(name);
  }
}

/** Performs the action; a failure comes back as the WriteFailure the sync core expects. */
export async function applyAction(
  client: KubeClient,
  es: { namespace: string; name: string },
  result: SyncResult,
  onOrphanDeleted: OrphanDeleted = () => Promise.resolve(),
  cache?: SecretCache,
): Promise<WriteFailure | undefined> {
  const options = { fieldManager: fieldManagerFor(es.name) };
  let stage: WriteFailure['stage'] = 'orphans';
  try {
    if (result.deleteOrphans)
      await deleteOrphans(client, es.namespace, result.deleteOrphans, onOrphanDeleted, cache);
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

const ESO_FIELD_MANAGER_PREFIX = 'externalsecrets.external-secrets.io/';

/**
 * Trims a cached Secret's managedFields to the entries of ESO's per-ExternalSecret field
 * managers: they say which keys, labels and annotations an ExternalSecret wrote before, which
 * Merge and CreateOrMerge must strip (§9.12) while keeping everyone else's. The rest is dropped
 * to keep the cache small.
 */
export function keepExternalSecretManagedFields<T extends KubeObject>(obj: T): T {
  const entries = obj.metadata.managedFields?.filter((e) => {
    const manager = typeof e === 'object' && e !== null ? (e as { manager?: unknown }).manager : '';
    return typeof manager === 'string' && manager.startsWith(ESO_FIELD_MANAGER_PREFIX);
  });
  if (entries?.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
  return obj;
}
