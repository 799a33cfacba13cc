/** Sprig's reflection helpers: typeOf, typeIs, typeIsLike, kindOf, kindIs, deepEqual. */
import { GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import { any, fixed, goKindName, goTypeName, str } from './args.ts';

/** Go's reflect.DeepEqual over the value model: same Go type and equal contents. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (goTypeName(a) !== goTypeName(b)) return false;
  const x = a instanceof GoTyped ? a.value : a;
  const y = b instanceof GoTyped ? b.value : b;
  if (x instanceof GoTyped || y instanceof GoTyped) {
    return x instanceof GoTyped && y instanceof GoTyped && deepEqual(x, y);
  }
  if (Array.isArray(x)) {
    return (
      Array.isArray(y) && x.length === y.length && x.every((v, i) => deepEqual(v, y[i] ?? null))
    );
  }
  if (x instanceof Uint8Array) {
    return y instanceof Uint8Array && Buffer.from(x).equals(Buffer.from(y));
  }
  if (x instanceof Map) {
    if (!(y instanceof Map) || x.size !== y.size) return false;
    for (const [k, v] of x) if (!y.has(k) || !deepEqual(v, y.get(k) ?? null)) return false;
    return true;
  }
  if (typeof x === 'function') return false; // Go: funcs are equal only if both nil
  if (typeof x === 'number' && typeof y === 'number') return x === y; // NaN != NaN, as in Go
  return x === y;
}

/** The reflection functions, keyed by template name. */
export function reflectFuncs(): [string, GoFunc][] {
  return [
    fixed('typeOf', [any], (v) => goTypeName(v)),
    fixed('typeIs', [str, any], (t, v) => t === goTypeName(v)),
    fixed('typeIsLike', [str, any], (t, v) => {
      const name = goTypeName(v);
      return t === name || `*${t}` === name;
    }),
    fixed('kindOf', [any], (v) => goKindName(v)),
    fixed('kindIs', [str, any], (k, v) => k === goKindName(v)),
    fixed('deepEqual', [any, any], (a, b) => deepEqual(a, b)),
  ];
}
