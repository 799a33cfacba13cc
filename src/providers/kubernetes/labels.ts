/**
 * find.tags as a label selector (ESO `labels.ValidatedSelectorFromSet`): every tag must be a
 * valid label key and value, checked here so a typo gets a precise message rather than the
 * API server's 400. Empty tags select every Secret.
 */
import { compareCodePoints } from '../../secretdata/gojson.ts';
import { StoreConfigError } from '../provider.ts';

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return 'prefix part must be a lowercase DNS subdomain of at most 253 characters';
  if (name.length > 63 || !NAME.test(name))
    return 'name part must be at most 63 characters: alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value))
    return 'must be at most 63 characters: alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  return undefined;
}

/** `k1=v1,k2=v2` in key order; throws StoreConfigError naming the bad tag. */
export function labelSelectorFromTags(tags: Record<string, string>): string {
  const entries = Object.entries(tags).sort((a, b) => compareCodePoints(a[0], b[0]));
  for (const [key, value] of entries) {
    const problem = keyProblem(key);
    if (problem)
      throw new StoreConfigError(`unable to validate selector tags: key "${key}": ${problem}`);
    const bad = valueProblem(value);
    if (bad)
      throw new StoreConfigError(`unable to validate selector tags: value of "${key}" ${bad}`);
  }
  return entries.map(([k, v]) => `${k}=${v}`).join(',');
}
