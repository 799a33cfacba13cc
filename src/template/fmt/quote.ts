/** strconv's quoting rules: Quote, QuoteToASCII, QuoteRune, QuoteRuneToASCII, CanBackquote. */
import { decodeRune, RUNE_ERROR, utf8Bytes, validRune } from './utf8.ts';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const HEX = '0123456789abcdef';

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
export function isPrint(r: number): boolean {
  if (r <= 0xff) {
    return (r >= 0x20 && r <= 0x7e) || (r >= 0xa1 && r <= 0xff && r !== 0xad);
  }
  return validRune(r) && PRINTABLE.test(String.fromCodePoint(r));
}

const SIMPLE_ESCAPES = new Map<number, string>([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x0b, '\\v'],
]);

function hexDigits(r: number, n: number): string {
  let s = '';
  for (let shift = (n - 1) * 4; shift >= 0; shift -= 4) s += HEX[(r >>> shift) & 0xf] ?? '';
  return s;
}

function escapeUnprintable(r: number): string {
  const simple = SIMPLE_ESCAPES.get(r);
  if (simple !== undefined) return simple;
  if (r < 0x20 || r === 0x7f) return '\\x' + hexDigits(r, 2);
  const v = validRune(r) ? r : RUNE_ERROR;
  return v < 0x10000 ? '\\u' + hexDigits(v, 4) : '\\U' + hexDigits(v, 8);
}

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCodePoint(r);
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return String.fromCodePoint(r);
  return escapeUnprintable(r);
}

/** Quotes UTF-8 bytes with Go escapes; invalid bytes become \xNN. */
export function quoteBytes(b: Uint8Array, asciiOnly = false): string {
  let out = '"';
  for (let i = 0; i < b.length;) {
    const { rune, width } = decodeRune(b, i);
    out +=
      width === 1 && rune === RUNE_ERROR
        ? '\\x' + hexDigits(b[i] ?? 0, 2)
        : escapeRune(rune, 0x22, asciiOnly);
    i += width;
  }
  return out + '"';
}

/** strconv.Quote. */
export function quote(s: string): string {
  return quoteBytes(utf8Bytes(s));
}

/** strconv.QuoteToASCII. */
export function quoteToASCII(s: string): string {
  return quoteBytes(utf8Bytes(s), true);
}

/** strconv.QuoteRune (and QuoteRuneToASCII with asciiOnly). */
export function quoteRune(r: number, asciiOnly = false): string {
  const v = validRune(r) ? r : RUNE_ERROR;
  return "'" + escapeRune(v, 0x27, asciiOnly) + "'";
}

/** strconv.CanBackquote on UTF-8 bytes. */
export function canBackquoteBytes(b: Uint8Array): boolean {
  for (let i = 0; i < b.length;) {
    const { rune, width } = decodeRune(b, i);
    i += width;
    if (width > 1) {
      if (rune === 0xfeff) return false;
      continue;
    }
    if (rune === RUNE_ERROR || (rune < 0x20 && rune !== 0x09) || rune === 0x60 || rune === 0x7f) {
      return false;
    }
  }
  return true;
}
