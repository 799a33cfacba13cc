/**
 * strconv.FormatFloat: shortest digits come from JS (which also prints the shortest round-trip
 * digits); fixed precision is rounded half-to-even from the exact binary value, as Go does.
 */

/** A decimal digit string d with the decimal point dp digits from its start (0.d × 10^dp). */
interface Decimal {
  d: string;
  dp: number;
}

interface FloatBits {
  neg: boolean;
  mant: bigint;
  /** Binary exponent after bias, before removing the mantissa bits (Go's `exp`). */
  exp: number;
  mantBits: number;
  special?: string;
}

function floatBits(v: number, bitSize: 32 | 64): FloatBits {
  const view = new DataView(new ArrayBuffer(8));
  let bits: bigint;
  let mantBits: number;
  let expBits: number;
  let bias: number;
  if (bitSize === 32) {
    view.setFloat32(0, v);
    bits = BigInt(view.getUint32(0));
    [mantBits, expBits, bias] = [23, 8, -127];
  } else {
    view.setFloat64(0, v);
    bits = view.getBigUint64(0);
    [mantBits, expBits, bias] = [52, 11, -1023];
  }
  const neg = bits >> BigInt(expBits + mantBits) !== 0n;
  let exp = Number((bits >> BigInt(mantBits)) & ((1n << BigInt(expBits)) - 1n));
  let mant = bits & ((1n << BigInt(mantBits)) - 1n);
  if (exp === (1 << expBits) - 1) {
    const special = mant !== 0n ? 'NaN' : neg ? '-Inf' : '+Inf';
    return { neg, mant, exp, mantBits, special };
  }
  if (exp === 0) exp++;
  else mant |= 1n << BigInt(mantBits);
  return { neg, mant, exp: exp + bias, mantBits };
}

function trimZeros(d: Decimal): Decimal {
  const t = d.d.replace(/0+$/, '');
  return t === '' ? { d: '', dp: 0 } : { d: t, dp: d.dp };
}

/** The exact decimal expansion of mant × 2^e. */
function exactDecimal(mant: bigint, e: number): Decimal {
  if (mant === 0n) return { d: '', dp: 0 };
  if (e >= 0) {
    const s = (mant << BigInt(e)).toString();
    return trimZeros({ d: s, dp: s.length });
  }
  const s = (mant * 5n ** BigInt(-e)).toString();
  return trimZeros({ d: s, dp: s.length + e });
}

/** Shortest round-trip digits. */
function shortestDecimal(v: number, bitSize: 32 | 64): Decimal {
  const a = Math.abs(v);
  if (a === 0) return { d: '', dp: 0 };
  let s = a.toExponential();
  if (bitSize === 32) {
    for (let p = 0; p < 9; p++) {
      const c = a.toExponential(p);
      if (Math.fround(Number(c)) === a) {
        s = c;
        break;
      }
    }
  }
  const [mantissa = '', expPart = '0'] = s.split('e');
  return trimZeros({ d: mantissa.replace('.', ''), dp: Number(expPart) + 1 });
}

function roundUp(d: Decimal, nd: number): Decimal {
  for (let i = nd - 1; i >= 0; i--) {
    const c = d.d.charCodeAt(i);
    if (c < 0x39) return { d: d.d.slice(0, i) + String.fromCharCode(c + 1), dp: d.dp };
  }
  return { d: '1', dp: d.dp + 1 };
}

/** Go's decimal.Round: half to even on exact ties. */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.d.length) return d;
  const c = d.d[nd];
  let up = c !== undefined && c >= '5';
  if (c === '5' && nd + 1 === d.d.length) {
    up = nd > 0 && (d.d.charCodeAt(nd - 1) - 0x30) % 2 === 1;
  }
  return up ? roundUp(d, nd) : trimZeros({ d: d.d.slice(0, nd), dp: d.dp });
}

function expDigits(exp: number): string {
  return String(exp).padStart(2, '0');
}

function fmtE(neg: boolean, d: Decimal, prec: number, ch: string): string {
  let out = (neg ? '-' : '') + (d.d[0] ?? '0');
  if (prec > 0) {
    out += '.' + d.d.slice(1, Math.min(d.d.length, prec + 1));
    out += '0'.repeat(Math.max(0, prec + 1 - Math.max(d.d.length, 1)));
  }
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return out + ch + sign + expDigits(exp);
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    out += d.d.slice(0, m) + '0'.repeat(d.dp - m);
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += (j >= 0 ? d.d[j] : undefined) ?? '0';
    }
  }
  return out;
}

