/**
 * dataFrom rewrites (ESO `RewriteMap`, eso.md §3 / §7.4 TestRewrite): regexp, transform and merge
 * operations applied in order to a fetched key → value map.
 */
import type { Rewrite } from '../api/types.ts';
import { compileGoRegexp, goReplaceAll } from '../template/funcs/goregexp.ts';
import { goByteValue, goJsonMarshal, JsonNumber, parseJson } from '../secretdata/gojson.ts';
import type { JsonValue } from '../secretdata/gojson.ts';
import { formatFloat } from '../template/fmt.ts';
import { SyncError, messageOf } from './errors.ts';
import { compareGoStrings, sortedEntries } from './order.ts';
import type { TemplateEngine } from './template/engine.ts';

type ByteMap = Map<string, Uint8Array>;

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

/** ESO `RewriteMap`: `failed rewrite operation[<i>]: <err>`. */
export function rewriteMap(
  operations: readonly Rewrite[],
  input: ByteMap,
  engine: TemplateEngine,
): ByteMap {
  let out = input;
  operations.forEach((op, i) => {
    try {
      out = rewriteOne(op, out, engine);
    } catch (error) {
      throw new SyncError(`failed rewrite operation[${i}]: ${messageOf(error)}`, { cause: error });
    }
  });
  return out;
}

function rewriteOne(op: Rewrite, input: ByteMap, engine: TemplateEngine): ByteMap {
  if (op.merge) return rewriteMerge(op.merge, input);
  if (op.regexp) return rewriteRegexp(op.regexp, input);
  if (op.transform) return rewriteTransform(op.transform.template, input, engine);
  return input;
}

function sortedKeys(m: ReadonlyMap<string, unknown>): string[] {
  return [...m.keys()].sort(compareGoStrings);
}

/** ESO `RewriteRegexp`: Go `ReplaceAllString` on every key. */
export function rewriteRegexp(op: { source: string; target: string }, input: ByteMap): ByteMap {
  let re: RegExp;
  try {
    re = compileGoRegexp(op.source);
  } catch (error) {
    throw new SyncError(`regexp failed with failed to compile: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const out: ByteMap = new Map();
  for (const [key, value] of sortedEntries(input))
    out.set(goReplaceAll(re, key, op.target, false), value);
  return out;
}

/** ESO `RewriteTransform`: the template sees `.value` = key; always `{{ }}`, no missingkey=error. */
export function rewriteTransform(
  template: string,
  input: ByteMap,
  engine: TemplateEngine,
): ByteMap {
  const out: ByteMap = new Map();
  for (const [key, value] of sortedEntries(input)) {
    let rendered: string;
    try {
      rendered = engine.render(template, new Map([['value', key]]), {
        name: 'transform',
        missingKeyError: false,
      });
    } catch (error) {
      const phase = (error as { phase?: string }).phase;
      const what =
        phase === 'parse'
          ? 'failed to parse template'
          : `failed to execute template for key ${JSON.stringify(key)}`;
      throw new SyncError(`transform failed with ${what}: ${messageOf(error)}`, { cause: error });
    }
    out.set(rendered, value);
  }
  return out;
}

type MergeSpec = NonNullable<Rewrite['merge']>;

/** Go decodes into `map[string]any`: numbers become float64. */
function toGoAny(v: JsonValue): JsonValue | number {
  if (v instanceof JsonNumber) return Number(v.text);
  return v;
}

function mergeInputs(
  op: MergeSpec,
  input: ByteMap,
): { merged: Map<string, JsonValue | number>; conflicts: string[] } {
  const priority = op.priority ?? [];
  const keys = [...sortedKeys(input).filter((k) => !priority.includes(k)), ...priority];
  const merged = new Map<string, JsonValue | number>();
  const conflicts: string[] = [];
  for (const key of keys) {
    const value = input.get(key);
    if (value === undefined) {
      if (op.priorityPolicy === 'IgnoreNotFound') continue;
      throw new SyncError(`merge failed with key ${JSON.stringify(key)} not found in input map`);
    }
    const parsed = parseObject(value, key);
    for (const [k, v] of Object.entries(parsed)) {
      if (merged.has(k)) conflicts.push(k);
      merged.set(k, toGoAny(v));
    }
  }
  return { merged, conflicts };
}

function parseObject(value: Uint8Array, key: string): Record<string, JsonValue> {
  let parsed: JsonValue;
  try {
    parsed = parseJson(decoder.decode(value));
  } catch (error) {
    // gojson's errors never quote the input, so the value cannot leak here.
    throw new SyncError(
      `merge failed with failed to unmarshal JSON: ${messageOf(error)} (key ${key})`,
      { cause: error },
    );
  }
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    parsed instanceof JsonNumber
  ) {
    throw new SyncError(
      `merge failed with failed to unmarshal JSON: value of key ${key} is not a JSON object`,
    );
  }
  return parsed;
}

/** ESO `GetByteValue` after `json.Unmarshal` into `any`: float64 is printed with 'f', -1. */
function byteValue(v: JsonValue | number): Uint8Array {
  if (typeof v === 'number') return utf8.encode(formatFloat(v, 'f', -1));
  return utf8.encode(goByteValue(v));
}

/** ESO `RewriteMerge`: Extract (keys of the merged JSON objects) or JSON (into one key). */
export function rewriteMerge(op: MergeSpec, input: ByteMap): ByteMap {
  const { merged, conflicts } = mergeInputs(op, input);
  if (op.conflictPolicy !== 'Ignore' && conflicts.length > 0) {
    throw new SyncError(`merge failed with conflicts: ${conflicts.join(', ')}`);
  }
  if (op.strategy === 'JSON') {
    if (!op.into) throw new SyncError("merge failed with missing 'into' field");
    const out: ByteMap = new Map(input);
    out.set(op.into, utf8.encode(goJsonMarshal(merged, { escapeHtml: false })));
    return out;
  }
  const out: ByteMap = new Map();
  for (const [k, v] of merged) out.set(k, byteValue(v));
  return out;
}
