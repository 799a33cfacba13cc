/**
 * A parsed template set (Go's *template.Template after Parse): the main tree plus every
 * {{define}} / {{block}}, the text they came from, and the functions they were parsed with.
 */
import type { ListNode, Tree } from './ast.ts';
import { builtins } from './builtins.ts';
import { TemplateError } from './errors.ts';
import type { ExecLimits, Executable, MissingKey } from './exec.ts';
import { defaultExecLimits, executeTemplate } from './exec.ts';
import { goStringBytes, utf8Length } from './gostr.ts';
import { ParseFailure, parseTrees } from './parser.ts';
import type { FuncMap, GoValue } from './value.ts';

export interface ParseOptions {
  /** Template name used in error messages (Go's template.New(name)); default "template". */
  name?: string;
  leftDelim?: string;
  rightDelim?: string;
  /** Functions the template may call; names are checked at parse time, as Go does. */
  funcs?: FuncMap;
  /** Longest accepted template text in UTF-16 code units (default 4 Mi). */
  maxTemplateSize?: number;
  /** Deepest nesting of parentheses and control blocks (default 1000). */
  maxDepth?: number;
}

export interface ExecuteOptions {
  /** Functions for execution; defaults to the ones given to parse(). */
  funcs?: FuncMap;
  /** Go's Option("missingkey=…"); default "default" (prints `<no value>`). */
  missingKey?: MissingKey;
  limits?: Partial<ExecLimits>;
}

const DEFAULT_MAX_SIZE = 4 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 1000;

export class Template implements Executable {
  /** @internal Use parse(). */
  constructor(
    readonly name: string,
    readonly text: string,
    private readonly trees: ReadonlyMap<string, Tree>,
    readonly funcs: FuncMap | undefined,
  ) {}

  get parseName(): string {
    return this.name;
  }

  /** @internal */
  lookupTree(name: string): ListNode | undefined {
    return this.trees.get(name)?.root;
  }

  /** Names of the main template and of every defined template. */
  templateNames(): string[] {
    return [...this.trees.keys()];
  }

  /**
   * Executes the main template with `data` as dot. The result is a Go string of the value model:
   * output bytes that are not UTF-8 are escaped (gostr.ts); `executeBytes` gives the exact bytes.
   */
  execute(data: GoValue, opts: ExecuteOptions = {}): string {
    return this.executeTemplate(this.name, data, opts);
  }

  /** Executes the main template; the output bytes exactly as Go writes them. */
  executeBytes(data: GoValue, opts: ExecuteOptions = {}): Uint8Array {
    return goStringBytes(this.executeTemplate(this.name, data, opts));
  }

  /** Executes the template called `name` (Go's ExecuteTemplate). */
  executeTemplate(name: string, data: GoValue, opts: ExecuteOptions = {}): string {
    const target =
      name === this.name ? this : new Template(name, this.text, this.trees, this.funcs);
    if (name !== this.name && !this.trees.has(name)) {
      throw new TemplateError(
        `template: no template "${name}" associated with template "${this.name}"`,
        {
          templateName: this.name,
          phase: 'exec',
        },
      );
    }
    const cfg = {
      funcs: opts.funcs ?? this.funcs,
      missingKey: opts.missingKey ?? 'default',
      limits: { ...defaultExecLimits, ...opts.limits },
    };
    try {
      return executeTemplate(execView(target, this.name), data, cfg);
    } catch (e) {
      throw asTemplateError(e, this.name, 'exec');
    }
  }
}

/** Errors report the top-level (parse) name even when a defined template runs. */
function execView(t: Template, parseName: string): Executable {
  if (t.name === parseName) return t;
  return { name: t.name, parseName, text: t.text, lookupTree: (n) => t.lookupTree(n) };
}

function asTemplateError(e: unknown, name: string, phase: 'parse' | 'exec'): TemplateError {
  if (e instanceof TemplateError) return e;
  if (e instanceof RangeError) {
    return new TemplateError(
      `template: ${name}: nesting too deep for this engine`,
      { templateName: name, phase: 'limit' },
      { cause: e },
    );
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new TemplateError(
    `template: ${name}: internal error during ${phase}: ${msg}`,
    { templateName: name, phase },
    { cause: e },
  );
}

/** Parses a Go text/template. Throws TemplateError with Go's message on bad input. */
export function parse(text: string, opts: ParseOptions = {}): Template {
  const name = opts.name ?? 'template';
  const maxSize = opts.maxTemplateSize ?? DEFAULT_MAX_SIZE;
  if (text.length > maxSize) {
    throw new TemplateError(
      `template: ${name}: template text of ${text.length} characters exceeds the limit of ${maxSize}`,
      {
        templateName: name,
        phase: 'limit',
      },
    );
  }
  const funcs = opts.funcs;
  const hasFunction = (fn: string): boolean => funcs?.has(fn) === true || builtins.has(fn);
  try {
    const trees = parseTrees(text, {
      name,
      leftDelim: opts.leftDelim ?? '',
      rightDelim: opts.rightDelim ?? '',
      hasFunction,
      maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    });
    return new Template(name, text, trees, funcs);
  } catch (e) {
    if (e instanceof ParseFailure) {
      const before = text.slice(0, e.pos);
      const column = utf8Length(before.slice(before.lastIndexOf('\n') + 1));
      throw new TemplateError(e.message, {
        templateName: name,
        line: e.line,
        column,
        phase: 'parse',
      });
    }
    throw asTemplateError(e, name, 'parse');
  }
}
