/**
 * Go string facts the engine needs: strconv.Quote / Unquote / UnquoteChar, unicode.IsPrint,
 * byte-wise ordering and UTF-8 lengths. Go strings are bytes; ours are UTF-16, so these helpers
 * work on code points and count or compare as UTF-8 would.
 *
 * Bytes that are not valid UTF-8 (a `substr` through a multibyte character, `b64dec` of binary
 * data, a `"\xff"` literal) travel inside JS strings as lone low surrogates U+DC80–U+DCFF, one per
 * byte 0x80–0xFF (Python's "surrogateescape"). UTF-8 cannot encode surrogates, so the mapping is
 * lossless: `goStringFromBytes` and `goStringBytes` convert, and the common all-valid case costs
 * one well-formedness check.
 */

const printRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return printRe.test(String.fromCodePoint(cp));
}

/** unicode.IsLetter || unicode.IsDigit || '_' — Go's identifier characters. */
const alnumRe = /^[\p{L}\p{Nd}_]$/u;
export function isAlphaNumeric(cp: number): boolean {
  if (cp < 0x80) {
    return (
      (cp >= 0x30 && cp <= 0x39) ||
      (cp >= 0x41 && cp <= 0x5a) ||
      (cp >= 0x61 && cp <= 0x7a) ||
      cp === 0x5f
    );
  }
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return alnumRe.test(String.fromCodePoint(cp));
}

/** unicode.IsSpace, as bytes.TrimSpace uses it. */
export function isUnicodeSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

/** ES2024's String.prototype.isWellFormed (Node 20 has it; the TS lib target does not). */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

/** Whether UTF-16 unit `c` is the escape of a non-UTF-8 byte (see the module comment). */
export function isByteEscape(c: number): boolean {
  return c >= 0xdc80 && c <= 0xdcff;
}

/** Length of `s` in UTF-8 bytes (Go's len); an escaped byte counts one. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += isByteEscape(c) ? 1 : 3;
  }
  return n;
}

/** The bytes of Go string `s`: UTF-8, with escaped bytes restored (other lone surrogates: U+FFFD). */
export function goStringBytes(s: string): Uint8Array {
  if ((s as unknown as WellFormedCheck).isWellFormed()) return encoder.encode(s);
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    n += encoder.encodeInto(s.slice(from, i), out.subarray(n)).written;
    if (isByteEscape(c)) out[n++] = c & 0xff;
    else n += encoder.encodeInto('\uFFFD', out.subarray(n)).written;
    from = i + 1;
  }
  n += encoder.encodeInto(s.slice(from), out.subarray(n)).written;
  return out.slice(0, n);
}

/**
 * `s` with escaped bytes that together form UTF-8 decoded, so that equal Go strings are equal JS
 * strings. Only concatenation breaks this (`printf "%s%s"` of two halves of "☃").
 */
export function canonicalGoString(s: string): string {
  if ((s as unknown as WellFormedCheck).isWellFormed()) return s;
  return goStringFromBytes(goStringBytes(s));
}

/** The bytes of Go string `s` as a Buffer (no copy beyond the encoding). */
export function goStringBuffer(s: string): Buffer {
  if ((s as unknown as WellFormedCheck).isWellFormed()) return Buffer.from(s, 'utf8');
  const b = goStringBytes(s);
  return Buffer.from(b.buffer, b.byteOffset, b.length);
}

/** `s` as Go's []rune(s) sees it, written back: each byte that is not UTF-8 becomes U+FFFD. */
export function withRuneErrors(s: string): string {
  if ((s as unknown as WellFormedCheck).isWellFormed()) return s;
  return s.replace(/[\udc80-\udcff]/gu, '\ufffd');
}

/** `s` as UTF-8 bytes (Go's []byte(s)); same as goStringBytes. */
export function utf8Encode(s: string): Uint8Array {
  return goStringBytes(s);
}

/** Go's string(b): valid UTF-8 decodes as usual, every other byte becomes its escape. */
export function goStringFromBytes(b: Uint8Array): string {
  try {
    return strictDecoder.decode(b);
  } catch {
    return decodeEscaping(b);
  }
}

/** Same as goStringFromBytes (kept for callers that read bytes as a Go string). */
export function utf8Decode(b: Uint8Array): string {
  return goStringFromBytes(b);
}

function decodeEscaping(b: Uint8Array): string {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < b.length) {
    const lead = b[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const w = validSequenceLength(b, i, lead);
    if (w > 0) {
      i += w;
      continue;
    }
    out += strictDecoder.decode(b.subarray(from, i)) + String.fromCharCode(0xdc00 | lead);
    i++;
    from = i;
  }
  return out + strictDecoder.decode(b.subarray(from));
}

function cont(b: Uint8Array, i: number): boolean {
  const c = b[i];
  return c !== undefined && (c & 0xc0) === 0x80;
}

/** Length of the valid UTF-8 sequence starting at b[i] (Go's rules), or 0. */
function validSequenceLength(b: Uint8Array, i: number, lead: number): number {
  if (lead < 0xc2 || lead > 0xf4 || !cont(b, i + 1)) return 0;
  if (lead < 0xe0) return 2;
  const c1 = b[i + 1] ?? 0;
  if (lead === 0xe0 && c1 < 0xa0) return 0;
  if (lead === 0xed && c1 > 0x9f) return 0;
  if (!cont(b, i + 2)) return 0;
  if (lead < 0xf0) return 3;
  if (lead === 0xf0 && c1 < 0x90) return 0;
  if (lead === 0xf4 && c1 > 0x8f) return 0;
  return cont(b, i + 3) ? 4 : 0;
}

