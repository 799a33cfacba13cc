/**
 * The ExternalSecret a ClusterExternalSecret stamps into one namespace, and whether an existing one
 * is ours (reference/eso.md §1.4): labels and annotations are replaced by `externalSecretMetadata`,
 * the force-sync annotation follows the CES, the spec is the CES's `externalSecretSpec`, and the
 * CES is the controller owner. Ownership is decided by the controller ownerReference's group, kind
 * and name, as ESO does (not the uid).
 */
import type { ClusterExternalSecret, ExternalSecret } from '../../api/types.ts';
import type { KubeObject, OwnerReference } from '../../kube/types.ts';
import { canonical } from '../../sync/equality.ts';
import { EsoResources } from '../kinds.ts';

export type ClusterExternalSecretObject = ClusterExternalSecret & KubeObject;
export type ExternalSecretObject = ExternalSecret & KubeObject;

export const ANNOTATION_FORCE_SYNC = 'external-secrets.io/force-sync';
const GROUP = 'external-secrets.io';

/** `spec.externalSecretName`, else the CES's own name. */
export function externalSecretNameOf(ces: ClusterExternalSecretObject): string {
  return ces.spec.externalSecretName || (ces.metadata.name ?? '');
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function isCesRef(ref: OwnerReference, cesName: string): boolean {
  return (
    groupOf(ref.apiVersion) === GROUP &&
    ref.kind === EsoResources.ClusterExternalSecret.kind &&
    ref.name === cesName
  );
}

/** Whether the ExternalSecret's controller ownerReference is the ClusterExternalSecret `cesName`. */
export function isOwnedBy(es: KubeObject, cesName: string): boolean {
  const controller = es.metadata.ownerReferences?.find((r) => r.controller === true);
  return controller !== undefined && isCesRef(controller, cesName);
}

function controllerRef(ces: ClusterExternalSecretObject): OwnerReference {
  return {
    apiVersion: EsoResources.ClusterExternalSecret.apiVersion,
    kind: EsoResources.ClusterExternalSecret.kind,
    name: ces.metadata.name ?? '',
    uid: ces.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Owner references with the CES's controller reference added or refreshed, others kept. */
function withControllerRef(
  refs: OwnerReference[] | undefined,
  ces: ClusterExternalSecretObject,
): OwnerReference[] {
  const ours = controllerRef(ces);
  const others = (refs ?? []).filter((r) => !isCesRef(r, ours.name));
  const at = (refs ?? []).findIndex((r) => isCesRef(r, ours.name));
  if (at < 0) return [...others, ours];
  const out = [...others];
  out.splice(at, 0, ours);
  return out;
}

function annotationsFor(ces: ClusterExternalSecretObject): Record<string, string> | undefined {
  const annotations = Object.fromEntries(
    Object.entries(ces.spec.externalSecretMetadata?.annotations ?? {}).filter(
      ([k]) => k !== ANNOTATION_FORCE_SYNC,
    ),
  );
  const forceSync = ces.metadata.annotations?.[ANNOTATION_FORCE_SYNC];
  if (forceSync !== undefined) annotations[ANNOTATION_FORCE_SYNC] = forceSync;
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

/**
 * The ExternalSecret as it should be in `namespace`: `existing` (ours, or absent) with the CES's
 * metadata, spec and controller reference applied; everything else on `existing` is kept.
 */
export function desiredExternalSecret(
  ces: ClusterExternalSecretObject,
  namespace: string,
  existing: ExternalSecretObject | undefined,
): ExternalSecretObject {
  const labels = ces.spec.externalSecretMetadata?.labels;
  const annotations = annotationsFor(ces);
  const base: ExternalSecretObject = existing ?? {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: externalSecretNameOf(ces), namespace },
    spec: {},
  };
  const metadata = { ...base.metadata };
  delete metadata.labels;
  delete metadata.annotations;
  return {
    ...base,
    metadata: {
      ...metadata,
      ...(labels && Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
      ...(annotations ? { annotations } : {}),
      ownerReferences: withControllerRef(base.metadata.ownerReferences, ces),
    },
    spec: structuredClone(ces.spec.externalSecretSpec),
  };
}

/** Metadata and spec as compared: empty maps equal absent ones, key order does not matter. */
function comparable(es: ExternalSecretObject): string {
  const m = es.metadata;
  const nonEmpty = (v: Record<string, string> | undefined) =>
    v && Object.keys(v).length > 0 ? v : undefined;
  return JSON.stringify(
    canonical({
      labels: nonEmpty(m.labels),
      annotations: nonEmpty(m.annotations),
      ownerReferences: m.ownerReferences ?? [],
      spec: es.spec,
    }),
  );
}

/** Whether writing `desired` over `existing` would change anything we manage. */
export function externalSecretChanged(
  existing: ExternalSecretObject,
  desired: ExternalSecretObject,
): boolean {
  return comparable(existing) !== comparable(desired);
}
