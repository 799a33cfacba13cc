/**
 * Which namespaces a ClusterExternalSecret provisions into (reference/eso.md §1.4): the deprecated
 * `namespaceSelector`, every entry of `namespaceSelectors` and the deprecated `namespaces` list,
 * all ORed. Read from the namespace cache, which keeps only metadata.
 */
import type { ClusterExternalSecretSpec, LabelSelector } from '../../api/types.ts';
import { IssueList } from '../../api/issues.ts';
import { checkLabelSelector } from '../../api/rules/common.ts';
import type { KubeObject } from '../../kube/types.ts';
import { selectorMatches } from '../conditions.ts';

/** A cached Namespace: metadata only (name, labels, finalizers, deletionTimestamp). */
export type NamespaceMeta = KubeObject;

/** A selector ESO's `LabelSelectorAsSelector` would reject; the whole CES fails (namespace `unknown`). */
export class InvalidNamespaceSelectorError extends Error {}

/** Every selector of the spec, the deprecated single one first (ESO's order). */
export function namespaceSelectorsOf(spec: ClusterExternalSecretSpec): LabelSelector[] {
  const selectors = spec.namespaceSelector ? [spec.namespaceSelector] : [];
  // A null list entry (possible in JSON) selects nothing in ESO; dropping it has the same effect.
  const listed = (spec.namespaceSelectors ?? []) as (LabelSelector | null)[];
  return [...selectors, ...listed.filter((s): s is LabelSelector => s !== null)];
}

function checkSelectors(selectors: LabelSelector[]): void {
  selectors.forEach((selector, i) => {
    const issues = new IssueList();
    checkLabelSelector(selector, ['namespaceSelectors', i], issues);
    const first = issues.items[0];
    if (first)
      throw new InvalidNamespaceSelectorError(
        `failed to convert label selector: ${first.path}: ${first.message}`,
      );
  });
}

/** Whether the spec selects a namespace with this name and these labels. */
export function selects(spec: ClusterExternalSecretSpec, namespace: NamespaceMeta): boolean {
  const name = namespace.metadata.name ?? '';
  if (spec.namespaces?.includes(name)) return true;
  const labels = namespace.metadata.labels ?? {};
  return namespaceSelectorsOf(spec).some((s) => selectorMatches(s, labels));
}

/**
 * The selected namespaces, sorted by name. Throws InvalidNamespaceSelectorError for a selector
 * that cannot be evaluated.
 */
export function targetNamespaces(
  spec: ClusterExternalSecretSpec,
  namespaces: readonly NamespaceMeta[],
): NamespaceMeta[] {
  checkSelectors(namespaceSelectorsOf(spec));
  return namespaces
    .filter((ns) => selects(spec, ns))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
}

/** The cache form of a Namespace: what the controller reads, and nothing else (memory). */
export function namespaceMetadataOnly(ns: NamespaceMeta): NamespaceMeta {
  const m = ns.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: m.name,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      ...(m.labels ? { labels: m.labels } : {}),
      ...(m.finalizers ? { finalizers: m.finalizers } : {}),
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
  };
}
