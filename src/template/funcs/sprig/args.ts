/**
 * Go's view of template-function arguments: type names (%T), reflect kinds, and the conversions
 * text/template applies when it calls a Go function with typed parameters. Sprig's functions are
 * declared here with their Go parameter types so that a wrong argument fails with Go's text.
 */
import { goStringBuffer, goStringFromBytes as goStringOf } from '../../gostr.ts';
import { typeName, withSignature } from '../../types.ts';
import { FuncError, GoTyped, type GoFunc, type GoValue } from '../../value.ts';

/**
 * An argument that text/template itself rejects before calling the function (wrong count or
 * type). Go reports these without the "error calling NAME:" prefix, so the executor can tell
 * them apart from errors the function returned.
 */
export class GoArgError extends FuncError {
  constructor(message: string) {
    super(message);
    this.name = 'GoArgError';
  }
}

/** Strips any `GoTyped` wrappers. */
export function unwrap(v: GoValue): Exclude<GoValue, GoTyped> {
  let x = v;
  while (x instanceof GoTyped) x = x.value;
  return x;
}

/** Go's `%T` of a value. */
export function goTypeName(v: GoValue): string {
  return typeName(v);
}

const scalarKinds = new Set([
  'bool',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
  'float32',
  'float64',
  'complex64',
  'complex128',
  'string',
]);

/** Go's `reflect.Kind` name for a type name as `%T` prints it. */
export function kindOfTypeName(t: string): string {
  if (t === '<nil>') return 'invalid';
  if (t.startsWith('*')) return 'ptr';
  if (t.startsWith('[]')) return 'slice';
  if (t.startsWith('[')) return 'array';
  if (t.startsWith('map[')) return 'map';
  if (t.startsWith('func(')) return 'func';
  if (t.startsWith('chan ')) return 'chan';
  if (t === 'byte') return 'uint8';
  if (t === 'rune') return 'int32';
  if (t.startsWith('interface')) return 'interface';
  if (scalarKinds.has(t)) return t;
  // Named types (time.Time, semver.Version, …) are structs unless an alias says otherwise.
  const named: Record<string, string> = { 'time.Duration': 'int64', 'time.Month': 'int' };
  return named[t] ?? 'struct';
}

/** Go's `reflect.ValueOf(v).Kind().String()`. */
export function goKindName(v: GoValue): string {
  return kindOfTypeName(goTypeName(v));
}

/** True for values Go would see as a slice or array (reflect kinds Slice/Array). */
export function isListLike(v: GoValue): boolean {
  const k = goKindName(v);
  return k === 'slice' || k === 'array';
}

/** The elements of a slice or array value as Go's `reflect.Value.Index(i).Interface()` sees them. */
export function listItems(v: GoValue): GoValue[] {
  const u = unwrap(v);
  if (Array.isArray(u)) return u;
  if (u instanceof Uint8Array) return Array.from(u, (b) => new GoTyped('uint8', BigInt(b)));
  if (typeof u === 'string') return Array.from(u); // e.g. [N]rune-like typed arrays; rare
  return [];
}

/**
 * Converts one argument; throws GoArgError when Go's template engine would refuse it. `goType`
 * is the Go parameter type, published to the executor through the function's signature.
 */
export interface Conv<T> {
  (v: GoValue): T;
  readonly goType: string;
}

export function conv<T>(goType: string, f: (v: GoValue) => T): Conv<T> {
  return Object.assign(f, { goType });
}

function wrongType(expected: string, v: GoValue): GoArgError {
  if (v === null) return new GoArgError(`invalid value; expected ${expected}`);
  return new GoArgError(`wrong type for value; expected ${expected}; got ${goTypeName(v)}`);
}

/** A `string` parameter. */
export const str: Conv<string> = conv('string', (v) => {
  if (typeof v === 'string') return v;
  if (v instanceof GoTyped && v.type === 'string' && v.value instanceof Uint8Array) {
    return goStringOf(v.value); // non-UTF-8 bytes stay as escapes (gostr.ts)
  }
  if (v instanceof GoTyped && v.type === 'string' && typeof v.value === 'string') return v.value;
  throw wrongType('string', v);
});

/** An `int` parameter (Go's 64-bit int), as a JS number (exact within ±2^53). */
export const int: Conv<number> = conv('int', (v) => Number(intBig(v)));

/** An `int` parameter as a bigint. */
export const intBig: Conv<bigint> = conv('int', (v) => {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoTyped && v.type === 'int' && typeof v.value === 'bigint') return v.value;
  throw wrongType('int', v);
});

