/** The raw formatter of Go's fmt (format.go): flags, width, precision, padding, numbers, strings. */
import { formatFloat } from './ftoa.ts';
import { canBackquoteBytes, isPrint, quoteBytes, quoteRune } from './quote.ts';
import {
  bytesToString,
  byteRuneCount,
  decodeRune,
  MAX_RUNE,
  RUNE_ERROR,
  runeCount,
  runeToString,
  utf8Bytes,
} from './utf8.ts';

/** Go's uint64 view of an integer, as fmt sees it for %c %q %U. */
export function asUint64(v: bigint): bigint {
  return v < 0n ? BigInt.asUintN(64, v) : v;
}

export class Formatter {
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;

  constructor(private readonly buf: string[]) {}

  clearFlags(): void {
    this.widPresent = this.precPresent = this.minus = this.plus = false;
    this.sharp = this.space = this.zero = this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
  }

  write(s: string): void {
    this.buf.push(s);
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf.push((this.zero && !this.minus ? '0' : ' ').repeat(n));
  }

  /** Writes s padded to the width; `runes` overrides its rune count (for raw bytes). */
  padString(s: string, runes?: number): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf.push(s);
      return;
    }
    const width = this.wid - (runes ?? runeCount(s));
    if (!this.minus) {
      this.writePadding(width);
      this.buf.push(s);
    } else {
      this.buf.push(s);
      this.writePadding(width);
    }
  }

  /** pad with the zero flag off (numbers already zero-padded, %U, %c, ...). */
  padNoZero(s: string): void {
    const zero = this.zero;
    this.zero = false;
    this.padString(s);
    this.zero = zero;
  }

  fmtBoolean(v: boolean): void {
    this.padString(v ? 'true' : 'false');
  }

  fmtUnicode(value: bigint): void {
    const u = asUint64(value);
    const prec = this.precPresent && this.prec > 4 ? this.prec : 4;
    let s = 'U+' + u.toString(16).toUpperCase().padStart(prec, '0');
    if (this.sharp && u <= BigInt(MAX_RUNE) && isPrint(Number(u))) {
      s += " '" + String.fromCodePoint(Number(u)) + "'";
    }
    this.padNoZero(s);
  }

  private integerPrecision(negative: boolean): number {
    if (this.precPresent) return this.prec;
    if (this.zero && !this.minus && this.widPresent) {
      return negative || this.plus || this.space ? this.wid - 1 : this.wid;
    }
    return 0;
  }

  private integerPrefix(s: string, base: number, upper: boolean): string {
    if (!this.sharp) return s;
    if (base === 2) return '0b' + s;
    if (base === 8) return s.startsWith('0') ? s : '0' + s;
    if (base === 16) return (upper ? '0X' : '0x') + s;
    return s;
  }

  private sign(negative: boolean): string {
    if (negative) return '-';
    if (this.plus) return '+';
    return this.space ? ' ' : '';
  }

  /** Formats a signed or unsigned integer in base 2, 8, 10 or 16. */
  fmtInteger(v: bigint, base: number, isSigned: boolean, verb: string, upper = false): void {
    const negative = isSigned && v < 0n;
    const u = negative ? -v : asUint64(v);
    if (this.precPresent && this.prec === 0 && u === 0n) {
      const zero = this.zero;
      this.zero = false;
      this.writePadding(this.wid);
      this.zero = zero;
      return;
    }
    let s = u.toString(base);
    if (upper) s = s.toUpperCase();
    s = s.padStart(this.integerPrecision(negative), '0');
    s = this.integerPrefix(s, base, upper);
    if (verb === 'O') s = '0o' + s;
    this.padNoZero(this.sign(negative) + s);
  }

  /** Formats v as lowercase hex with or without 0x, whatever the sharp flag says. */
  fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtInteger(v, 16, false, 'v');
    this.sharp = sharp;
  }

  truncateString(s: string): string {
    if (!this.precPresent) return s;
    let n = this.prec;
    for (let i = 0; i < s.length;) {
      if (--n < 0) return s.slice(0, i);
      i += (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    }
    return s;
  }

  truncateBytes(b: Uint8Array): Uint8Array {
    if (!this.precPresent) return b;
    let n = this.prec;
    for (let i = 0; i < b.length;) {
      if (--n < 0) return b.subarray(0, i);
      i += decodeRune(b, i).width;
    }
    return b;
  }

  fmtS(s: string): void {
    this.padString(this.truncateString(s));
  }

  fmtBs(b: Uint8Array): void {
    const t = this.truncateBytes(b);
    this.padString(bytesToString(t), byteRuneCount(t));
  }

  /** Hex encoding of bytes, honouring the precision (in bytes), # and space flags. */
  fmtSbx(b: Uint8Array, upper: boolean): void {
    const length = this.precPresent && this.prec < b.length ? this.prec : b.length;
    if (length <= 0) {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    const s = this.hexBytes(b.subarray(0, length), upper);
    const pad = this.widPresent && this.wid > s.length ? this.wid - s.length : 0;
    if (!this.minus) this.writePadding(pad);
    this.buf.push(s);
    if (this.minus) this.writePadding(pad);
  }

  /** "0x" once with #, before every byte with "# " (space flag), bytes spaced with " ". */
  private hexBytes(b: Uint8Array, upper: boolean): string {
    const prefix = upper ? '0X' : '0x';
    let hex = Buffer.from(b).toString('hex');
    if (upper) hex = hex.toUpperCase();
    if (!this.space) return (this.sharp ? prefix : '') + hex;
    const pairs = hex.match(/../g) ?? [];
    return pairs.map((h) => (this.sharp ? prefix + h : h)).join(' ');
  }

  fmtSx(s: string, upper: boolean): void {
    this.fmtSbx(utf8Bytes(s), upper);
  }

  /** %q: a double-quoted Go string, or a raw string with # when possible. */
  fmtQ(b: Uint8Array): void {
    const t = this.truncateBytes(b);
    if (this.sharp && canBackquoteBytes(t)) {
      this.padString('`' + bytesToString(t) + '`');
      return;
    }
    this.padString(quoteBytes(t, this.plus));
  }

  private static rune(c: bigint): number {
    const u = asUint64(c);
    return u > BigInt(MAX_RUNE) ? RUNE_ERROR : Number(u);
  }

  fmtC(c: bigint): void {
    this.padString(runeToString(Formatter.rune(c)));
  }

  fmtQc(c: bigint): void {
    this.padString(quoteRune(Formatter.rune(c), this.plus));
  }

  /** Formats a float with strconv's verb and default precision, then Go's sign/# rules. */
  fmtFloat(v: number, bits: 32 | 64, verb: string, defaultPrec: number): void {
    const prec = this.precPresent ? this.prec : defaultPrec;
    let num = this.withSign(formatFloat(v, verb, prec, bits));
    if (num[1] === 'I' || num[1] === 'N') {
      // Infinities and NaN are not padded with zeros; NaN shows a sign only when asked.
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.padNoZero(num);
      return;
    }
    if (this.sharp && verb !== 'b') num = sharpFloat(num, verb, prec);
    this.writeSignedNumber(num);
  }

  /** A leading sign character: '-', '+', or ' ' for the space flag. */
  private withSign(formatted: string): string {
    const num =
      formatted.startsWith('-') || formatted.startsWith('+') ? formatted : '+' + formatted;
    return this.space && num.startsWith('+') && !this.plus ? ' ' + num.slice(1) : num;
  }

  /** Writes a number whose first char is its sign, zero padding after the sign. */
  private writeSignedNumber(num: string): void {
    if (!this.plus && num.startsWith('+')) {
      this.padString(num.slice(1));
      return;
    }
    if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
      this.buf.push(num.slice(0, 1));
      this.writePadding(this.wid - num.length);
      this.buf.push(num.slice(1));
      return;
    }
    this.padString(num);
  }
}

