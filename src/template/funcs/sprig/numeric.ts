/**
 * Sprig's numeric.go and the spf13/cast conversions it relies on (cast.ToInt64 and friends
 * swallow errors: anything unconvertible is 0).
 */
import { FuncError, GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import { any, fixed, float, int, int64, str, unwrap, variadic } from './args.ts';
import { decimalOp } from './decimal.ts';
import { sprintV } from './strval.ts';

const minInt64 = -(2n ** 63n);
const maxInt64 = 2n ** 63n - 1n;

/** strconv.ParseInt(s, base, 64); base 0 detects 0x/0o/0b/0 prefixes and allows underscores. */
export function parseGoInt(s: string, base: number): bigint | null {
  let t = s;
  let neg = false;
  if (t.startsWith('+') || t.startsWith('-')) {
    neg = t.startsWith('-');
    t = t.slice(1);
  }
  let b = base;
  if (base === 0) {
    b = 10;
    const p = t.slice(0, 2).toLowerCase();
    if (p === '0x' || p === '0o' || p === '0b') {
      b = p === '0x' ? 16 : p === '0o' ? 8 : 2;
      t = t.slice(2);
      if (t.startsWith('_')) t = t.slice(1); // "0x_1f" is valid
    } else if (t.length > 1 && t.startsWith('0')) {
      b = 8;
      t = t.slice(1);
    }
    if (/__|^_|_$/.test(t)) return null;
    t = t.replaceAll('_', '');
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  if (t === '' || !Array.from(t.toLowerCase()).every((c) => digits.includes(c))) return null;
  let n = 0n;
  for (const c of t.toLowerCase()) n = n * BigInt(b) + BigInt(digits.indexOf(c));
  if (neg) n = -n;
  return n < minInt64 || n > maxInt64 ? null : n;
}

/** strconv.ParseFloat(s, 64), or null on a syntax or range error. */
export function parseGoFloat(s: string): number | null {
  const t = s.toLowerCase();
  const special: Record<string, number> = {
    inf: Infinity,
    '+inf': Infinity,
    '-inf': -Infinity,
    infinity: Infinity,
    '+infinity': Infinity,
    '-infinity': -Infinity,
    nan: NaN,
  };
  if (t in special) return special[t] ?? null;
  if (/^[+-]?0x/.test(t)) return parseHexFloat(t);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return null;
  const f = Number(t);
  return Number.isFinite(f) ? f : null;
}

function parseHexFloat(t: string): number | null {
  const m = /^([+-]?)0x([0-9a-f_]*)\.?([0-9a-f_]*)p([+-]?\d+)$/.exec(t);
  if (m === null || (m[2] === '' && m[3] === '')) return null;
  const mant = Number.parseInt(`${m[2] ?? ''}${m[3] ?? ''}`.replaceAll('_', '') || '0', 16);
  const f = mant * 2 ** (Number(m[4]) - 4 * (m[3] ?? '').replaceAll('_', '').length);
  return Number.isFinite(f) ? (m[1] === '-' ? -f : f) : null;
}

/** Go's int64(f) conversion on amd64: out-of-range and NaN give the minimum int64. */
function truncToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= 2 ** 63 || f < -(2 ** 63)) return minInt64;
  return BigInt(Math.trunc(f));
}

/** cast v1.10's trimDecimal (the version ESO builds with): "3.5" → "3", ".5" → "0". */
function trimDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const m = /^([-+]?\d*)(\.\d*)?$/.exec(s);
  if (m === null) return s;
  const int = m[1] ?? '';
  return int === '' || int === '-' || int === '+' ? `${int}0` : int;
}

/** cast.ToInt64 (errors give 0). cast.ToInt is the same on 64-bit platforms. */
export function toInt(v: GoValue): bigint {
  const u = unwrap(v);
  if (u === null) return 0n;
  if (typeof u === 'bigint') return u;
  if (typeof u === 'boolean') return u ? 1n : 0n;
  if (typeof u === 'number') return truncToInt64(u);
  if (typeof u === 'string') return parseGoInt(trimDecimal(u), 0) ?? 0n;
  return 0n;
}

/** cast.ToFloat64 (errors give 0). */
export function toFloat(v: GoValue): number {
  const u = unwrap(v);
  if (typeof u === 'number') return u;
  if (typeof u === 'bigint') return Number(u);
  if (typeof u === 'boolean') return u ? 1 : 0;
  if (typeof u === 'string') return parseGoFloat(u) ?? 0;
  return 0;
}

/** sprig's untilStep. */
export function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

function seq(params: number[]): string {
  const [a = 0, b = 0, c = 0] = params;
  let list: number[] = [];
  if (params.length === 1) list = untilStep(1, a + (a < 1 ? -1 : 1), a < 1 ? -1 : 1);
  if (params.length === 2) list = untilStep(a, b + (b < a ? -1 : 1), b < a ? -1 : 1);
  if (params.length === 3) {
    if (c < a && b > 0) return '';
    list = untilStep(a, c + (c < a ? -1 : 1), b);
  }
  return list.join(' ');
}

