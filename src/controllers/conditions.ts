/**
 * `spec.conditions` of a ClusterSecretStore: which namespaces may use it (ESO: any one condition
 * matching is enough; within a condition every given field must match).
 */
import type { ClusterSecretStoreCondition, LabelSelector } from '../api/types.ts';

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const inValues = value !== undefined && (e.values ?? []).includes(value);
    const ok =
      e.operator === 'In'
        ? inValues
        : e.operator === 'NotIn'
          ? !inValues
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
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
