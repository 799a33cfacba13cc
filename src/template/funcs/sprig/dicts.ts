/** Sprig's dict.go. Maps are shared references, as in Go: set/unset/merge mutate their argument. */
import { FuncError, type GoFunc, type GoValue } from '../../value.ts';
import {
  any,
  dictArg,
  fixed,
  strings,
  goKindName,
  goTypeName,
  str,
  unwrap,
  variadic,
} from './args.ts';
import { deepCopy, isEmpty } from './defaults.ts';
import { strval } from './strval.ts';

function isMap(v: GoValue): v is Map<string, GoValue> {
  return v instanceof Map;
}

/** mergo.Merge / MergeWithOverwrite for map[string]interface{} values, as sprig calls them. */
export function mergeInto(
  dst: Map<string, GoValue>,
  src: Map<string, GoValue>,
  overwrite: boolean,
): void {
  for (const [key, s] of src) {
    const hasD = dst.has(key);
    const d = dst.get(key) ?? null;
    if (s === null) {
      if (overwrite) dst.set(key, null);
      continue;
    }
    const su = unwrap(s);
    const du = unwrap(d);
    if (isMap(su) && isMap(du)) mergeInto(du, su, overwrite);
    if (Array.isArray(su))
      dst.set(key, overwrite || dst.size === 0 ? s : hasD && d !== null ? d : []);
    if (hasD && !isEmpty(d)) {
      if (goKindName(s) === 'slice') continue;
      if (isMap(su) && isMap(du)) continue;
    }
    if (overwrite || !hasD || isEmpty(d)) dst.set(key, s);
  }
}

function dig(args: GoValue[]): GoValue {
  if (args.length < 3) throw new FuncError('dig needs at least three arguments');
  let dict = args[args.length - 1] ?? null;
  const def = args[args.length - 2] ?? null;
  const keys = args.slice(0, -2);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] ?? null;
    if (typeof k !== 'string') {
      throw new FuncError(`interface conversion: interface {} is ${typeName(k)}, not string`);
    }
    if (!isMap(dict)) {
      throw new FuncError(
        `interface conversion: interface {} is ${typeName(dict)}, not map[string]interface {}`,
      );
    }
    if (!dict.has(k)) return def;
    const step = dict.get(k) ?? null;
    if (i === keys.length - 1) return step;
    dict = step;
  }
  return def;
}

function typeName(v: GoValue): string {
  return v === null ? 'nil' : goTypeName(v);
}

/** The dict.go functions, keyed by template name. */
export function dictFuncs(): [string, GoFunc][] {
  const merge =
    (overwrite: boolean) =>
    (dst: Map<string, GoValue>, srcs: Map<string, GoValue>[]): GoValue => {
      for (const src of srcs) mergeInto(dst, src, overwrite);
      return dst;
    };
  return [
    fixed('get', [dictArg, str], (d, k) => (d.has(k) ? (d.get(k) ?? null) : '')),
    fixed('set', [dictArg, str, any], (d, k, v) => d.set(k, v)),
    fixed('unset', [dictArg, str], (d, k) => (d.delete(k), d)),
    fixed('hasKey', [dictArg, str], (d, k) => d.has(k)),
    variadic('pluck', [str], dictArg, (k, ds) =>
      ds.filter((d) => d.has(k)).map((d) => d.get(k) ?? null),
    ),
    // Go's map iteration order is random; we give insertion order (keys/values are unordered).
    variadic('keys', [], dictArg, (ds) => strings(ds.flatMap((d) => [...d.keys()]))),
    fixed('values', [dictArg], (d) => [...d.values()]),
    variadic('pick', [dictArg], str, (d, ks) => {
      const out = new Map<string, GoValue>();
      for (const k of ks) if (d.has(k)) out.set(k, d.get(k) ?? null);
      return out;
    }),
    variadic('omit', [dictArg], str, (d, ks) => {
      const drop = new Set(ks);
      return new Map([...d].filter(([k]) => !drop.has(k)));
    }),
    variadic('dict', [], any, (vs) => {
      const out = new Map<string, GoValue>();
      for (let i = 0; i < vs.length; i += 2) {
        out.set(strval(vs[i] ?? null), i + 1 < vs.length ? (vs[i + 1] ?? null) : '');
      }
      return out;
    }),
    variadic('merge', [dictArg], dictArg, merge(false)),
    variadic('mustMerge', [dictArg], dictArg, merge(false)),
    variadic('mergeOverwrite', [dictArg], dictArg, merge(true)),
    variadic('mustMergeOverwrite', [dictArg], dictArg, merge(true)),
    variadic('dig', [], any, dig),
  ];
}

export { deepCopy };
