/**
 * `spec.conditions` of a ClusterSecretStore: which namespaces may use it (ESO: any one condition
 * matching is enough, and so is any one field within a condition; eso.md §9.20).
 */
import { compileGoRegexp, goMatch } from '../template/funcs/goregexp.ts';
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

/**
 * ESO's `shouldProcessSecret`: within one condition the fields are alternatives, so the selector,
 * any listed name or any (unanchored) regex matching is enough; a condition naming nothing
 * matches nothing.
 */
function conditionMatches(
  c: ClusterSecretStoreCondition,
  namespace: string,
  labels: Record<string, string>,
): boolean {
  if (c.namespaceSelector && selectorMatches(c.namespaceSelector, labels)) return true;
  if (c.namespaces?.includes(namespace)) return true;
  return (c.namespaceRegexes ?? []).some((r) => goRegexpMatches(r, namespace));
}

/** RE2 semantics, as ESO's `regexp.MatchString`; a pattern Go rejects matches nothing (denied). */
function goRegexpMatches(pattern: string, text: string): boolean {
  try {
    return goMatch(compileGoRegexp(pattern), text);
  } catch {
    return false;
  }
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
