/**
 * `dataFrom.find.name.regexp`, shared by the providers that filter names themselves: the pattern
 * compiled with Go's RE2 rules (ESO compiles it with Go's regexp), a bad one reported as ESO does.
 */
import { errorMessage } from '../errors.ts';
import { compileGoRegexp, goMatch } from '../template/funcs/goregexp.ts';
import { StoreConfigError } from './provider.ts';

/** A test of a secret name against `pattern` (unanchored, like Go's MatchString). */
export function findNameMatcher(pattern: string): (name: string) => boolean {
  let re: RegExp;
  try {
    re = compileGoRegexp(pattern);
  } catch (e) {
    throw new StoreConfigError(
      `could not compile find.name.regexp [${pattern}]: ${errorMessage(e)}`,
      { cause: e },
    );
  }
  return (name) => goMatch(re, name);
}
