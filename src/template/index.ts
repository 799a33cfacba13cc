/**
 * Go text/template for Ferry: parse once, execute many times, with Go's exact output and errors.
 *
 *   const tpl = parse('{{ .user }}:{{ .password }}', { name: 'dsn', funcs });
 *   tpl.execute(stringMap(secretData), { missingKey: 'error' });
 *
 * For function authors (sprig, ESO):
 * - `withSignature({ params: ['string', 'int'], variadic?, result? }, fn)` declares a Go signature;
 *   the executor then checks arity and converts constants exactly as Go does ("wrong number of
 *   args for f: want 2 got 1", "expected string; found 3"). Unsigned functions take anything.
 * - Throw `FuncError` for Go's returned error; it becomes "error calling f: <message>".
 * - A GoTyped defining `[GO_METHODS](name)` exposes methods (`.Year`, `.Format "2006"`); a GoTyped
 *   of a named struct type holding a Map exposes its entries as fields.
 * - Typed maps are GoTyped('map[string]string', Map); complex128 is GoTyped('complex128', [re, im]).
 * - Go strings are bytes: a byte that is not UTF-8 travels in a JS string as U+DC80–U+DCFF
 *   (gostr.ts); `executeBytes` / `goStringBytes` give the exact bytes Go would write.
 */
import type { ExecuteOptions, ParseOptions } from './template.ts';
import { parse } from './template.ts';
import type { GoValue } from './value.ts';
import { jsonArray } from './slicecap.ts';
import { GoTyped } from './value.ts';

export { TemplateError } from './errors.ts';
export type { TemplateErrorPhase } from './errors.ts';
export type { ExecLimits, MissingKey } from './exec.ts';
export { parse, Template } from './template.ts';
export type { ExecuteOptions, ParseOptions } from './template.ts';
export type { FuncSignature, HasGoMethods } from './types.ts';
export { GO_METHODS, methodOf, signatureOf, withSignature } from './types.ts';
export { goStringBytes, goStringFromBytes } from './gostr.ts';
export { FuncError, GoTyped } from './value.ts';
export type { FuncMap, GoFunc, GoValue } from './value.ts';

/** Executes a parsed template (same as `tpl.execute(data, opts)`). */
export function execute(
  tpl: ReturnType<typeof parse>,
  data: GoValue,
  opts?: ExecuteOptions,
): string {
  return tpl.execute(data, opts);
}

/** Executes a parsed template; the output bytes exactly as Go writes them. */
export function executeBytes(
  tpl: ReturnType<typeof parse>,
  data: GoValue,
  opts?: ExecuteOptions,
): Uint8Array {
  return tpl.executeBytes(data, opts);
}

/** Parses and executes in one step. */
export function render(
  text: string,
  data: GoValue,
  opts: ParseOptions & ExecuteOptions = {},
): string {
  return parse(text, opts).execute(data, opts);
}

/**
 * Plain JSON → Go values as encoding/json decodes into interface{}: objects become
 * map[string]interface{}, every number a float64, null nil.
 */
export function toGoValue(json: unknown): GoValue {
  if (json === null || json === undefined) return null;
  switch (typeof json) {
    case 'boolean':
    case 'string':
    case 'bigint':
      return json;
    case 'number':
      return json;
    case 'object':
      break;
    default:
      return null;
  }
  if (json instanceof Uint8Array || json instanceof GoTyped) return json;
  if (Array.isArray(json)) return jsonArray(json.map(toGoValue));
  const entries = json instanceof Map ? [...json.entries()] : Object.entries(json);
  return new Map(entries.map(([k, v]) => [String(k), toGoValue(v)]));
}

/** ESO's template data: a Go map[string]string (missing keys print "" under missingkey=zero). */
export function stringMap(
  data: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
): GoValue {
  const m = data instanceof Map ? new Map(data) : new Map(Object.entries(data));
  return new GoTyped('map[string]string', m);
}
