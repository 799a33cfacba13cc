/** toYaml / fromYaml with sigs.k8s.io/yaml's behaviour (JSON data model, go-yaml v2 style). */
import { parseAllDocuments, type ScalarTag, type Tags } from 'yaml';
import { formatFloat } from '../../fmt.ts';
import { withRuneErrors } from '../../gostr.ts';
import { jsonArray } from '../../slicecap.ts';
import { GoTyped, type GoValue } from '../../value.ts';
import { emitYaml, type JsonValue } from './yaml-emit.ts';
import { goYamlMessage } from './yaml-errors.ts';

class JsonError extends Error {}

const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** A float64 as json.Marshal writes it and go-yaml reads it back: an integer if it looks like one. */
function jsonFloat(f: number): JsonValue {
  if (!Number.isFinite(f))
    throw new JsonError(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  // encoding/json writes shortest digits in %f form below 1e21; go-yaml reads integers back.
  const text = Math.abs(f) < 1e21 ? formatFloat(f, 'f', -1) : '';
  if (/^-?[0-9]+$/.test(text)) {
    const n = BigInt(text);
    if (n >= INT64_MIN && n <= UINT64_MAX) return { int: n };
  }
  return { float: f };
}

/**
 * encoding/json leaves U+0085 unescaped and go-yaml then reads the JSON text as YAML 1.1, where
 * NEL is a line break inside a quoted scalar: one folds to a space, n fold to n-1 newlines.
 */
function foldNel(s: string): string {
  return s.replace(/[ \t]*(?:\u0085[ \t]*)+/g, (m) => {
    const n = m.split('\u0085').length - 1;
    return n === 1 ? ' ' : '\n'.repeat(n - 1);
  });
}

/**
 * Characters json.Marshal writes as they are but go-yaml's reader refuses when sigs.k8s.io/yaml
 * reads the JSON back (DEL, C1 controls but NEL, U+FFFE/U+FFFF): Marshal fails, toYaml gives "".
 */
const NOT_YAML_PRINTABLE = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

function jsonString(s: string): string {
  if (NOT_YAML_PRINTABLE.test(s)) throw new JsonError('yaml: control characters are not allowed');
  // encoding/json writes each byte that is not UTF-8 as U+FFFD.
  return foldNel(withRuneErrors(s));
}

/** json.Marshal's view of a template value (maps sorted later by the emitter). */
function toJson(v: GoValue): JsonValue {
  if (v instanceof GoTyped) return toJson(v.value);
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'bigint') return { int: v };
  if (typeof v === 'number') return jsonFloat(v);
  if (typeof v === 'function') throw new JsonError('json: unsupported type: func');
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  return new Map([...v].map(([k, x]) => [jsonString(k), toJson(x)]));
}

const isLetter = (c: string): boolean => /^\p{L}$/u.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && /^\p{Nd}$/u.test(c);

function digitRun(r: string[], from: number, start: number): [value: number, end: number] {
  let v = start;
  let i = from;
  for (; i < r.length && isDigit(r[i]); i++) v = v * 10 + Number(r[i]);
  return [v, i];
}

/** go-yaml v2's keyList.Less on strings: letters by code point, digit runs numerically. */
export function compareYamlKeys(a: string, b: string): number {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ca = ar[i] ?? '';
    const cb = br[i] ?? '';
    if (ca === cb) continue;
    const al = isLetter(ca);
    const bl = isLetter(cb);
    if (al && bl) return (ca.codePointAt(0) ?? 0) - (cb.codePointAt(0) ?? 0);
    if (al || bl) return bl ? -1 : 1;
    let seed = 0;
    if (ca === '0' || cb === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          seed = 1;
          break;
        }
      }
    }
    const [an, ai] = digitRun(ar, i, seed);
    const [bn, bi] = digitRun(br, i, seed);
    if (an !== bn) return an - bn;
    if (ai !== bi) return ai - bi;
    return (ca.codePointAt(0) ?? 0) - (cb.codePointAt(0) ?? 0);
  }
  return ar.length - br.length;
}