function round(a: GoValue, places: number, opt: number[]): number {
  const roundOn = opt[0] ?? 0.5;
  const pow = 10 ** places;
  const digit = pow * toFloat(a);
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

const ints = (xs: number[]): GoValue =>
  new GoTyped(
    '[]int',
    xs.map((x) => BigInt(x)),
  );

function intDiv(a: GoValue, b: GoValue, op: 'div' | 'mod'): GoTyped {
  const d = toInt(b);
  if (d === 0n) throw new FuncError('runtime error: integer divide by zero');
  const n = toInt(a);
  return int64(op === 'div' ? n / d : n % d);
}

function arithmetic(): [string, GoFunc][] {
  const extreme = (pick: (a: bigint, b: bigint) => boolean) => (a: GoValue, rest: GoValue[]) =>
    int64(rest.reduce<bigint>((acc, x) => (pick(toInt(x), acc) ? toInt(x) : acc), toInt(a)));
  return [
    fixed('add1', [any], (a) => int64(toInt(a) + 1n)),
    variadic('add', [], any, (xs) =>
      int64(xs.reduce<bigint>((s, x) => BigInt.asIntN(64, s + toInt(x)), 0n)),
    ),
    fixed('sub', [any, any], (a, b) => int64(toInt(a) - toInt(b))),
    fixed('div', [any, any], (a, b) => intDiv(a, b, 'div')),
    fixed('mod', [any, any], (a, b) => intDiv(a, b, 'mod')),
    variadic('mul', [any], any, (a, xs) =>
      int64(xs.reduce<bigint>((p, x) => BigInt.asIntN(64, p * toInt(x)), toInt(a))),
    ),
    variadic(
      'max',
      [any],
      any,
      extreme((x, acc) => x > acc),
    ),
    variadic(
      'biggest',
      [any],
      any,
      extreme((x, acc) => x > acc),
    ),
    variadic(
      'min',
      [any],
      any,
      extreme((x, acc) => x < acc),
    ),
    variadic('maxf', [any], any, (a, xs) =>
      xs.reduce<number>((m, x) => goMax(m, toFloat(x)), toFloat(a)),
    ),
    variadic('minf', [any], any, (a, xs) =>
      xs.reduce<number>((m, x) => goMin(m, toFloat(x)), toFloat(a)),
    ),
    fixed('floor', [any], (a) => Math.floor(toFloat(a))),
    fixed('ceil', [any], (a) => Math.ceil(toFloat(a))),
    variadic('round', [any, int], float, round),
  ];
}

/** math.Max: NaN wins, +0 beats -0. */
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a === 0 && b === 0 ? (Object.is(a, -0) ? b : a) : Math.max(a, b);
}

/** math.Min: NaN wins, -0 beats +0. */
function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a === 0 && b === 0 ? (Object.is(a, -0) ? a : b) : Math.min(a, b);
}

function floats(): [string, GoFunc][] {
  return [
    fixed('add1f', [any], (a) => decimalOp(toFloat(a), [1], 'add')),
    variadic('addf', [], any, (xs) => decimalOp(0, xs.map(toFloat), 'add')),
    variadic('subf', [any], any, (a, xs) => decimalOp(toFloat(a), xs.map(toFloat), 'sub')),
    variadic('mulf', [any], any, (a, xs) => decimalOp(toFloat(a), xs.map(toFloat), 'mul')),
    variadic('divf', [any], any, (a, xs) => decimalOp(toFloat(a), xs.map(toFloat), 'div')),
  ];
}

/** The numeric.go functions and the numeric conversions, keyed by template name. */
export function numericFuncs(deps: { random: () => number }): [string, GoFunc][] {
  return [
    ...arithmetic(),
    ...floats(),
    fixed('atoi', [str], (s) => {
      // strconv.Atoi: a syntax error gives 0, a range error the clamped value (sprig keeps it).
      if (!/^[+-]?\d+$/.test(s)) return 0n;
      const n = BigInt(s);
      return n > maxInt64 ? maxInt64 : n < minInt64 ? minInt64 : n;
    }),
    fixed('int', [any], (v) => toInt(v)),
    fixed('int64', [any], (v) => int64(toInt(v))),
    fixed('float64', [any], (v) => toFloat(v)),
    fixed('toDecimal', [any], (v) => int64(parseGoInt(sprintV(v), 8) ?? 0n)),
    fixed('until', [int], (n) => ints(untilStep(0, n, n < 0 ? -1 : 1))),
    fixed('untilStep', [int, int, int], (a, b, c) => ints(untilStep(a, b, c))),
    variadic('seq', [], int, seq),
    fixed('randInt', [int, int], (lo, hi) => {
      if (hi - lo <= 0) throw new FuncError('invalid argument to Intn');
      return BigInt(Math.floor(deps.random() * (hi - lo)) + lo);
    }),
  ];
}
