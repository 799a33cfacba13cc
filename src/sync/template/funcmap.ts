/**
 * ESO's template function map (`estemplate.FuncMap()`, eso.md §3.3): Go's builtins (provided by
 * the executor itself), sprig without env/expandenv/getHostByName, and ESO's own functions.
 */
import { esoFuncs } from '../../template/funcs/eso/index.ts';
import { sprigFuncs } from '../../template/funcs/sprig/index.ts';
import type { SprigDeps } from '../../template/funcs/sprig/index.ts';
import type { FuncMap, GoFunc } from '../../template/index.ts';

/** Functions ESO removes from sprig because they reach outside the template. */
export const REMOVED_SPRIG_FUNCS = ['env', 'expandenv', 'getHostByName'] as const;

export interface FuncMapDeps extends SprigDeps {
  /** ESO's functions (pkcs12*, filterPEM, toYaml, …), overriding sprig's; default `esoFuncs()`. */
  esoFuncs?: FuncMap;
}

/** The function map every ESO template and rewrite transform sees. */
export function templateFuncMap(deps: FuncMapDeps = {}): Map<string, GoFunc> {
  const funcs = sprigFuncs(deps);
  for (const name of REMOVED_SPRIG_FUNCS) funcs.delete(name);
  for (const [name, fn] of deps.esoFuncs ?? esoFuncs()) funcs.set(name, fn);
  return funcs;
}