/** Go's string comparison (byte-wise on UTF-8, which is code-point order). */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    if (isByteEscape(x) || isByteEscape(y))
      return compareGoBytes(goStringBytes(a), goStringBytes(b));
    const cx = a.codePointAt(i) ?? x;
    const cy = b.codePointAt(i) ?? y;
    return cx - cy;
  }
  return a.length - b.length;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    out += quoteRune(cp, ch);
  }
  return out + '"';
}

function quoteRune(cp: number, ch: string): string {
  if (cp === 0x22 || cp === 0x5c) return '\\' + ch;
  if (isPrint(cp)) return ch;
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2);
  if (isByteEscape(cp)) return '\\x' + hex(cp & 0xff, 2);
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/** fmt's %#U: `U+0041 'A'`, or just `U+0001` when not printable. */
export function formatRuneU(cp: number): string {
  const u = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(cp) ? `${u} '${String.fromCodePoint(cp)}'` : u;
}

/** Thrown by unquote helpers; Go's strconv.ErrSyntax. */
export class SyntaxError extends Error {
  constructor() {
    super('invalid syntax');
    this.name = 'SyntaxError';
  }
}

export interface UnquotedChar {
  /** The rune or byte value. */
  value: number;
  /** True when `value` is a rune to encode as UTF-8; false for a raw byte (\x, octal). */
  multibyte: boolean;
  /** Rest of the input after the character. */
  tail: string;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

const simpleEscapes: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 0x5c,
};

/** strconv.UnquoteChar. */
export function unquoteChar(s: string, quote: number): UnquotedChar {
  const c = s.codePointAt(0);
  if (c === undefined) throw new SyntaxError();
  if (c === quote && (quote === 0x27 || quote === 0x22)) throw new SyntaxError();
  if (c !== 0x5c) {
    const w = c > 0xffff ? 2 : 1;
    return { value: c, multibyte: c >= 0x80, tail: s.slice(w) };
  }
  if (s.length <= 1) throw new SyntaxError();
  const e = s[1] ?? '';
  const simple = simpleEscapes[e];
  if (simple !== undefined) return { value: simple, multibyte: false, tail: s.slice(2) };
  if (e === 'x' || e === 'u' || e === 'U') return unquoteHex(s, e);
  if (e >= '0' && e <= '7') return unquoteOctal(s);
  if (e === "'" || e === '"') {
    if (e.charCodeAt(0) !== quote) throw new SyntaxError();
    return { value: e.charCodeAt(0), multibyte: false, tail: s.slice(2) };
  }
  throw new SyntaxError();
}

function unquoteHex(s: string, e: string): UnquotedChar {
  const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
  if (s.length < 2 + n) throw new SyntaxError();
  let v = 0;
  for (let j = 0; j < n; j++) {
    const d = hexDigit(s.charCodeAt(2 + j));
    if (d < 0) throw new SyntaxError();
    v = v * 16 + d;
  }
  const tail = s.slice(2 + n);
  if (e === 'x') return { value: v, multibyte: false, tail };
  if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError();
  return { value: v, multibyte: true, tail };
}

function unquoteOctal(s: string): UnquotedChar {
  if (s.length < 4) throw new SyntaxError();
  let v = 0;
  for (let j = 1; j < 4; j++) {
    const d = s.charCodeAt(j) - 0x30;
    if (d < 0 || d > 7) throw new SyntaxError();
    v = v * 8 + d;
  }
  if (v > 255) throw new SyntaxError();
  return { value: v, multibyte: false, tail: s.slice(4) };
}

/** Byte-wise comparison of two Go strings, either of which may be raw bytes. */
export function compareGoBytes(a: string | Uint8Array, b: string | Uint8Array): number {
  if (typeof a === 'string' && typeof b === 'string') return compareGoStrings(a, b);
  const x = typeof a === 'string' ? utf8Encode(a) : a;
  const y = typeof b === 'string' ? utf8Encode(b) : b;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}

/** strconv.Unquote for "…" and `…` literals; escapes such as \\xff that do not form UTF-8 stay bytes. */
export function unquote(lit: string): string {
  const q = lit.charCodeAt(0);
  if (lit.length < 2 || lit.charCodeAt(lit.length - 1) !== q) throw new SyntaxError();
  let inner = lit.slice(1, -1);
  if (q === 0x60) {
    if (inner.includes('`')) throw new SyntaxError();
    return inner.includes('\r') ? inner.replaceAll('\r', '') : inner;
  }
  if (q !== 0x22 && q !== 0x27) throw new SyntaxError();
  if (inner.includes('\n')) throw new SyntaxError();
  if (!inner.includes('\\') && !inner.includes(String.fromCharCode(q))) {
    if (q === 0x22) return inner;
  }
  const bytes: number[] = [];
  while (inner.length > 0) {
    const r = unquoteChar(inner, q);
    inner = r.tail;
    if (r.multibyte || r.value < 0x80) {
      for (const b of utf8Encode(String.fromCodePoint(r.value))) bytes.push(b);
    } else {
      bytes.push(r.value);
    }
    if (q === 0x27 && inner.length > 0) throw new SyntaxError();
  }
  return goStringFromBytes(Uint8Array.from(bytes));
}
