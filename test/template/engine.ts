/**
 * Loads Ferry's template engine for the differential suite. The engine is written in parallel
 * with this suite, so every module is imported dynamically: a missing module yields a reason to
 * skip instead of a compile error. Once present, the suite runs and fails on any difference.
 */
import { goStringFromBytes } from '../../src/template/gostr.ts';
import { jsonArray } from '../../src/template/slicecap.ts';
import { GoTyped, type FuncMap, type GoFunc, type GoValue } from '../../src/template/value.ts';
import type { MissingKey, RenderResult, TemplateCase } from './oracle.ts';

interface RenderOptions {
  name?: string;
  leftDelim?: string;
  rightDelim?: string;
  funcs?: FuncMap;
  missingKey?: MissingKey;
}

/** The engine's public surface, as announced in src/template/index.ts. */
interface EngineModule {
  parse(text: string, opts: RenderOptions): unknown;
  execute(tpl: unknown, data: GoValue, opts: RenderOptions): string | Uint8Array;
  /** The exact output bytes (Go strings may hold bytes that are not UTF-8). */
  executeBytes?(tpl: unknown, data: GoValue, opts: RenderOptions): Uint8Array;
}

type FuncSource = Iterable<readonly [string, GoFunc]> | Record<string, GoFunc>;

/** Our engine, ready to render a case. */
export interface Engine {
  render(c: TemplateCase): RenderResult;
  /** Names in our function table (sprig + ESO; builtins live in the executor). */
  funcNames: ReadonlySet<string>;
  /** Modules that could not be imported (their functions are absent). */
  missing: string[];
}

const modules = {
  engine: '../../src/template/index.ts',
  sprig: '../../src/template/funcs/sprig/index.ts',
  eso: '../../src/template/funcs/eso/index.ts',
} as const;

async function tryImport(path: string): Promise<Record<string, unknown> | string> {
  try {
    // A variable specifier keeps tsc from resolving modules that may not exist yet.
    const spec: string = path;
    return (await import(spec)) as Record<string, unknown>;
  } catch (err) {
    return `${path}: ${(err as Error).message.split('\n')[0] ?? ''}`;
  }
}

function funcsFrom(mod: Record<string, unknown> | string, factory: string): Map<string, GoFunc> {
  if (typeof mod === 'string' || typeof mod[factory] !== 'function') return new Map();
  const made = (mod[factory] as () => FuncSource)();
  const entries = Symbol.iterator in made ? [...made] : Object.entries(made);
  return new Map(entries);
}

/** Imports the engine; a string says why it cannot run yet. */
export async function loadEngine(): Promise<Engine | string> {
  const engineMod = await tryImport(modules.engine);
  if (typeof engineMod === 'string') return `template engine not importable yet (${engineMod})`;
  if (typeof engineMod.parse !== 'function' || typeof engineMod.execute !== 'function') {
    return 'src/template/index.ts does not export parse() and execute() yet';
  }
  const engine = engineMod as unknown as EngineModule;
  const sprigMod = await tryImport(modules.sprig);
  const esoMod = await tryImport(modules.eso);
  const funcs = new Map([...funcsFrom(sprigMod, 'sprigFuncs'), ...funcsFrom(esoMod, 'esoFuncs')]);
  for (const removed of ['env', 'expandenv', 'getHostByName']) funcs.delete(removed);
  const missing = [sprigMod, esoMod].filter((m) => typeof m === 'string');
  return {
    funcNames: new Set(funcs.keys()),
    missing,
    render: (c) => renderWith(engine, funcs, c),
  };
}

function renderWith(engine: EngineModule, funcs: FuncMap, c: TemplateCase): RenderResult {
  const opts: RenderOptions = {
    name: c.name ?? 'tpl',
    leftDelim: c.leftDelim ?? '{{',
    rightDelim: c.rightDelim ?? '}}',
    funcs,
    missingKey: c.missingKey ?? 'default',
  };
  if (opts.leftDelim === '') opts.leftDelim = '{{';
  if (opts.rightDelim === '') opts.rightDelim = '}}';
  let data: GoValue;
  try {
    data = toGoValue(c.data ?? null, c.dataKind ?? 'json');
  } catch (err) {
    return { ok: false, phase: 'input', error: (err as Error).message };
  }
  let tpl: unknown;
  try {
    tpl = engine.parse(c.template, opts);
  } catch (err) {
    return { ok: false, phase: 'parse', error: errorText(err) };
  }
  try {
    const out = engine.executeBytes
      ? engine.executeBytes(tpl, data, opts)
      : engine.execute(tpl, data, opts);
    return { ok: true, output: typeof out === 'string' ? new TextEncoder().encode(out) : out };
  } catch (err) {
    return { ok: false, phase: 'exec', error: errorText(err) };
  }
}

function errorText(err: unknown): string {
  // Anything but the engine's TemplateError is a crash; tag it so it never passes for Go's text.
  if (err instanceof Error)
    return err.name === 'TemplateError' ? err.message : `[${err.name}] ${err.message}`;
  return `non-Error thrown: ${String(err)}`;
}

/** A Go string of raw bytes: bytes that are not UTF-8 are escaped as the engine's model says. */
function b64ToString(s: string): string {
  return goStringFromBytes(Buffer.from(s, 'base64'));
}

/**
 * Converts case data (JSON + type tags) to the engine's value model exactly as the oracle decodes
 * it into Go values: plain JSON numbers are float64, objects are map[string]interface{}.
 */
export function toGoValue(json: unknown, kind: 'json' | 'stringMap'): GoValue {
  if (kind === 'stringMap') return stringMap(json ?? {});
  return fromJson(json);
}

function stringMap(json: unknown): GoValue {
  const m = new Map<string, GoValue>();
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    m.set(k, typeof v === 'string' ? v : b64ToString((v as { $b64: string }).$b64));
  }
  return new GoTyped('map[string]string', m);
}

function fromJson(json: unknown): GoValue {
  if (json === null || typeof json === 'boolean' || typeof json === 'string') return json;
  if (typeof json === 'number') return json;
  if (Array.isArray(json)) return jsonArray(json.map(fromJson));
  const obj = json as Record<string, unknown>;
  const keys = Object.keys(obj);
  const tag = keys.length === 1 ? keys[0] : undefined;
  if (tag !== undefined && tag.length > 1 && tag.startsWith('$')) return fromTag(tag, obj[tag]);
  return new Map(keys.map((k) => [k, fromJson(obj[k])]));
}

function fromTag(tag: string, v: unknown): GoValue {
  switch (tag) {
    case '$int':
      return BigInt(v as string);
    case '$int64':
      return new GoTyped('int64', BigInt(v as string));
    case '$uint8':
      return new GoTyped('uint8', BigInt(v as string));
    case '$float':
      return Number(v);
    case '$b64':
      return b64ToString(v as string);
    case '$bytes':
      return new Uint8Array(Buffer.from(v as string, 'base64'));
    case '$strings':
      return new GoTyped('[]string', [...(v as string[])]);
    case '$ints':
      return new GoTyped(
        '[]int',
        (v as string[]).map((s) => BigInt(s)),
      );
    case '$stringMap':
      return stringMap(v);
    default:
      throw new Error(`unknown type tag ${tag}`);
  }
}