function fmtG(neg: boolean, d: Decimal, prec: number, shortest: boolean, upper: boolean): string {
  const nd = d.d.length;
  let eprec = prec;
  if (eprec > nd && nd >= d.dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    return fmtE(neg, d, Math.min(prec, nd) - 1, upper ? 'E' : 'e');
  }
  const p = prec > d.dp ? nd : prec;
  return fmtF(neg, d, Math.max(p - d.dp, 0));
}

function formatDigits(
  fb: FloatBits,
  d: Decimal,
  opts: { fmt: string; prec: number; shortest: boolean },
): string {
  switch (opts.fmt) {
    case 'e':
    case 'E':
      return fmtE(fb.neg, d, opts.prec, opts.fmt);
    case 'f':
      return fmtF(fb.neg, d, opts.prec);
    case 'g':
    case 'G':
      return fmtG(fb.neg, d, opts.prec, opts.shortest, opts.fmt === 'G');
    default:
      return '%' + opts.fmt;
  }
}

function fmtB(fb: FloatBits): string {
  const exp = fb.exp - fb.mantBits;
  return `${fb.neg ? '-' : ''}${fb.mant}p${exp >= 0 ? '+' : ''}${exp}`;
}

const MASK64 = (1n << 64n) - 1n;
const BIT60 = 1n << 60n;

function roundHex(mant: bigint, exp: number, prec: number): [bigint, number] {
  const shift = BigInt(prec * 4);
  const extra = (mant << shift) & (BIT60 - 1n);
  let m = mant >> (60n - shift);
  if ((extra | (m & 1n)) > 1n << 59n) m++;
  m = (m << (60n - shift)) & MASK64;
  if ((m & (1n << 61n)) !== 0n) return [m >> 1n, exp + 1];
  return [m, exp];
}

function hexExponent(exp: number): string {
  const a = Math.abs(exp);
  return (exp < 0 ? '-' : '+') + String(a).padStart(2, '0');
}

/** strconv's %x for floats: -0x1.yyyyp±dd. */
function fmtX(fb: FloatBits, prec: number, fmt: string): string {
  let exp = fb.mant === 0n ? 0 : fb.exp;
  let mant = (fb.mant << BigInt(60 - fb.mantBits)) & MASK64;
  while (mant !== 0n && (mant & BIT60) === 0n) {
    mant = (mant << 1n) & MASK64;
    exp--;
  }
  if (prec >= 0 && prec < 15) [mant, exp] = roundHex(mant, exp, prec);
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = (fb.neg ? '-' : '') + '0' + fmt + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & MASK64;
  const digits = (count: number): string => {
    let s = '';
    for (let i = 0; i < count; i++) {
      s += hex[Number((mant >> 60n) & 15n)] ?? '';
      mant = (mant << 4n) & MASK64;
    }
    return s;
  };
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) out += digits(1);
  } else if (prec > 0) {
    out += '.' + digits(prec);
  }
  return out + (fmt === 'X' ? 'P' : 'p') + hexExponent(exp);
}

function fixedDecimal(fb: FloatBits, fmt: string, prec: number): [Decimal, number] {
  const d = exactDecimal(fb.mant, fb.exp - fb.mantBits);
  switch (fmt) {
    case 'e':
    case 'E':
      return [roundDecimal(d, prec + 1), prec];
    case 'f':
      return [roundDecimal(d, d.dp + prec), prec];
    default: {
      const p = prec === 0 ? 1 : prec;
      return [roundDecimal(d, p), p];
    }
  }
}

function shortestPrec(fmt: string, d: Decimal): number {
  switch (fmt) {
    case 'e':
    case 'E':
      return Math.max(d.d.length - 1, 0);
    case 'f':
      return Math.max(d.d.length - d.dp, 0);
    default:
      return d.d.length;
  }
}

/** strconv.FormatFloat(v, fmt, prec, bitSize) for fmt in b e E f g G x X. */
export function formatFloat(v: number, fmt: string, prec: number, bitSize: 32 | 64 = 64): string {
  const fb = floatBits(v, bitSize);
  if (fb.special !== undefined) return fb.special;
  if (fmt === 'b') return fmtB(fb);
  if (fmt === 'x' || fmt === 'X') return fmtX(fb, prec, fmt);
  const value = bitSize === 32 ? Math.fround(v) : v;
  if (prec < 0) {
    const d = shortestDecimal(value, bitSize);
    return formatDigits(fb, d, { fmt, prec: shortestPrec(fmt, d), shortest: true });
  }
  const [d, p] = fixedDecimal(fb, fmt, prec);
  return formatDigits(fb, d, { fmt, prec: p, shortest: false });
}