/** sigs.k8s.io/yaml Marshal with the final newline trimmed; "" on error, as ESO's toYaml. */
export function toYaml(v: GoValue): string {
  try {
    const yaml = emitYaml(toJson(v), {
      formatFloat: (f) => formatFloat(f, 'g', -1),
      compareKeys: compareYamlKeys,
    });
    return yaml.endsWith('\n') ? yaml.slice(0, -1) : yaml;
  } catch (err) {
    if (err instanceof JsonError) return '';
    throw err;
  }
}

/** A float that strconv.ParseFloat rejects as out of range stays a string in go-yaml. */
function finiteOrString(tag: ScalarTag): ScalarTag {
  return {
    ...tag,
    resolve: (str, onError, options) => {
      const v: unknown = tag.resolve(str, onError, options);
      return typeof v === 'number' && !Number.isFinite(v) && !/inf/i.test(str) ? str : v;
    },
  };
}

/** strconv.ParseInt(s, 0, 64) also reads Go's 0o octal prefix. */
const GO_OCTAL: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?0[oO][0-7_]+$/,
  resolve: (str) => {
    const n = parseInt(str.replace(/[_+]/g, '').replace(/0[oO]/, ''), 8);
    return n;
  },
};

/** go-yaml v2 resolves YAML 1.1 scalars but has no timestamps or sexagesimal numbers. */
function goYamlTags(tags: Tags): Tags {
  return [GO_OCTAL, ...tags]
    .filter((t) => {
      const tag = typeof t === 'string' ? t : t.tag;
      const format = typeof t === 'string' ? undefined : t.format;
      return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
    })
    .map((t) =>
      typeof t !== 'string' && t.tag === 'tag:yaml.org,2002:float' && 'resolve' in t
        ? finiteOrString(t as ScalarTag)
        : t,
    );
}

function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number')
    return Number.isInteger(k) ? BigInt(k).toString() : formatFloat(k, 'g', -1);
  if (k === null || k === undefined) return 'null';
  return typeof k === 'boolean' ? String(k) : JSON.stringify(k);
}

/** A parsed YAML value as json.Unmarshal into interface{} leaves it. */
function fromJs(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new JsonError(`json: unsupported value: ${formatFloat(v, 'g', -1)}`);
    return v;
  }
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (Array.isArray(v)) return jsonArray(v.map(fromJs));
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [keyString(k), fromJs(x)]));
  return JSON.stringify(v);
}

const JSON_KIND: Record<string, string> = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
};

function parseYamlMap(s: string): Map<string, GoValue> {
  // go-yaml's Unmarshal reads the first document only.
  const [doc] = parseAllDocuments(s, {
    version: '1.1',
    merge: true,
    uniqueKeys: false,
    customTags: goYamlTags,
  });
  if (doc === undefined) return new Map();
  const err = doc.errors[0];
  if (err) throw new JsonError(`error converting YAML to JSON: yaml: ${goYamlMessage(err)}`);
  let value: GoValue;
  try {
    value = fromJs(doc.toJS({ mapAsMap: true }));
  } catch (e) {
    if (e instanceof JsonError) throw new JsonError(`error converting YAML to JSON: ${e.message}`);
    throw e;
  }
  if (value === null) return new Map();
  if (value instanceof Map) return value;
  const kind = Array.isArray(value) ? 'array' : (JSON_KIND[typeof value] ?? 'value');
  throw new JsonError(
    `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`,
  );
}

/** sigs.k8s.io/yaml Unmarshal into map[string]interface{}; errors land under "Error". */
export function fromYaml(s: string): Map<string, GoValue> {
  try {
    return parseYamlMap(s);
  } catch (err) {
    if (err instanceof JsonError) return new Map<string, GoValue>([['Error', err.message]]);
    throw err;
  }
}
