/**
 * The slice of shopspring/decimal that sprig's addf/subf/mulf/divf use: exact decimal
 * arithmetic on the shortest decimal form of each float64, division rounded to 16 places
 * (half away from zero), and the result read back as the nearest float64.
 */
import { FuncError } from '../../value.ts';

interface Dec {
  coef: bigint;
  exp: number; // value = coef * 10^exp
}

/** decimal.NewFromFloat: the shortest decimal that round-trips. */
function fromFloat(f: number): Dec {
  if (!Number.isFinite(f)) {
    throw new FuncError(
      `Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`,
    );
  }
  const [mant = '0', e = '0'] = f.toExponential().split('e');
  const [int = '0', frac = ''] = mant.split('.');
  return { coef: BigInt(int + frac), exp: Number(e) - frac.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

const divisionPrecision = 16;

function div(a: Dec, b: Dec): Dec {
  if (b.coef === 0n) throw new FuncError('decimal division by zero');
  // q = a / b scaled to 10^-16, rounded half away from zero.
  const shift = a.exp - b.exp + divisionPrecision;
  let num = a.coef;
  let den = b.coef;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  let q = num / den;
  const r = num % den;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  if (2n * abs(r) >= abs(den)) q += num < 0n !== den < 0n ? -1n : 1n;
  return { coef: q, exp: -divisionPrecision };
}

function apply(a: Dec, b: Dec, op: DecimalOp): Dec {
  if (op === 'mul') return { coef: a.coef * b.coef, exp: a.exp + b.exp };
  if (op === 'div') return div(a, b);
  const [x, y, exp] = align(a, b);
  return { coef: op === 'add' ? x + y : x - y, exp };
}

export type DecimalOp = 'add' | 'sub' | 'mul' | 'div';

/** sprig's execDecimalOp: folds `op` over the operands and returns the float64 result. */
export function decimalOp(first: number, rest: number[], op: DecimalOp): number {
  let acc = fromFloat(first);
  for (const x of rest) acc = apply(acc, fromFloat(x), op);
  return Number(`${acc.coef}e${acc.exp}`);
}
