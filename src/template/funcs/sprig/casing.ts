/**
 * huandu/xstrings v1.5 case conversion (snakecase, kebabcase, camelcase → ToPascalCase,
 * shuffle) and Masterminds/goutils word helpers (swapcase, untitle, initials, nospace, wrap,
 * abbreviate). Several goutils helpers walk bytes, not runes: kept, since sprig users see it.
 */
import { goStringBuffer, goStringFromBytes, isByteEscape, withRuneErrors } from '../../gostr.ts';
import { isLetter, isLower, isNumber, isPunct, isSpace, isTitle, isUpper } from './unicode.ts';
import { toLower, toTitle, toUpper } from './unicode.ts';

const RUNE_ERROR = 0xfffd;
/** Runes of s as Go's range over a string yields them: a byte that is not UTF-8 is RuneError. */
const cps = (s: string): number[] =>
  Array.from(s, (c) => {
    const cp = c.codePointAt(0) ?? 0;
    return isByteEscape(cp) ? RUNE_ERROR : cp;
  });
const fromCps = (cs: number[]): string => String.fromCodePoint(...cs);
/** Code points with escaped bytes kept, for xstrings code that copies byte spans unchanged. */
const rawCps = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0) ?? 0);
/** What utf8.DecodeRune reports as RuneError: U+FFFD itself or a byte that is not UTF-8. */
const isInvalid = (r: number): boolean => r === RUNE_ERROR || isByteEscape(r);

const isConnector = (r: number): boolean => r === 0x2d || r === 0x5f || isSpace(r);

