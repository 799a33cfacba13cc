/**
 * Go's `time.ParseDuration` and `Duration.String`, byte for byte: the same grammar, the same
 * int64-nanosecond overflow limits and the same error texts, so a manifest Ferry accepts is one
 * ESO accepts.
 */

const NS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_U = 1n << 63n;

/** A duration string that Go's time.ParseDuration rejects; the message is Go's. */
export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

const HEX = '0123456789abcdef';

/** Go's time.quote: ASCII printable kept, anything else as \x escapes of its UTF-8 bytes. */
function goQuote(s: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(s)) {
    if (byte >= 0x80 || byte < 0x20) {
      out += `\\x${HEX[byte >> 4] ?? ''}${HEX[byte & 15] ?? ''}`;
    } else {
      const c = String.fromCharCode(byte);
      out += c === '"' || c === '\\' ? `\\${c}` : c;
    }
  }
  return `${out}"`;
}

function fail(message: string, orig: string): never {
  throw new DurationError(`time: ${message} ${goQuote(orig)}`);
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

interface Cursor {
  bytes: Uint8Array;
  pos: number;
}

/** Consumes [0-9]*; undefined on overflow (Go's errLeadingInt). */
function leadingInt(c: Cursor): bigint | undefined {
  let x = 0n;
  while (isDigit(c.bytes[c.pos])) {
    if (x > MAX_U / 10n) return undefined;
    x = x * 10n + BigInt((c.bytes[c.pos] ?? 0) - 0x30);
    if (x > MAX_U) return undefined;
    c.pos++;
  }
  return x;
}

/** Consumes [0-9]* after a dot; stops gaining precision on overflow, as Go does. */
function leadingFraction(c: Cursor): { f: bigint; scale: number } {
  let f = 0n;
  let scale = 1;
  let overflow = false;
  while (isDigit(c.bytes[c.pos])) {
    const digit = BigInt((c.bytes[c.pos] ?? 0) - 0x30);
    c.pos++;
    if (overflow) continue;
    if (f > (MAX_U - 1n) / 10n) {
      overflow = true;
      continue;
    }
    const y = f * 10n + digit;
    if (y > MAX_U) {
      overflow = true;
      continue;
    }
    f = y;
    scale *= 10;
  }
  return { f, scale };
}

interface Number_ {
  v: bigint;
  f: bigint;
  scale: number;
}

/** Consumes `[0-9]*(\.[0-9]*)?`, which must hold at least one digit. */
function parseNumber(c: Cursor, orig: string): Number_ {
  const first = c.bytes[c.pos];
  if (!(first === 0x2e || isDigit(first))) fail('invalid duration', orig);
  const start = c.pos;
  const v = leadingInt(c);
  if (v === undefined) fail('invalid duration', orig);
  const pre = c.pos !== start;
  if (c.bytes[c.pos] !== 0x2e) {
    if (!pre) fail('invalid duration', orig);
    return { v, f: 0n, scale: 1 };
  }
  c.pos++;
  const fracStart = c.pos;
  const { f, scale } = leadingFraction(c);
  if (!pre && c.pos === fracStart) fail('invalid duration', orig); // no digits, e.g. ".s"
  return { v, f, scale };
}

/** Consumes a unit: everything up to the next digit or dot. */
function parseUnit(c: Cursor, orig: string): bigint {
  const unitStart = c.pos;
  while (c.pos < c.bytes.length && !(c.bytes[c.pos] === 0x2e || isDigit(c.bytes[c.pos]))) c.pos++;
  if (c.pos === unitStart) fail('missing unit in duration', orig);
  const unitText = new TextDecoder().decode(c.bytes.subarray(unitStart, c.pos));
  const unit = NS_PER_UNIT[unitText];
  if (unit === undefined) fail(`unknown unit ${goQuote(unitText)} in duration`, orig);
  return unit;
}

/** Parses one `<number><unit>` group and returns its value in nanoseconds. */
function parseGroup(c: Cursor, orig: string): bigint {
  const { v, f, scale } = parseNumber(c, orig);
  const unit = parseUnit(c, orig);
  if (v > MAX_U / unit) fail('invalid duration', orig);
  let total = v * unit;
  if (f > 0n) {
    // Go multiplies in float64 here; doing the same keeps sub-nanosecond rounding identical.
    total += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
    if (total > MAX_U) fail('invalid duration', orig);
  }
  return total;
}

/** Go's time.ParseDuration, in nanoseconds. Throws DurationError with Go's message. */
export function parseGoDurationNs(s: string): bigint {
  const bytes = new TextEncoder().encode(s);
  const c: Cursor = { bytes, pos: 0 };
  let neg = false;
  if (bytes[0] === 0x2d || bytes[0] === 0x2b) {
    neg = bytes[0] === 0x2d;
    c.pos = 1;
  }
  const rest = s.slice(c.pos);
  if (rest === '0') return 0n;
  if (rest === '') fail('invalid duration', s);
  let d = 0n;
  while (c.pos < bytes.length) {
    d += parseGroup(c, s);
    if (d > MAX_U) fail('invalid duration', s);
  }
  if (neg) return -d;
  if (d > MAX_U - 1n) fail('invalid duration', s);
  return d;
}

/** Go's time.ParseDuration, in milliseconds (fractional below 1 ms). */
export function parseGoDuration(s: string): number {
  return Number(parseGoDurationNs(s)) / 1e6;
}

/** Whether `s` is a valid Go duration string. */
export function isGoDuration(s: string): boolean {
  try {
    parseGoDurationNs(s);
    return true;
  } catch {
    return false;
  }
}

function fmtFrac(v: bigint, prec: number): { text: string; rest: bigint } {
  let text = '';
  let printed = false;
  let rest = v;
  for (let i = 0; i < prec; i++) {
    const digit = rest % 10n;
    printed = printed || digit !== 0n;
    if (printed) text = `${digit}${text}`;
    rest /= 10n;
  }
  return { text: printed ? `.${text}` : '', rest };
}

function formatSmall(u: bigint): string {
  if (u < 1_000n) return `${u}ns`;
  if (u < 1_000_000n) {
    const { text, rest } = fmtFrac(u, 3);
    return `${rest}${text}µs`;
  }
  const { text, rest } = fmtFrac(u, 6);
  return `${rest}${text}ms`;
}

/** Go's Duration.String for a duration in nanoseconds, e.g. 5400000000000n → "1h30m0s". */
export function formatGoDurationNs(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    out = formatSmall(u);
  } else {
    const { text, rest } = fmtFrac(u, 9);
    const secs = rest % 60n;
    const mins = rest / 60n;
    out = `${secs}${text}s`;
    if (mins > 0n) {
      out = `${mins % 60n}m${out}`;
      const hours = mins / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Go's Duration.String for a duration in milliseconds (rounded to the nanosecond). */
export function formatGoDuration(ms: number): string {
  return formatGoDurationNs(BigInt(Math.round(ms * 1e6)));
}
