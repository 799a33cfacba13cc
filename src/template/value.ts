/**
 * How Go values are represented while a template runs. The executor, the builtins, sprig and
 * ESO's functions all speak this model, so it is the contract of the template engine:
 *
 * | Go                         | here                                                        |
 * |----------------------------|-------------------------------------------------------------|
 * | nil (untyped / interface)  | `null`                                                      |
 * | bool                       | `boolean`                                                   |
 * | string                     | `string` (JS UTF-16; byte-level ops encode as UTF-8)        |
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
