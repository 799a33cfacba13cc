/** The TemplateEngine the sync core uses in production: Ferry's Go text/template port. */
import { parse, stringMap } from '../../template/index.ts';
import type { FuncMap, Template } from '../../template/index.ts';
import type { RenderOptions, TemplateEngine } from './engine.ts';
import { templateFuncMap } from './funcmap.ts';
import type { FuncMapDeps } from './funcmap.ts';

export interface EngineOptions extends FuncMapDeps {
  /** A complete function map, replacing `templateFuncMap(deps)`. */
  funcs?: FuncMap;
  /** Parsed templates kept per engine (default 1024); every refresh re-renders the same texts. */
  cacheSize?: number;
}

/** ESO's engine: Go text/template over `map[string]string` with ESO's function map. */
export function goTemplateEngine(options: EngineOptions = {}): TemplateEngine {
  const funcs = options.funcs ?? templateFuncMap(options);
  const cacheSize = options.cacheSize ?? 1024;
  const cache = new Map<string, Template>();
  const parsed = (text: string, o: RenderOptions): Template => {
    const key = JSON.stringify([o.name, o.leftDelim ?? '', o.rightDelim ?? '', text]);
    const hit = cache.get(key);
    if (hit) return hit;
    const tpl = parse(text, {
      name: o.name,
      funcs,
      ...(o.leftDelim !== undefined ? { leftDelim: o.leftDelim } : {}),
      ...(o.rightDelim !== undefined ? { rightDelim: o.rightDelim } : {}),
    });
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value ?? key);
    cache.set(key, tpl);
    return tpl;
  };
  return {
    render(text: string, data: ReadonlyMap<string, string>, o: RenderOptions): string {
      return parsed(text, o).execute(stringMap(data), {
        missingKey: o.missingKeyError ? 'error' : 'default',
      });
    },
  };
}