/** A `bool` parameter. */
export const bool: Conv<boolean> = conv('bool', (v) => {
  if (typeof v === 'boolean') return v;
  if (v instanceof GoTyped && v.type === 'bool' && typeof v.value === 'boolean') return v.value;
  throw wrongType('bool', v);
});

/** A `float64` parameter. */
export const float: Conv<number> = conv('float64', (v) => {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v); // an untyped integer constant, as Go converts it
  if (v instanceof GoTyped && v.type === 'float64' && typeof v.value === 'number') return v.value;
  throw wrongType('float64', v);
});

/** A `map[string]interface{}` parameter (Go passes maps by reference: mutations are shared). */
export const dictArg: Conv<Map<string, GoValue>> = conv(
  'map[string]interface {}',
  (v): Map<string, GoValue> => {
    if (v instanceof Map) return v;
    if (v instanceof GoTyped && v.type === 'map[string]interface {}' && v.value instanceof Map) {
      return v.value;
    }
    if (v === null) return new Map<string, GoValue>(); // a nil map reads as empty
    throw wrongType('map[string]interface {}', v);
  },
);

/** An `interface{}` parameter: anything goes. */
export const any: Conv<GoValue> = conv('interface {}', (v) => v);

type Converted<C extends readonly Conv<unknown>[]> = {
  [K in keyof C]: C[K] extends Conv<infer T> ? T : never;
};

/**
 * Declares a Go function with fixed parameters. Arity and types are checked as text/template
 * does before the call.
 */
export function fixed<const C extends readonly Conv<unknown>[]>(
  name: string,
  params: C,
  impl: (...args: Converted<C>) => GoValue,
): [string, GoFunc] {
  const f: GoFunc = (...args) => {
    if (args.length !== params.length) {
      throw new GoArgError(
        `wrong number of args for ${name}: want ${params.length} got ${args.length}`,
      );
    }
    const vals = params.map((p, i) => p(args[i] ?? null)) as Converted<C>;
    return impl(...vals);
  };
  return [name, withSignature({ params: params.map((p) => p.goType) }, f)];
}

/** Declares a variadic Go function: fixed parameters, then any number of `rest` arguments. */
export function variadic<const C extends readonly Conv<unknown>[], R>(
  name: string,
  params: C,
  rest: Conv<R>,
  impl: (...args: [...Converted<C>, R[]]) => GoValue,
): [string, GoFunc] {
  const f: GoFunc = (...args) => {
    if (args.length < params.length) {
      throw new GoArgError(
        `wrong number of args for ${name}: want at least ${params.length} got ${args.length}`,
      );
    }
    const vals = params.map((p, i) => p(args[i] ?? null));
    const tail = args.slice(params.length).map(rest);
    return (impl as (...a: unknown[]) => GoValue)(...vals, tail);
  };
  const sig = { params: [...params.map((p) => p.goType), rest.goType], variadic: true };
  return [name, withSignature(sig, f)];
}

/** Go's `int64` result. */
export function int64(n: bigint): GoTyped {
  return new GoTyped('int64', BigInt.asIntN(64, n));
}

/** Go's `[]string` result. */
export function strings(list: string[]): GoValue {
  return new GoTyped('[]string', list);
}

/** A `uint32` parameter. */
export const uint32: Conv<number> = conv('uint32', (v) => {
  const u = v instanceof GoTyped && v.type === 'uint32' ? v.value : v;
  if (typeof u === 'bigint' && u >= 0n && u <= 0xffffffffn) return Number(u);
  throw wrongType('uint32', v);
});

/** A `[]interface{}` parameter; nil stays nil. */
export const list: Conv<GoValue[] | null> = conv('[]interface {}', (v) => {
  if (v === null) return null;
  if (Array.isArray(v)) return v;
  if (v instanceof GoTyped && v.type === '[]interface {}' && Array.isArray(v.value)) return v.value;
  throw wrongType('[]interface {}', v);
});

/** A parameter of a named Go type carried as GoTyped (e.g. sprig's certificate struct). */
export function named(goType: string): Conv<GoValue> {
  return conv(goType, (v) => {
    if (v instanceof GoTyped && v.type === goType) return v;
    throw wrongType(goType, v);
  });
}

/** Go's string(b) (e.g. `b64dec` of binary data): bytes that are not UTF-8 stay escaped (gostr.ts). */
export function goStringFromBytes(b: Uint8Array): string {
  return goStringOf(b);
}

/** A `string` parameter read as its bytes (keeps binary strings intact). */
export const bytesArg: Conv<Buffer> = conv('string', (v) => {
  if (v instanceof GoTyped && v.type === 'string' && v.value instanceof Uint8Array) {
    return Buffer.from(v.value);
  }
  return goStringBuffer(str(v));
});
