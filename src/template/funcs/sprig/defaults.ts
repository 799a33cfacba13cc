/** Sprig's defaults.go: empty, default, coalesce, all, any, ternary, JSON and deepCopy. */
import { FuncError, GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import { any, bool, fixed, goKindName, str, unwrap, variadic } from './args.ts';
import { fromGoJson, toGoJson } from './json.ts';

/** Sprig's `empty`: Go's zero value test by reflect kind (structs are never empty). */
export function isEmpty(v: GoValue): boolean {
  const u = unwrap(v);
  if (u === null) return true;
  const kind = goKindName(v);
  if (kind === 'struct') return false;
  if (typeof u === 'string' || Array.isArray(u) || u instanceof Uint8Array) return u.length === 0;
  if (u instanceof Map) return u.size === 0;
  if (typeof u === 'boolean') return !u;
  if (typeof u === 'bigint') return u === 0n;
  if (typeof u === 'number') return u === 0;
  return false; // non-nil func or pointer
}

/** A deep copy of maps and lists (copystructure.Copy); scalars are immutable already. */
/** copystructure asks the type of an untyped nil and panics; template reports the panic. */
function deepCopyTop(v: GoValue): GoValue {
  if (v === null) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  return deepCopy(v);
}

export function deepCopy(v: GoValue): GoValue {
  if (v instanceof GoTyped) return new GoTyped(v.type, deepCopy(v.value));
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, deepCopy(x)]));
  return v;
}

function jsonFuncs(): [string, GoFunc][] {
  const swallow = (f: () => string): string => {
    try {
      return f();
    } catch {
      return '';
    }
  };
  return [
    fixed('fromJson', [str], (s) => {
      try {
        return fromGoJson(s);
      } catch {
        return null;
      }
    }),
    fixed('mustFromJson', [str], (s) => fromGoJson(s)),
    fixed('toJson', [any], (v) => swallow(() => toGoJson(v, { escapeHTML: true }))),
    fixed('mustToJson', [any], (v) => toGoJson(v, { escapeHTML: true })),
    fixed('toPrettyJson', [any], (v) =>
      swallow(() => toGoJson(v, { escapeHTML: true, indent: '  ' })),
    ),
    fixed('mustToPrettyJson', [any], (v) => toGoJson(v, { escapeHTML: true, indent: '  ' })),
    // toRawJson panics on error, which the template engine reports like a returned error.
    fixed('toRawJson', [any], (v) => toGoJson(v, { escapeHTML: false })),
    fixed('mustToRawJson', [any], (v) => toGoJson(v, { escapeHTML: false })),
  ];
}

/** The defaults.go functions, keyed by template name. */
export function defaultsFuncs(): [string, GoFunc][] {
  return [
    variadic('default', [any], any, (d, given) => {
      const g = given[0] ?? null;
      // Go tests empty(given) on the []interface{} itself first: an empty slice means "missing".
      return given.length === 0 || isEmpty(g) ? d : g;
    }),
    fixed('empty', [any], (v) => isEmpty(v)),
    variadic('coalesce', [], any, (vs) => vs.find((v) => !isEmpty(v)) ?? null),
    variadic('all', [], any, (vs) => vs.every((v) => !isEmpty(v))),
    variadic('any', [], any, (vs) => vs.some((v) => !isEmpty(v))),
    fixed('ternary', [any, any, bool], (t, f, c) => (c ? t : f)),
    fixed('deepCopy', [any], (v) => deepCopyTop(v)),
    fixed('mustDeepCopy', [any], (v) => deepCopyTop(v)),
    ...jsonFuncs(),
  ];
}
