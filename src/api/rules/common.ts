import { DurationError, parseGoDurationNs } from '../duration.ts';
import type { IssueList, Segments } from '../issues.ts';
import type { LabelSelector } from '../types.ts';

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reports a string that Go's time.ParseDuration would reject (metav1.Duration fails to decode). */
export function checkDuration(value: unknown, at: Segments, out: IssueList): void {
  if (typeof value !== 'string') return;
  try {
    parseGoDurationNs(value);
  } catch (e) {
    if (e instanceof DurationError)
      out.error(at, `Invalid value: ${JSON.stringify(value)}: ${e.message}`);
    else throw e;
  }
}

/**
 * Approximates Go's regexp.Compile with JavaScript's engine: Go (RE2) has no lookaround or
 * backreferences, and spells named groups `(?P<name>…)`. Returns Go-style error text or undefined.
 */
export function goRegexpError(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern))
    return `error parsing regexp: invalid or unsupported Perl syntax: \`(?${pattern.match(/\(\?(<?[=!])/)?.[1] ?? ''}\``;
  if (/\\[1-9]/.test(pattern)) return 'error parsing regexp: invalid escape sequence';
  try {
    new RegExp(pattern.replaceAll('(?P<', '(?<'), 'u');
    return undefined;
  } catch (e) {
    return `error parsing regexp: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `key` is a valid label key (optional DNS prefix, then a name of at most 63 characters). */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export const isLabelValue = (v: string): boolean => v.length <= 63 && LABEL_VALUE.test(v);

function checkOperator(operator: unknown, count: number, at: Segments, out: IssueList): void {
  if (operator === 'In' || operator === 'NotIn') {
    if (count === 0) {
      out.error(
        [...at, 'values'],
        'Required value: must be specified when operator is In or NotIn',
      );
    }
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (count > 0) {
      out.error(
        [...at, 'values'],
        'Forbidden: may not be specified when operator is Exists or DoesNotExist',
      );
    }
  } else if (typeof operator === 'string') {
    out.error(
      [...at, 'operator'],
      `Unsupported value: ${JSON.stringify(operator)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
    );
  }
}

function checkRequirement(req: unknown, at: Segments, out: IssueList): void {
  if (!isPlainObject(req)) return;
  const { key, operator, values } = req;
  if (typeof key === 'string' && !isLabelKey(key)) {
    out.error([...at, 'key'], `Invalid value: ${JSON.stringify(key)}: not a valid label key`);
  }
  checkOperator(operator, Array.isArray(values) ? values.length : 0, at, out);
}

/** The checks metav1.LabelSelectorAsSelector applies; a selector failing them matches nothing in ESO. */
export function checkLabelSelector(
  value: LabelSelector | undefined,
  at: Segments,
  out: IssueList,
): void {
  if (!isPlainObject(value)) return;
  const selector: LabelSelector = value;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!isLabelKey(k))
      out.error(
        [...at, 'matchLabels', k],
        `Invalid value: ${JSON.stringify(k)}: not a valid label key`,
      );
    if (typeof v === 'string' && !isLabelValue(v)) {
      out.error(
        [...at, 'matchLabels', k],
        `Invalid value: ${JSON.stringify(v)}: not a valid label value`,
      );
    }
  }
  (selector.matchExpressions ?? []).forEach((req, i) => {
    checkRequirement(req, [...at, 'matchExpressions', i], out);
  });
}
