/** The few predicates of Go's `unicode` package that sprig's string helpers depend on. */

/** unicode.IsSpace. */
export function isSpace(c: number): boolean {
  if (c < 0x100) {
    return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  }
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const re = {
  upper: /^\p{Lu}$/u,
  lower: /^\p{Ll}$/u,
  title: /^\p{Lt}$/u,
  letter: /^\p{L}$/u,
  number: /^\p{N}$/u,
  digit: /^\p{Nd}$/u,
  punct: /^\p{P}$/u,
  print: /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u,
};

const ch = (c: number): string => String.fromCodePoint(c);
export const isUpper = (c: number): boolean => re.upper.test(ch(c));
export const isLower = (c: number): boolean => re.lower.test(ch(c));
export const isTitle = (c: number): boolean => re.title.test(ch(c));
export const isLetter = (c: number): boolean => re.letter.test(ch(c));
export const isNumber = (c: number): boolean => re.number.test(ch(c));
export const isDigit = (c: number): boolean => re.digit.test(ch(c));
export const isPunct = (c: number): boolean => re.punct.test(ch(c));
/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export const isPrint = (c: number): boolean => re.print.test(ch(c));

/** Applies a JS case mapping to one rune, keeping it when the mapping is not one rune (ß→SS). */
function mapRune(c: number, f: (s: string) => string): number {
  const m = Array.from(f(ch(c)));
  return m.length === 1 ? (m[0]?.codePointAt(0) ?? c) : c;
}

/** unicode.ToUpper. */
export const toUpper = (c: number): number => mapRune(c, (s) => s.toUpperCase());
/** unicode.ToLower (İ maps to i, as in Go's simple mapping). */
export const toLower = (c: number): number =>
  c === 0x130 ? 0x69 : mapRune(c, (s) => s.toLowerCase());
/** unicode.ToTitle: the title-case forms of the four digraphs, otherwise upper case. */
export function toTitle(c: number): number {
  const digraphs: Record<number, number> = {
    0x1c4: 0x1c5,
    0x1c5: 0x1c5,
    0x1c6: 0x1c5,
    0x1c7: 0x1c8,
    0x1c8: 0x1c8,
    0x1c9: 0x1c8,
    0x1ca: 0x1cb,
    0x1cb: 0x1cb,
    0x1cc: 0x1cb,
    0x1f1: 0x1f2,
    0x1f2: 0x1f2,
    0x1f3: 0x1f2,
  };
  return digraphs[c] ?? toUpper(c);
}

/** Maps every rune of `s`. */
export function mapRunes(s: string, f: (c: number) => number): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    // strings.Map sees a byte that is not UTF-8 as RuneError and writes U+FFFD.
    out += String.fromCodePoint(f(cp >= 0xdc80 && cp <= 0xdcff ? 0xfffd : cp));
  }
  return out;
}

/** strings.Title's word boundary test (isSeparator in Go's strings package). */
export function isSeparatorForTitle(c: number): boolean {
  if (c <= 0x7f) {
    const ch = String.fromCharCode(c);
    return !/[0-9A-Za-z_]/.test(ch);
  }
  if (isLetter(c) || isDigit(c)) return false;
  return isSpace(c);
}
