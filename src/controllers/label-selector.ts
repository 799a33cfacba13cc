/**
 * A LabelSelector in the API server's query syntax (`a=b,c in (d,e),!f`), so a list asks the
 * server for only the matching objects instead of reading them all (Secrets carry values).
 */
import type { LabelSelector } from '../api/types.ts';

type Requirement = NonNullable<LabelSelector['matchExpressions']>[number];

function requirement(r: Requirement): string {
  const values = [...(r.values ?? [])].sort().join(',');
  switch (r.operator) {
    case 'In':
      return `${r.key} in (${values})`;
    case 'NotIn':
      return `${r.key} notin (${values})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    default:
      throw new Error(`label selector: "${r.operator}" is not a valid label selector operator`);
  }
}

/** The selector as a query string; `''` (everything) for an empty selector. */
export function labelSelectorQuery(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`);
  return [...labels, ...(selector.matchExpressions ?? []).map(requirement)].join(',');
}
