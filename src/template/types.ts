/**
 * Go type facts for values of the model in value.ts: the type name Go would print (`%T`, error
 * texts), the reflect kind, zero values for typed map elements, and optional function signatures.
 */
import { typeName as fmtTypeName } from './fmt.ts';
import type { GoFunc, GoValue } from './value.ts';
import { GoTyped } from './value.ts';

export const Kind = {
  Invalid: 0,
  Bool: 1,
  Int: 2,
  Uint: 3,
  Float: 4,
  Complex: 5,
  String: 6,
  Slice: 7,
  Array: 8,
  Map: 9,
  Func: 10,
  Pointer: 11,
  Interface: 12,
  Struct: 13,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export const EMPTY_INTERFACE = 'interface {}';

/**
 * Declared Go signature of a template function. Without one, a function behaves like
 * `func(...interface {}) interface {}`: any number of arguments of any type.
 */
export interface FuncSignature {
  /** Parameter types, e.g. `['string', 'int']`; for a variadic function the last is the element type. */
  params: readonly string[];
  variadic?: boolean;
  /** Result type; `interface {}` when omitted. */
  result?: string;
}

const SIG = Symbol.for('ferry.template.signature');

type SignedFunc = GoFunc & { [SIG]?: FuncSignature };

/** Attaches a Go signature to `fn` so the executor checks arity and argument types like Go. */
export function withSignature<F extends GoFunc>(sig: FuncSignature, fn: F): F {
  Object.defineProperty(fn, SIG, { value: sig, enumerable: false });
  return fn;
}

/** The signature attached with withSignature, if any. */
export function signatureOf(fn: GoFunc): FuncSignature | undefined {
  return (fn as SignedFunc)[SIG];
}

/** Go's printed form of a function type, e.g. `func(string, ...int) string`. */
export function funcTypeName(fn: GoFunc): string {
  const sig = signatureOf(fn);
  if (!sig) return 'func(...interface {}) interface {}';
  const params = sig.params.map((p, i) =>
    sig.variadic && i === sig.params.length - 1 ? '...' + p : p,
  );
  return `func(${params.join(', ')}) ${sig.result ?? EMPTY_INTERFACE}`;
}

/** Type name Go prints for a (non-nil) value. */
export function typeName(v: GoValue): string {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
    case 'function':
      return funcTypeName(v);
  }
  return fmtTypeName(v);
}

const intKinds = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'rune']);
const uintKinds = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte']);

/** reflect.Kind of a type name. Unknown named types count as structs. */
export function kindOfType(t: string): Kind {
  if (intKinds.has(t) || t === 'time.Duration') return Kind.Int;
  if (uintKinds.has(t)) return Kind.Uint;
  switch (t) {
    case 'bool':
      return Kind.Bool;
    case 'float32':
    case 'float64':
      return Kind.Float;
    case 'complex64':
    case 'complex128':
      return Kind.Complex;
    case 'string':
      return Kind.String;
    case EMPTY_INTERFACE:
    case 'any':
    case 'error':
      return Kind.Interface;
  }
  if (t.startsWith('[]')) return Kind.Slice;
  if (t.startsWith('[')) return Kind.Array;
  if (t.startsWith('map[')) return Kind.Map;
  if (t.startsWith('func')) return Kind.Func;
  if (t.startsWith('*')) return Kind.Pointer;
  if (t.startsWith('interface')) return Kind.Interface;
  return Kind.Struct;
}

/** reflect.Kind of a value; null (nil interface) is Invalid. */
export function kindOf(v: GoValue): Kind {
  if (v === null) return Kind.Invalid;
  switch (typeof v) {
    case 'boolean':
      return Kind.Bool;
    case 'string':
      return Kind.String;
    case 'bigint':
      return Kind.Int;
    case 'number':
      return Kind.Float;
    case 'function':
      return Kind.Func;
  }
  if (v instanceof GoTyped) return kindOfType(v.type);
  if (v instanceof Uint8Array || Array.isArray(v)) return Kind.Slice;
  return Kind.Map;
}

/** Whether a nil can be assigned to a parameter of type `t` (reflect's canBeNil). */
export function canBeNil(t: string): boolean {
  switch (kindOfType(t)) {
    case Kind.Func:
    case Kind.Interface:
    case Kind.Map:
    case Kind.Pointer:
    case Kind.Slice:
      return true;
  }
  return false;
}

/** Element type of a map type name (`map[string]string` → `string`). */
export function mapElemType(t: string): string {
  if (t === 'map[string]string') return 'string';
  if (t === 'map[string]interface {}') return EMPTY_INTERFACE;
  if (!t.startsWith('map[')) return EMPTY_INTERFACE;
  let depth = 0;
  for (let i = 3; i < t.length; i++) {
    if (t[i] === '[') depth++;
    else if (t[i] === ']' && --depth === 0) return t.slice(i + 1);
  }
  return EMPTY_INTERFACE;
}

/** Element type of a slice or array type name. */
export function sliceElemType(t: string): string {
  const close = t.indexOf(']');
  return close >= 0 ? t.slice(close + 1) : EMPTY_INTERFACE;
}

/** Go's zero value for a type name, in this value model. */
export function zeroValue(t: string): GoValue {
  switch (kindOfType(t)) {
    case Kind.Bool:
      return false;
    case Kind.Int:
      return t === 'int' ? 0n : new GoTyped(t, 0n);
    case Kind.Uint:
      return new GoTyped(t, 0n);
    case Kind.Float:
      return t === 'float64' ? 0 : new GoTyped(t, 0);
    case Kind.String:
      return '';
  }
  return null;
}

/** Whether a value of type `from` is assignable to a parameter of type `to`. */
export function assignable(from: string, to: string): boolean {
  return from === to || to === EMPTY_INTERFACE || to === 'any';
}

/** The JS value inside a GoTyped (or the value itself). */
export function unwrap(v: GoValue): GoValue {
  return v instanceof GoTyped ? v.value : v;
}

// Methods live with the value model; re-exported here for existing importers.
export { GO_METHODS, methodOf } from './value.ts';
export type { HasGoMethods } from './value.ts';
