/** Sprig's strings.go plus the string one-liners of functions.go. */
import { isByteEscape } from '../../gostr.ts';
import { FuncError, GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import {
  any,
  bytesArg,
  fixed,
  goStringFromBytes,
  int,
  isListLike,
  listItems,
  str,
  strings,
  unwrap,
  variadic,
} from './args.ts';
import * as casing from './casing.ts';
import { b32decode, b32encode, b64decode, hexDecode } from './encoding.ts';
import { sprintV, strval } from './strval.ts';
import {
  isPrint,
  isSpace,
  isSeparatorForTitle,
  mapRunes,
  toLower,
  toTitle,
  toUpper,
} from './unicode.ts';

const utf8 = casing.utf8;

/** sprig's strslice: a list's non-nil items as strings; a scalar as a one-item list. */
export function strslice(v: GoValue): string[] {
  if (v === null) return [];
  if (isListLike(v))
    return listItems(v)
      .filter((x) => x !== null)
      .map(strval);
  return [strval(v)];
}

/** strconv.Quote, as fmt's %q prints a string. */
export function goQuote(s: string): string {
  let out = '"';
  const esc: Record<string, string> = {
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
    '\\': '\\\\',
    '"': '\\"',
  };
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const e = esc[ch];
    if (e !== undefined) out += e;
    else if (isByteEscape(c)) out += `\\x${(c & 0xff).toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (isPrint(c)) out += ch;
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** strings.TrimSpace with Go's notion of white space. */
export function trimSpace(s: string): string {
  const cs = Array.from(s);
  const sp = (c: string | undefined): boolean => c !== undefined && isSpace(c.codePointAt(0) ?? 0);
  let a = 0;
  let z = cs.length;
  while (a < z && sp(cs[a])) a++;
  while (z > a && sp(cs[z - 1])) z--;
  return cs.slice(a, z).join('');
}

/** strings.Trim(s, cutset). */
function trimCutset(s: string, cutset: string): string {
  const cut = new Set(Array.from(cutset));
  const cs = Array.from(s);
  let a = 0;
  let z = cs.length;
  while (a < z && cut.has(cs[a] ?? '')) a++;
  while (z > a && cut.has(cs[z - 1] ?? '')) z--;
  return cs.slice(a, z).join('');
}

/** strings.Title: upper-cases the first letter of each word (Go's word boundaries). */
function title(s: string): string {
  let prev = 0x20;
  return mapRunes(s, (c) => {
    const out = isSeparatorForTitle(prev) ? toTitle(c) : c;
    prev = c;
    return out;
  });
}

/** strings.SplitN (n < 0: all). An empty separator splits into runes. */
export function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const rs = Array.from(s);
    if (n < 0 || n >= rs.length) return rs;
    return [...rs.slice(0, n - 1), rs.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/** strings.Replace(s, old, new, -1). */
function replaceAll(s: string, old: string, repl: string): string {
  if (old === '') return repl + Array.from(s).join(repl) + (s === '' ? '' : repl);
  return s.split(old).join(repl);
}

/** split/splitn return Go's map[string]string keyed _0, _1, … */
const indexMap = (parts: string[]): GoValue =>
  new GoTyped('map[string]string', new Map(parts.map((p, i) => [`_${i}`, p])));

function sliceBounds(a: number | '', b: number | '', len: number): FuncError {
  return new FuncError(`runtime error: slice bounds out of range [${a}:${b}] with length ${len}`);
}

/** sprig's substr: byte offsets, and Go's slice panics on bad bounds. */
function substr(start: number, end: number, s: string): string {
  const b = utf8(s);
  const len = b.length;
  if (start < 0) {
    if (end < 0 || end > len) throw sliceBounds('', end, len);
    return goStringFromBytes(b.subarray(0, end));
  }
  if (end < 0 || end > len) {
    if (start > len)
      throw new FuncError(`runtime error: slice bounds out of range [${start}:${len}]`);
    return goStringFromBytes(b.subarray(start));
  }
  if (start > end)
    throw new FuncError(`runtime error: slice bounds out of range [${start}:${end}]`);
  return goStringFromBytes(b.subarray(start, end));
}

function trunc(c: number, s: string): string {
  const b = utf8(s);
  if (c < 0 && b.length + c > 0) return goStringFromBytes(b.subarray(b.length + c));
  if (c >= 0 && b.length > c) return goStringFromBytes(b.subarray(0, c));
  return s;
}

function indent(n: number, s: string): string {
  if (n < 0) throw new FuncError('strings: negative Repeat count');
  const pad = ' '.repeat(n);
  return pad + s.replaceAll('\n', `\n${pad}`);
}

function caseFuncs(): [string, GoFunc][] {
  return [
    fixed('upper', [str], (s) => mapRunes(s, toUpper)),
    fixed('lower', [str], (s) => mapRunes(s, toLower)),
    fixed('title', [str], title),
    fixed('untitle', [str], casing.uncapitalize),
    fixed('swapcase', [str], casing.swapCase),
    fixed('snakecase', [str], (s) => casing.toDelimitedLower(s, '_')),
    fixed('kebabcase', [str], (s) => casing.toDelimitedLower(s, '-')),
    fixed('camelcase', [str], casing.toPascalCase),
    fixed('initials', [str], casing.initials),
    fixed('nospace', [str], casing.deleteWhiteSpace),
  ];
}

function trimFuncs(): [string, GoFunc][] {
  return [
    fixed('trim', [str], trimSpace),
    fixed('trimall', [str, str], (cut, s) => trimCutset(s, cut)),
    fixed('trimAll', [str, str], (cut, s) => trimCutset(s, cut)),
    fixed('trimSuffix', [str, str], (x, s) =>
      x !== '' && s.endsWith(x) ? s.slice(0, -x.length) : s,
    ),
    fixed('trimPrefix', [str, str], (x, s) => (s.startsWith(x) ? s.slice(x.length) : s)),
    fixed('trunc', [int, str], trunc),
    fixed('substr', [int, int, str], substr),
    fixed('abbrev', [int, str], (w, s) => (w < 4 ? s : casing.abbreviateFull(s, 0, w))),
    fixed('abbrevboth', [int, int, str], (l, r, s) =>
      r < 4 || (l > 0 && r < 7) ? s : casing.abbreviateFull(s, l, r),
    ),
  ];
}

function quoteFuncs(): [string, GoFunc][] {
  return [
    variadic('quote', [], any, (vs) =>
      vs
        .filter((v) => v !== null)
        .map((v) => goQuote(strval(v)))
        .join(' '),
    ),
    variadic('squote', [], any, (vs) =>
      vs
        .filter((v) => v !== null)
        .map((v) => `'${sprintV(v)}'`)
        .join(' '),
    ),
    variadic('cat', [], any, (vs) =>
      vs
        .filter((v) => v !== null)
        .map(sprintV)
        .join(' '),
    ),
    fixed('toString', [any], strval),
    fixed('toStrings', [any], (v) => strings(strslice(v))),
    fixed('join', [str, any], (sep, v) => strslice(v).join(sep)),
  ];
}

function splitFuncs(): [string, GoFunc][] {
  return [
    fixed('split', [str, str], (sep, s) => indexMap(splitN(s, sep, -1))),
    fixed('splitList', [str, str], (sep, s) => strings(splitN(s, sep, -1))),
    fixed('splitn', [str, int, str], (sep, n, s) => indexMap(splitN(s, sep, n))),
    fixed('replace', [str, str, str], (o, n, s) => replaceAll(s, o, n)),
    fixed('contains', [str, str], (sub, s) => s.includes(sub)),
    fixed('hasPrefix', [str, str], (p, s) => s.startsWith(p)),
    fixed('hasSuffix', [str, str], (p, s) => s.endsWith(p)),
  ];
}

function encodingFuncs(): [string, GoFunc][] {
  const errText = (f: () => Buffer): GoValue => {
    try {
      return goStringFromBytes(f());
    } catch (e) {
      return (e as Error).message; // sprig returns the error text as the result
    }
  };
  return [
    fixed('b64enc', [bytesArg], (b) => b.toString('base64')),
    fixed('b64dec', [str], (s) => errText(() => b64decode(s))),
    fixed('b32enc', [bytesArg], (b) => b32encode(b)),
    fixed('b32dec', [str], (s) => errText(() => b32decode(s))),
    // ESO's addition to its vendored sprig: hex.DecodeString, error text as the result.
    fixed('hexdec', [str], (s) => errText(() => hexDecode(s))),
  ];
}

/** The string functions, keyed by template name. */
export function stringFuncs(deps: { random: () => number }): [string, GoFunc][] {
  return [
    fixed('hello', [], () => 'Hello!'),
    ...caseFuncs(),
    ...trimFuncs(),
    ...quoteFuncs(),
    ...splitFuncs(),
    ...encodingFuncs(),
    fixed('repeat', [int, str], (n, s) => {
      if (n < 0) throw new FuncError('strings: negative Repeat count');
      return s.repeat(n);
    }),
    fixed('indent', [int, str], indent),
    fixed('nindent', [int, str], (n, s) => `\n${indent(n, s)}`),
    fixed('plural', [str, str, int], (one, many, n) => (n === 1 ? one : many)),
    fixed('wrap', [int, str], (w, s) => casing.wrapCustom(s, w, '', false)),
    fixed('wrapWith', [int, str, str], (w, sep, s) => casing.wrapCustom(s, w, sep, true)),
    fixed('shuffle', [str], (s) => casing.shuffle(s, deps.random)),
    fixed('fail', [str], (msg) => {
      throw new FuncError(msg);
    }),
  ];
}

export { unwrap };
