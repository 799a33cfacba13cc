/**
 * Which ExternalSecrets a change to a managed Secret concerns. ESO maps a Secret to every
 * ExternalSecret whose target name (`target.name`, or the ExternalSecret's own name) matches, not
 * to its owner (eso.md §2.5): Merge, CreateOrMerge and Orphan targets carry no ownerReference, yet
 * an edit or a deletion of them must trigger the repair of §9.6.
 */
import type { KubeObject } from '../../kube/types.ts';
import type { ReconcileRequest } from '../../runtime/manager.ts';
import type { ExternalSecretObject } from './reconcile.ts';

/** Name of the ExternalSecret index by target Secret. */
export const BY_TARGET_SECRET = 'targetSecret';

function key(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

/** Index values of an ExternalSecret: `<namespace>/<target Secret name>`. */
export function targetSecretKeys(es: ExternalSecretObject): string[] {
  return [key(es.metadata.namespace, es.spec.target?.name || es.metadata.name)];
}

/** The ExternalSecrets targeting `secret`, plus its controlling ExternalSecret (a renamed target). */
export function requestsForSecret(
  secret: KubeObject,
  byTarget: (value: string) => readonly ExternalSecretObject[],
): ReconcileRequest[] {
  const namespace = secret.metadata.namespace ?? '';
  const names = new Set(
    byTarget(key(namespace, secret.metadata.name)).map((es) => es.metadata.name ?? ''),
  );
  const owner = secret.metadata.ownerReferences?.find(
    (r) => r.controller && r.kind === 'ExternalSecret',
  );
  if (owner) names.add(owner.name);
  return [...names].map((name) => ({ namespace, name }));
}
