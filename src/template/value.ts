/**
 * How Go values are represented while a template runs. The executor, the builtins, sprig and
 * ESO's functions all speak this model, so it is the contract of the template engine:
 *
 * | Go                         | here                                                        |
 * |----------------------------|-------------------------------------------------------------|
 * | nil (untyped / interface)  | `null`                                                      |
 * | bool                       | `boolean`                                                   |
 * | string                     | `string` (JS UTF-16; non-UTF-8 bytes as U+DC80–U+DCFF, gostr.ts) |
 * | int, int64 (and int kinds) | `bigint`, or `GoTyped` when the exact kind matters (%T)      |
 * | float64                    | `number`                                                    |
 * | []byte                     | `Uint8Array`                                                |
 * | []T / []interface{}        | `GoValue[]` (or `GoTyped` kind "slice" with an element type) |
 * | map[string]T               | `Map<string, GoValue>` (Go ranges over keys in sorted order) |
 * | func                       | `GoFunc`                                                    |
 *
 * Plain JS objects never appear as values: data from JSON/YAML is converted to `Map` first.
 */
export type GoValue =
  | null
  | boolean
  | string
  | bigint
  | number
  | Uint8Array
  | GoValue[]
  | Map<string, GoValue>
  | GoFunc
  | GoTyped;

/** A Go function value as stored in a FuncMap. Throwing a `FuncError` is Go's "returned error". */
export type GoFunc = (...args: GoValue[]) => GoValue;

/**
 * A value whose Go type must be kept beyond the table above, for `%T`, `kindIs`, `typeOf` and
 * Go's comparison rules (e.g. int vs int64 vs uint8, or a typed nil). `type` is Go's type name.
 */
export class GoTyped {
  constructor(
    readonly type: string,
    readonly value: GoValue,
  ) {}
}

/** Function table, keyed by the name used in templates. */
export type FuncMap = ReadonlyMap<string, GoFunc>;

/** An error a template function returns; the executor wraps it as Go does ("error calling X: …"). */
export class FuncError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FuncError';
  }
}

/**
 * Methods of a Go value. A GoTyped (or subclass) that defines `[GO_METHODS](name)` exposes Go
 * methods to templates: `.Year`, `.Format "2006"`, `.Compare $v` call the returned function with
 * the template arguments, and methods win over fields and map keys, as reflect's MethodByName does.
 * A `String` method makes fmt print the value through it, as Go's fmt.Stringer.
 */
export const GO_METHODS: unique symbol = Symbol.for('ferry.template.methods');

export interface HasGoMethods {
  [GO_METHODS](name: string): GoFunc | undefined;
}

/** The method `name` of `v`, if `v` declares methods. */
export function methodOf(v: GoValue, name: string): GoFunc | undefined {
  const lookup = (v as Partial<HasGoMethods> | null)?.[GO_METHODS];
  return typeof lookup === 'function' ? lookup.call(v, name) : undefined;
}
