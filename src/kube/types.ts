/**
 * The shapes the kube layer traffics in: plain JSON as the API server sends it (timestamps stay
 * RFC 3339 strings), not client-node's model classes.
 */

/** Which REST collection an object lives in. */
export interface ResourceType {
  /** `v1` for the core group, else `group/version`. */
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/** A namespaced or cluster-scoped object's address. */
export interface ObjectRef {
  namespace?: string;
  name: string;
}

/** Built-in types the runtime needs; controllers declare their own for the ESO CRDs. */
export const Resources = {
  Secret: { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  Namespace: { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  ServiceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
  },
  Event: { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  Lease: {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
  },
} as const satisfies Record<string, ResourceType>;

/** `namespace/name`, or `name` for cluster-scoped objects: the work-queue key. */
export function objectKey(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** Inverse of `objectKey`. */
export function parseObjectKey(key: string): ObjectRef {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The address of an object from its metadata. */
export function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { name: obj.metadata.name ?? '' };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}
