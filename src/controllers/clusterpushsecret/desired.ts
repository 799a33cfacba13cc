/**
 * The PushSecret a ClusterPushSecret stamps into one namespace (ESO `createOrUpdatePushSecret`):
 * labels and annotations replaced by `pushSecretMetadata`, the spec copied from
 * `pushSecretSpec`, the ClusterPushSecret as controller owner (so the garbage collector removes
 * the PushSecrets with it). Other metadata of an existing PushSecret (finalizers) is kept.
 */
import type { ClusterPushSecret, PushSecret } from '../../api/types.ts';
import type { KubeObject, ObjectMeta, OwnerReference } from '../../kube/types.ts';
import { EsoResources } from '../kinds.ts';
import { canonicalJson } from '../pushsecret/status.ts';

export type ClusterPushSecretObject = ClusterPushSecret & KubeObject;
export type PushSecretObject = PushSecret & KubeObject;

/** `spec.pushSecretName`, else the ClusterPushSecret's own name. */
export function pushSecretNameOf(cps: ClusterPushSecretObject): string {
  return cps.spec.pushSecretName || (cps.metadata.name ?? '');
}

/** ESO `isPushSecretOwnedBy`: the controller ownerReference is this ClusterPushSecret. */
export function isOwnedBy(ps: KubeObject, cpsName: string): boolean {
  const owner = ps.metadata.ownerReferences?.find((r) => r.controller === true);
  return (
    owner?.apiVersion === EsoResources.ClusterPushSecret.apiVersion &&
    owner.kind === EsoResources.ClusterPushSecret.kind &&
    owner.name === cpsName
  );
}

function controllerRef(cps: ClusterPushSecretObject): OwnerReference {
  return {
    apiVersion: EsoResources.ClusterPushSecret.apiVersion,
    kind: EsoResources.ClusterPushSecret.kind,
    name: cps.metadata.name ?? '',
    uid: cps.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Labels and annotations replaced wholesale by `pushSecretMetadata` (absent → none). */
function managedMetadata(cps: ClusterPushSecretObject): Pick<ObjectMeta, 'labels' | 'annotations'> {
  const meta = cps.spec.pushSecretMetadata;
  return {
    ...(meta?.labels ? { labels: meta.labels } : {}),
    ...(meta?.annotations ? { annotations: meta.annotations } : {}),
  };
}

/** The PushSecret as it should be; `existing` contributes what we do not manage. */
export function desiredPushSecret(
  cps: ClusterPushSecretObject,
  namespace: string,
  existing: PushSecretObject | undefined,
): PushSecretObject {
  const kept: ObjectMeta = { ...existing?.metadata };
  delete kept.labels;
  delete kept.annotations;
  const others = (kept.ownerReferences ?? []).filter((r) => r.controller !== true);
  return {
    apiVersion: EsoResources.PushSecret.apiVersion,
    kind: 'PushSecret',
    metadata: {
      ...kept,
      ...managedMetadata(cps),
      name: pushSecretNameOf(cps),
      namespace,
      ownerReferences: [...others, controllerRef(cps)],
    },
    spec: structuredClone(cps.spec.pushSecretSpec),
    ...(existing?.status ? { status: existing.status } : {}),
  };
}

/** Whether `existing` already says what `desired` says (no write needed). */
export function sameManagedFields(existing: PushSecretObject, desired: PushSecretObject): boolean {
  const view = (p: PushSecretObject) => ({
    labels: p.metadata.labels ?? {},
    annotations: p.metadata.annotations ?? {},
    owners: p.metadata.ownerReferences ?? [],
    spec: p.spec,
  });
  return canonicalJson(view(existing)) === canonicalJson(view(desired));
}
