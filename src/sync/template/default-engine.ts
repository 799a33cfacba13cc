/** The TemplateEngine the sync core uses in production: Ferry's Go text/template port. */
import { parse, stringMap } from '../../template/index.ts';
import type { FuncMap } from '../../template/index.ts';
import type { RenderOptions, TemplateEngine } from './engine.ts';
import { templateFuncMap } from './funcmap.ts';
import type { FuncMapDeps } from './funcmap.ts';

/** ESO's engine: Go text/template over `map[string]string` with ESO's function map. */
export function goTemplateEngine(deps: FuncMapDeps & { funcs?: FuncMap } = {}): TemplateEngine {
  const funcs = deps.funcs ?? templateFuncMap(deps);
  return {
    render(text: string, data: ReadonlyMap<string, string>, options: RenderOptions): string {
      const tpl = parse(text, {
        name: options.name,
        funcs,
        ...(options.leftDelim !== undefined ? { leftDelim: options.leftDelim } : {}),
        ...(options.rightDelim !== undefined ? { rightDelim: options.rightDelim } : {}),
      });
      return tpl.execute(stringMap(data), {
        missingKey: options.missingKeyError ? 'error' : 'default',
      });
    },
  };
}
