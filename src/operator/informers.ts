/**
 * What the operator hands to each controller's wiring: a factory for informers that follow the
 * operator's rules (its client, `--namespace` for namespaced kinds, restart metrics, managedFields
 * dropped unless a transform says otherwise), and the shared Namespace cache.
 */
import type { Informer } from '../kube/informer.ts';
import type { KubeClient } from '../kube/client.ts';
import type { KubeObject, ResourceType } from '../kube/types.ts';

export interface InformerExtras<T extends KubeObject> {
  labelSelector?: string;
  /** What the cache keeps of each object (default: everything but managedFields). */
  transform?: (obj: T) => T;
}

export type InformerFactory = <T extends KubeObject>(
  type: ResourceType,
  extra?: InformerExtras<T>,
) => Informer<T>;

/** The part of the operator every controller wiring receives. */
export interface SharedWiring {
  /** The operator's (request-counting, throttled) client. */
  client: KubeClient;
  informer: InformerFactory;
  /** The metadata-only Namespace informer, created on first call and shared. */
  namespaces: () => Informer<KubeObject>;
}
