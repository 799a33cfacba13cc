/**
 * The KeysAndValues scope's parse step: ESO unmarshals the rendered text with
 * `k8s.io/apimachinery/pkg/util/yaml` into `map[string]string`, which goes through
 * sigs.k8s.io/yaml: YAML 1.1 scalars are coerced to strings (ints base 10, floats with 32-bit
 * `'g'`, yes/no/on/off as true/false, null as ""). Nested values are rejected as Go's
 * encoding/json would. Errors never quote the text: it holds rendered secret values.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { formatFloat } from '../../template/fmt.ts';
import { SyncError } from '../errors.ts';

function scalarString(value: unknown, source: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'bigint') return value.toString(10);
  if (typeof value === 'number') return formatFloat(value, 'g', -1, 32);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return source ?? value.toISOString();
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function keyString(node: unknown, doc: Document): string {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (target === null || target === undefined) return 'null';
  if (isScalar(target)) {
    if (target.value === null) return 'null';
    return scalarString(target.value, target.source);
  }
  throw new SyncError(
    'error converting YAML to JSON: yaml: invalid map key: a mapping or sequence cannot be a key',
  );
}

function valueString(node: unknown, doc: Document): string {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (target === null || target === undefined) return '';
  if (isScalar(target)) return scalarString(target.value, target.source);
  const kind = isSeq(target) ? 'array' : 'object';
  throw new SyncError(`json: cannot unmarshal ${kind} into Go value of type string`);
}

function topLevelKind(node: Node): string {
  if (isSeq(node)) return 'array';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'bigint' || typeof v === 'number') return 'number';
    if (typeof v === 'boolean') return 'bool';
  }
  return 'string';
}

/** Parses KeysAndValues output into ordered key → value pairs (later duplicates win). */
export function parseKeysAndValues(text: string): Map<string, string> {
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? 0;
    throw new SyncError(
      `error converting YAML to JSON: yaml: line ${line}: ${first.code.toLowerCase().replaceAll('_', ' ')}`,
    );
  }
  const out = new Map<string, string>();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return out;
  if (!isMap(root)) {
    throw new SyncError(
      `json: cannot unmarshal ${topLevelKind(root)} into Go value of type map[string]string`,
    );
  }
  for (const item of root.items) out.set(keyString(item.key, doc), valueString(item.value, doc));
  return out;
}