/** Significant digits %#g and %#v keep (Go counts them the same way for %#x). */
function sharpDigits(verb: string, prec: number): number {
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') return prec === -1 ? 6 : prec;
  return 0;
}

/** Where the exponent starts ("e" for decimal verbs, "p" always), or -1. */
function exponentStart(num: string, verb: string): number {
  const hex = verb === 'x' || verb === 'X';
  for (let i = 1; i < num.length; i++) {
    const c = num[i];
    if (c === 'p' || c === 'P' || (!hex && (c === 'e' || c === 'E'))) return i;
  }
  return -1;
}

/** The # flag on floats: always a decimal point, and %g keeps its trailing zeros. */
function sharpFloat(signed: string, verb: string, prec: number): string {
  const at = exponentStart(signed, verb);
  let num = at < 0 ? signed : signed.slice(0, at);
  const tail = at < 0 ? '' : signed.slice(at);
  let digits = sharpDigits(verb, prec);
  // Count significant digits after the first non-zero one ('.' excluded, like Go).
  const body = num.slice(1).replace('.', '');
  const firstNonZero = body.search(/[^0]/);
  if (firstNonZero >= 0) digits -= body.length - firstNonZero;
  if (!num.includes('.')) {
    if (num.length === 2 && num[1] === '0') digits--;
    num += '.';
  }
  return num + '0'.repeat(Math.max(0, digits)) + tail;
}