/** xstrings' isAlphabet: a letter that is not a CJK ideograph. */
function isAlphabet(r: number): boolean {
  if (!isLetter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  return !(r >= 0x20000 && r <= 0x2b81d);
}

/** xstrings.ToPascalCase (sprig's camelcase). */
export function toPascalCase(s: string): string {
  const cs = cps(s);
  if (cs.length === 0) return '';
  const out: number[] = [];
  let i = 0;
  let r0 = 0;
  let firstUpper = false;
  while (i < cs.length) {
    r0 = cs[i++] ?? 0;
    if (!isConnector(r0)) {
      firstUpper = isUpper(r0);
      r0 = toUpper(r0);
      break;
    }
    out.push(r0);
  }
  if (i >= cs.length) {
    out.push(r0); // Go writes the last rune again, so "_" becomes "__"
    return fromCps(out);
  }
  while (i < cs.length) {
    const r1 = r0;
    r0 = cs[i++] ?? 0;
    if (isConnector(r0) && isConnector(r1)) {
      out.push(r1);
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpper(r0);
      r0 = toUpper(r0);
    } else {
      if (firstUpper) {
        if (isUpper(r0)) r0 = toLower(r0);
        else firstUpper = false;
      }
      out.push(r1);
    }
  }
  out.push(r0);
  return fromCps(out);
}

const W = { invalid: 0, number: 1, upper: 2, alphabet: 3, connector: 4, punct: 5, other: 6 };

interface Word {
  wt: number;
  word: number[];
  rest: number; // index where the remaining input starts
}

/** The next valid rune at i (U+FFFD counts as an invalid byte and is skipped), and its span. */
function nextValid(cs: number[], i: number, prev: number): [number, number] {
  let size = 0;
  for (let j = i; j < cs.length; j++) {
    size++;
    const r = cs[j] ?? 0;
    if (!isInvalid(r)) return [r, size];
  }
  return [prev, size];
}

function scanWhile(cs: number[], at: number, r0: number, ok: (r: number) => boolean): number {
  let i = at;
  let r = r0;
  while (i < cs.length) {
    const [n, size] = nextValid(cs, i, r);
    r = n;
    if (!ok(r)) break;
    i += size;
  }
  return i;
}

function upperWord(cs: number[], start: number, first: number): number {
  let i = start;
  if (i >= cs.length) return i;
  const [r, size] = nextValid(cs, i, first);
  if (isUpper(r)) {
    let prevSize = size;
    i += size;
    let last = r;
    while (i < cs.length) {
      const [n, sz] = nextValid(cs, i, last);
      last = n;
      if (!isUpper(n)) break;
      prevSize = sz;
      i += sz;
    }
    if (i < cs.length && isAlphabet(last)) i -= prevSize;
    return i;
  }
  if (isAlphabet(r)) return scanWhile(cs, i + size, r, (x) => isAlphabet(x) && !isUpper(x));
  return i;
}

function nextWord(cs: number[], start: number): Word {
  if (start >= cs.length) return { wt: W.invalid, word: [], rest: start };
  const [r, size] = nextValid(cs, start, RUNE_ERROR);
  const i = start + size;
  let end: number;
  let wt: number;
  if (isInvalid(r)) [wt, end] = [W.invalid, i];
  else if (isConnector(r)) [wt, end] = [W.connector, scanWhile(cs, i, r, isConnector)];
  else if (isPunct(r)) [wt, end] = [W.punct, scanWhile(cs, i, r, isPunct)];
  else if (isUpper(r)) [wt, end] = [W.upper, upperWord(cs, i, r)];
  else if (isAlphabet(r)) {
    [wt, end] = [W.alphabet, scanWhile(cs, i, r, (x) => isAlphabet(x) && !isUpper(x))];
  } else if (isNumber(r)) [wt, end] = [W.number, scanWhile(cs, i, r, isNumber)];
  else {
    const other = (x: number): boolean =>
      !(isConnector(x) || isAlphabet(x) || isNumber(x) || isPunct(x));
    [wt, end] = [W.other, scanWhile(cs, i, r, other)];
  }
  return { wt, word: cs.slice(start, end), rest: end };
}

function lowerWord(out: number[], w: Pick<Word, 'wt' | 'word'>, connector: number): void {
  if (w.wt !== W.upper && w.wt !== W.connector) {
    out.push(...w.word);
    return;
  }
  for (const r of w.word) {
    // Go re-encodes these words rune by rune: a byte that is not UTF-8 becomes U+FFFD.
    const c = isByteEscape(r) ? RUNE_ERROR : r;
    out.push(isConnector(c) ? connector : isUpper(c) ? toLower(c) : c);
  }
}

/** xstrings' camelCaseToLowerCase, behind ToSnakeCase ('_') and ToKebabCase ('-'). */
export function toDelimitedLower(s: string, connectorChar: string): string {
  const cs = rawCps(s);
  if (cs.length === 0) return '';
  const conn = connectorChar.codePointAt(0) ?? 0x5f;
  const out: number[] = [];
  let w = nextWord(cs, 0);
  const more = (): boolean => w.rest < cs.length;
  const advance = (): void => {
    w = nextWord(cs, w.rest);
  };
  const sepUnless = (...types: number[]): void => {
    if (!types.includes(w.wt)) out.push(conn);
  };
  while (more()) {
    if (w.wt !== W.connector) lowerWord(out, w, conn);
    const prev = w;
    advance();
    if (prev.wt === W.number) {
      while (w.wt === W.alphabet || w.wt === W.number) {
        lowerWord(out, w, conn);
        advance();
      }
      sepUnless(W.invalid, W.punct, W.connector);
    } else if (prev.wt === W.connector) {
      lowerWord(out, prev, conn);
    } else if (prev.wt !== W.punct) {
      if (w.wt !== W.number) {
        sepUnless(W.connector, W.punct);
        continue;
      }
      if (!more()) continue;
      const last = w.word;
      advance();
      if (w.wt !== W.alphabet) {
        lowerWord(out, { wt: W.number, word: last }, conn);
        sepUnless(W.connector, W.punct);
        continue;
      }
      out.push(conn);
      lowerWord(out, { wt: W.number, word: last }, conn);
      while (w.wt === W.alphabet || w.wt === W.number) {
        lowerWord(out, w, conn);
        advance();
      }
      sepUnless(W.invalid, W.connector, W.punct);
    }
  }
  lowerWord(out, w, conn);
  return fromCps(out);
}

/** goutils.SwapCase: the first lower-case letter after white space becomes title case. */
export function swapCase(s: string): string {
  let whitespace = true;
  const out: number[] = [];
  for (const r of cps(s)) {
    if (isUpper(r) || isTitle(r)) {
      out.push(toLower(r));
      whitespace = false;
    } else if (isLower(r)) {
      out.push(whitespace ? toTitle(r) : toUpper(r));
      whitespace = false;
    } else {
      out.push(r);
      whitespace = isSpace(r);
    }
  }
  return fromCps(out);
}

/** goutils.Uncapitalize: lower-cases the first rune of every white-space separated word. */
export function uncapitalize(s: string): string {
  let next = true;
  return fromCps(
    cps(s).map((r) => {
      if (isSpace(r)) {
        next = true;
        return r;
      }
      if (!next) return r;
      next = false;
      return toLower(r);
    }),
  );
}

/** The UTF-8 bytes of s. */
export const utf8 = (s: string): Buffer => goStringBuffer(s);

/** goutils.Initials: walks bytes, so a multi-byte first letter comes out as its lead byte. */
export function initials(s: string): string {
  let out = '';
  let gap = true;
  for (const b of utf8(s)) {
    if (isSpace(b)) gap = true;
    else if (gap) {
      out += String.fromCharCode(b);
      gap = false;
    }
  }
  return out;
}

/** goutils.DeleteWhiteSpace: byte-wise too; untouched when no white-space byte is found. */
export function deleteWhiteSpace(s: string): string {
  const bytes = utf8(s);
  const kept = [...bytes].filter((b) => !isSpace(b));
  if (kept.length === bytes.length) return s;
  return kept.map((b) => String.fromCharCode(b)).join('');
}

/** goutils.WrapCustom over bytes (ASCII text is what it handles well). */
export function wrapCustom(s: string, width: number, nl: string, wrapLong: boolean): string {
  if (s === '') return '';
  const sep = nl === '' ? '\n' : nl;
  const w = Math.max(width, 1);
  const b = utf8(s);
  const sub = (a: number, z: number): string => goStringFromBytes(b.subarray(a, z));
  let off = 0;
  let out = '';
  while (b.length - off > w) {
    if (b[off] === 0x20) {
      off++;
      continue;
    }
    const at = b.subarray(off, w + off + 1).lastIndexOf(0x20) + off;
    if (at >= off) {
      out += sub(off, at) + sep;
      off = at + 1;
    } else if (wrapLong) {
      out += sub(off, w + off) + sep;
      off += w;
    } else {
      const idx = b.indexOf(0x20, w + off);
      if (idx === -1) {
        out += sub(off, b.length);
        off = b.length;
      } else {
        out += sub(off, idx) + sep;
        off = idx + 1;
      }
    }
  }
  return out + sub(off, b.length);
}

/** goutils.AbbreviateFull (byte offsets); "" where goutils returns an error. */
export function abbreviateFull(s: string, offset: number, maxWidth: number): string {
  if (s === '') return '';
  if (maxWidth < 4) return '';
  const b = utf8(s);
  const len = b.length;
  if (len <= maxWidth) return s;
  const sub = (a: number, z: number): string => goStringFromBytes(b.subarray(a, z));
  let off = Math.min(offset, len);
  if (len - off < maxWidth - 3) off = len - (maxWidth - 3);
  if (off <= 4) return `${sub(0, maxWidth - 3)}...`;
  if (maxWidth < 7) return '';
  if (off + maxWidth - 3 < len) return `...${abbreviateFull(sub(off, len), 0, maxWidth - 3)}`;
  return `...${sub(len - (maxWidth - 3), len)}`;
}

/** xstrings.Shuffle (Fisher–Yates over runes) with an injected random source. */
export function shuffle(s: string, random: () => number): string {
  const rs = Array.from(withRuneErrors(s));
  for (let i = rs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rs[i], rs[j]] = [rs[j] ?? '', rs[i] ?? ''];
  }
  return rs.join('');
}
