/** Sprig's regex.go over Go regexp semantics (../goregexp.ts). */
import { FuncError, GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import * as re from '../goregexp.ts';
import { fixed, int, str, strings } from './args.ts';

/** regexp.Compile, failing with Go's error text. */
function compile(pattern: string): RegExp {
  try {
    return re.compileGoRegexp(pattern);
  } catch (e) {
    throw new FuncError((e as Error).message, { cause: e });
  }
}

/** regexp.MustCompile, whose panic sprig's non-must functions surface as the error. */
function mustCompile(pattern: string): RegExp {
  try {
    return re.compileGoRegexp(pattern);
  } catch (e) {
    if (e instanceof re.GoRegexpError) throw new FuncError(re.mustCompileMessage(pattern, e));
    throw e;
  }
}

function both(
  name: string,
  params: 'rs' | 'rsn' | 'rss',
  op: (r: RegExp, s: string, x: string | number) => GoValue,
): [string, GoFunc][] {
  const must = `must${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;
  if (params === 'rsn') {
    return [
      fixed(name, [str, str, int], (p, s, n) => op(mustCompile(p), s, n)),
      fixed(must, [str, str, int], (p, s, n) => op(compile(p), s, n)),
    ];
  }
  if (params === 'rss') {
    return [
      fixed(name, [str, str, str], (p, s, x) => op(mustCompile(p), s, x)),
      fixed(must, [str, str, str], (p, s, x) => op(compile(p), s, x)),
    ];
  }
  return [
    fixed(name, [str, str], (p, s) => op(mustCompile(p), s, 0)),
    fixed(must, [str, str], (p, s) => op(compile(p), s, 0)),
  ];
}

/** FindAllString's nil for no match: prints as [], marshals to JSON null. */
function nilIfEmpty(list: string[]): GoValue {
  return list.length === 0 ? new GoTyped('[]string', null) : strings(list);
}

/** The regex functions, keyed by template name. */
export function regexFuncs(): [string, GoFunc][] {
  return [
    fixed('regexMatch', [str, str], (p, s) => {
      try {
        return re.goMatch(re.compileGoRegexp(p), s);
      } catch {
        return false; // sprig drops the compile error here
      }
    }),
    fixed('mustRegexMatch', [str, str], (p, s) => re.goMatch(compile(p), s)),
    ...both('regexFindAll', 'rsn', (r, s, n) => nilIfEmpty(re.goFindAll(r, s, Number(n)))),
    ...both('regexFind', 'rs', (r, s) => re.goFindString(r, s)),
    ...both('regexReplaceAll', 'rss', (r, s, x) => re.goReplaceAll(r, s, String(x), false)),
    ...both('regexReplaceAllLiteral', 'rss', (r, s, x) => re.goReplaceAll(r, s, String(x), true)),
    ...both('regexSplit', 'rsn', (r, s, n) =>
      n === 0 ? nilIfEmpty([]) : strings(re.goSplit(r, s, Number(n))),
    ),
    fixed('regexQuoteMeta', [str], re.quoteMeta),
  ];
}
