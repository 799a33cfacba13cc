/**
 * The seam between the sync core and the Go template engine. The core only needs "render this
 * text over this string map"; `goTemplateEngine()` (in `default-engine.ts`) wires the real
 * engine with ESO's function map, tests may pass a stub.
 */

export interface RenderOptions {
  /** Template name, as Go prints it in errors (ESO uses the output key). */
  name: string;
  /** `Option("missingkey=error")`: ESO's v2 templates set it, rewrite transforms do not. */
  missingKeyError: boolean;
  leftDelim?: string;
  rightDelim?: string;
}

/**
 * Renders Go templates. Throws `TemplateError` (src/template/errors.ts) whose `phase` says
 * whether parsing or execution failed and whose message is Go's error text.
 */
export interface TemplateEngine {
  /**
   * Data values and the result are Go strings in the engine's model: bytes that are not UTF-8
   * travel as U+DC80–U+DCFF (src/template/gostr.ts), so binary values survive byte-exact.
   */
  render(text: string, data: ReadonlyMap<string, string>, options: RenderOptions): string;
}
