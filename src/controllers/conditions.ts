/**
 * `spec.conditions` of a ClusterSecretStore: which namespaces may use it (ESO: any one condition
 * matching is enough; within a condition every given field must match).
 */
import type { ClusterSecretStoreCondition, LabelSelector } from '../api/types.ts';

type Requirement = NonNullable<LabelSelector['matchExpressions']>[number];

const OPERATORS: Record<string, (r: Requirement, labels: Record<string, string>) => boolean> = {
  In: (r, l) => inValues(r, l),
  NotIn: (r, l) => !inValues(r, l),
  Exists: (r, l) => Object.hasOwn(l, r.key),
  DoesNotExist: (r, l) => !Object.hasOwn(l, r.key),
};

function inValues(r: Requirement, labels: Record<string, string>): boolean {
  const value = labels[r.key];
  return value !== undefined && (r.values ?? []).includes(value);
}

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (labels[k] !== v) return false;
  return (selector.matchExpressions ?? []).every(
    (r) => OPERATORS[r.operator]?.(r, labels) ?? false,
  );
}

function conditionMatches(
  c: ClusterSecretStoreCondition,
  namespace: string,
  labels: Record<string, string>,
): boolean {
  if (c.namespaces && !c.namespaces.includes(namespace)) return false;
  if (c.namespaceRegexes && !c.namespaceRegexes.some((r) => new RegExp(r).test(namespace)))
    return false;
  if (c.namespaceSelector && !selectorMatches(c.namespaceSelector, labels)) return false;
  return true;
}

/** Whether `namespace` (with its labels) may use a store with these conditions. */
export function namespaceAllowed(
  conditions: readonly ClusterSecretStoreCondition[] | undefined,
  namespace: string,
  labels: Record<string, string>,
): boolean {
  if (!conditions || conditions.length === 0) return true;
  return conditions.some((c) => conditionMatches(c, namespace, labels));
}

/** Whether checking the conditions needs the namespace's labels. */
export function needsNamespaceLabels(
  conditions: readonly ClusterSecretStoreCondition[] | undefined,
): boolean {
  return (conditions ?? []).some((c) => c.namespaceSelector !== undefined);
}
