/**
 * Go's rules for numeric constants in templates: strconv.ParseInt / ParseUint with base 0 and
 * ParseFloat, as parse.newNumber combines them (so `08` is an "integer overflow", as in Go).
 */
import type { NumberNode } from './ast.ts';
import { N } from './ast.ts';
import { goQuote, unquoteChar } from './gostr.ts';

const MAX_UINT64 = (1n << 64n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;

function lower(c: string): string {
  return c.toLowerCase();
}

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
export function underscoreOK(str: string): boolean {
  let s = str;
  let saw = '^';
  let i = 0;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(lower(s[1] ?? ''))) {
    i = 2;
    saw = '0';
    hex = lower(s[1] ?? '') === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i] ?? '';
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41 + 10;
  return 99;
}

/** strconv.ParseUint(s, 0, 64); null on any error. */
export function parseUint(s0: string): bigint | null {
  if (s0 === '') return null;
  let s = s0;
  let base = 10;
  if (s[0] === '0') {
    const p = lower(s[1] ?? '');
    if (s.length >= 3 && p === 'b') [base, s] = [2, s.slice(2)];
    else if (s.length >= 3 && p === 'o') [base, s] = [8, s.slice(2)];
    else if (s.length >= 3 && p === 'x') [base, s] = [16, s.slice(2)];
    else [base, s] = [8, s.slice(1)];
  }
  let n = 0n;
  let underscores = false;
  const b = BigInt(base);
  for (const c of s) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = digitValue(c);
    if (d >= base) return null;
    n = n * b + BigInt(d);
    if (n > MAX_UINT64) return null;
  }
  if (underscores && !underscoreOK(s0)) return null;
  return n;
}

/** strconv.ParseInt(s, 0, 64); null on any error. */
export function parseInt64(s: string): bigint | null {
  if (s === '') return null;
  let neg = false;
  let rest = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    rest = s.slice(1);
  }
  const u = parseUint(rest);
  if (u === null) return null;
  const v = neg ? -u : u;
  if (v < MIN_INT64 || v > MAX_INT64) return null;
  return v;
}

const decimalRe = /^[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?$/;
const hexFloatRe = /^0[xX]([0-9a-fA-F_]*)(\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/;

/** strconv.ParseFloat(s, 64) for the forms the lexer can produce; null on error or overflow. */
export function parseFloat64(s0: string): number | null {
  let s = s0;
  let sign = 1;
  if (s.startsWith('+') || s.startsWith('-')) {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s.includes('_') && !underscoreOK(s)) return null;
  let v: number;
  const hx = hexFloatRe.exec(s);
  if (hx) {
    const intPart = (hx[1] ?? '').replaceAll('_', '');
    const frac = (hx[3] ?? '').replaceAll('_', '');
    if (intPart + frac === '') return null;
    const mant = BigInt('0x' + (intPart + frac || '0'));
    const exp = Number((hx[4] ?? '0').replaceAll('_', '')) - 4 * frac.length;
    v = Number(mant) * 2 ** exp;
  } else {
    if (!decimalRe.test(s) || !/[0-9]/.test(s.split(/[eE]/)[0] ?? '')) return null;
    v = Number(s.replaceAll('_', ''));
  }
  if (!Number.isFinite(v) || Number.isNaN(v)) return null;
  return sign * v;
}

/** Thrown for constants Go rejects at parse time; the message is Go's. */
export class NumberSyntaxError extends Error {}

function emptyNumber(pos: number, text: string): NumberNode {
  return {
    type: N.Number,
    pos,
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    re: 0,
    im: 0,
    int64: 0n,
    uint64: 0n,
    float64: 0,
  };
}

function fromFloat(n: NumberNode, f: number): void {
  n.isFloat = true;
  n.float64 = f;
  if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
    n.isInt = true;
    n.int64 = BigInt(f);
  }
  if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
    n.isUint = true;
    n.uint64 = BigInt(f);
  }
}

/** parse.newNumber: a character, complex or numeric constant. */
export function newNumber(
  pos: number,
  text: string,
  isChar: boolean,
  isComplexItem: boolean,
): NumberNode {
  const n = emptyNumber(pos, text);
  if (isChar) {
    const r = unquoteChar(text.slice(1), 0x27);
    if (r.tail !== "'") throw new NumberSyntaxError(`malformed character constant: ${text}`);
    n.isInt = n.isUint = n.isFloat = true;
    n.int64 = n.uint64 = BigInt(r.value);
    n.float64 = r.value;
    return n;
  }
  if (isComplexItem) return complexNumber(n, text);
  if (text.endsWith('i')) {
    const f = parseFloat64(text.slice(0, -1));
    if (f !== null) {
      n.isComplex = true;
      n.im = f;
      if (f === 0) fromFloat(n, 0);
      return n;
    }
  }
  const u = parseUint(text);
  if (u !== null) {
    n.isUint = true;
    n.uint64 = u;
  }
  const i = parseInt64(text);
  if (i !== null) {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) {
      n.isUint = true;
      n.uint64 = 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseFloat64(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) throw new NumberSyntaxError(`integer overflow: ${goQuote(text)}`);
      fromFloat(n, f);
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat)
    throw new NumberSyntaxError(`illegal number syntax: ${goQuote(text)}`);
  return n;
}

function complexNumber(n: NumberNode, text: string): NumberNode {
  const m = /^([+-]?[^+-]*(?:[eEpP][+-][^+-]*)?)([+-].*)i$/.exec(text);
  const re = m ? parseFloat64(m[1] ?? '') : null;
  const im = m ? parseFloat64(m[2] ?? '') : null;
  if (re === null || im === null) throw new NumberSyntaxError(`expected integer`);
  n.isComplex = true;
  n.re = re;
  n.im = im;
  if (im === 0) fromFloat(n, re);
  return n;
}
