/**
 * The KeysAndValues scope's parse step: ESO unmarshals the rendered text with
 * `k8s.io/apimachinery/pkg/util/yaml` into `map[string]string`, which goes through
 * sigs.k8s.io/yaml: go-yaml v2 types plain scalars (yaml-resolve.ts), then scalars become
 * strings (ints base 10, floats with 32-bit `'g'`, bools as true/false, null as ""). Nested
 * values are rejected as Go's encoding/json would. Errors never quote the text: it holds
 * rendered secret values. Checked against the real Go libraries (see the tests).
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, Scalar } from 'yaml';
import { formatFloat } from '../../template/fmt.ts';
import { SyncError } from '../errors.ts';
import { resolvePlainScalar } from './yaml-resolve.ts';
import type { Resolved } from './yaml-resolve.ts';

const JSON_PREFIX = 'error unmarshaling JSON: while decoding JSON: ';

function resolveScalar(node: Scalar): Resolved {
  if (node.type === 'PLAIN' && typeof node.source === 'string')
    return resolvePlainScalar(node.source);
  return {
    kind: 'str',
    value: typeof node.value === 'string' ? node.value : (node.source ?? ''),
  };
}

function resolvedString(r: Resolved): string {
  switch (r.kind) {
    case 'null':
      return '';
    case 'bool':
      return r.value ? 'true' : 'false';
    case 'int':
      return r.value.toString(10);
    case 'float':
      return formatFloat(r.value, 'g', -1, 32);
    case 'str':
      return r.value;
  }
}

function deref(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyString(node: unknown, doc: Document): string {
  const target = deref(node, doc);
  const resolved: Resolved = isScalar(target)
    ? resolveScalar(target)
    : target == null
      ? { kind: 'null' }
      : { kind: 'str', value: '' };
  if (resolved.kind === 'null') {
    throw new SyncError(
      'error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>',
    );
  }
  if (!isScalar(target))
    throw new SyncError('error converting YAML to JSON: yaml: invalid map key');
  return resolvedString(resolved);
}

function valueString(node: unknown, doc: Document): string {
  const target = deref(node, doc);
  if (target === null || target === undefined) return '';
  if (isScalar(target)) return resolvedString(resolveScalar(target));
  throw new SyncError(
    `${JSON_PREFIX}json: cannot unmarshal ${isSeq(target) ? 'array' : 'object'} into Go value of type string`,
  );
}

function topLevelKind(node: Node): string {
  if (isSeq(node)) return 'array';
  if (isScalar(node)) {
    const r = resolveScalar(node);
    if (r.kind === 'int' || r.kind === 'float') return 'number';
    if (r.kind === 'bool') return 'bool';
    if (r.kind === 'null') return 'null';
  }
  return 'string';
}

/** Parses KeysAndValues output into key → value pairs (a later duplicate key wins, as in Go). */
export function parseKeysAndValues(text: string): Map<string, string> {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? 0;
    throw new SyncError(
      `error converting YAML to JSON: yaml: line ${line}: ${first.code.toLowerCase().replaceAll('_', ' ')}`,
    );
  }
  const out = new Map<string, string>();
  const root = doc.contents;
  if (root === null) return out;
  if (isScalar(root) && resolveScalar(root).kind === 'null') return out;
  if (!isMap(root)) {
    throw new SyncError(
      `${JSON_PREFIX}json: cannot unmarshal ${topLevelKind(root)} into Go value of type map[string]string`,
    );
  }
  for (const item of root.items) out.set(keyString(item.key, doc), valueString(item.value, doc));
  return out;
}
