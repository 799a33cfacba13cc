/**
 * Go's comparison builtins (eq, ne, lt, le, gt, ge) over the value model: only basic kinds
 * compare, int and uint mix, everything else is "incompatible types for comparison".
 */
import { sprintf } from './fmt.ts';
import { compareGoBytes } from './gostr.ts';
import { Kind, kindOf, typeName } from './types.ts';
import type { GoValue } from './value.ts';
import { FuncError, GoTyped } from './value.ts';

/** A reflect.Value as builtins see it: `undefined` is the invalid (zero) Value. */
export type Val = GoValue | undefined;

const B = { Invalid: 0, Bool: 1, Complex: 2, Int: 3, Float: 4, String: 5, Uint: 6 } as const;
type BasicKind = (typeof B)[keyof typeof B];

interface Basic {
  kind: BasicKind;
  /** bigint for Int/Uint, number for Float, string, boolean. */
  v: unknown;
}

function basic(v: Val): Basic {
  if (v === undefined || v === null) return { kind: B.Invalid, v };
  switch (typeof v) {
    case 'boolean':
      return { kind: B.Bool, v };
    case 'bigint':
      return { kind: B.Int, v };
    case 'number':
      return { kind: B.Float, v };
    case 'string':
      return { kind: B.String, v };
  }
  if (v instanceof GoTyped) return basicTyped(v);
  return { kind: B.Invalid, v };
}

function basicTyped(t: GoTyped): Basic {
  const inner = t.value;
  switch (kindOf(t)) {
    case Kind.Int:
      return { kind: B.Int, v: typeof inner === 'number' ? BigInt(Math.trunc(inner)) : inner };
    case Kind.Uint:
      return { kind: B.Uint, v: typeof inner === 'number' ? BigInt(Math.trunc(inner)) : inner };
    case Kind.Float:
      return { kind: B.Float, v: typeof inner === 'bigint' ? Number(inner) : inner };
    case Kind.String:
      return { kind: B.String, v: inner };
    case Kind.Bool:
      return { kind: B.Bool, v: inner };
    case Kind.Complex:
      return { kind: B.Complex, v: inner };
  }
  return { kind: B.Invalid, v: t };
}

function complexEqual(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) && a[0] === b[0] && a[1] === b[1];
}

function isValid(v: Val): v is GoValue {
  return v !== undefined && v !== null;
}

function typeOfVal(v: Val): string {
  return v === undefined || v === null ? '<nil>' : typeName(v);
}

function isNilVal(v: Val): boolean {
  if (v === undefined || v === null) return true;
  return v instanceof GoTyped && v.value === null;
}

function comparable(v: GoValue): boolean {
  switch (kindOf(v)) {
    case Kind.Slice:
    case Kind.Map:
    case Kind.Func:
      return false;
  }
  return true;
}

function mixedEqual(a: Basic, b: Basic): boolean | undefined {
  if (a.kind === B.Int && b.kind === B.Uint) return (a.v as bigint) >= 0n && a.v === b.v;
  if (a.kind === B.Uint && b.kind === B.Int) return (b.v as bigint) >= 0n && a.v === b.v;
  return undefined;
}

function equalOther(arg1: Val, arg: Val): boolean {
  const k1 = isValid(arg1) ? kindOf(arg1) : Kind.Invalid;
  const k2 = isValid(arg) ? kindOf(arg) : Kind.Invalid;
  if (k1 !== k2 && k1 !== Kind.Invalid && k2 !== Kind.Invalid) {
    throw new FuncError(
      `non-comparable types ${sprintf('%s', [arg1 ?? null])}: ${typeOfVal(arg1)}, ${typeOfVal(arg)}: ${sprintf('%v', [arg ?? null])}`,
    );
  }
  if (isNilVal(arg1) || isNilVal(arg)) return isNilVal(arg) === isNilVal(arg1);
  const a = arg as GoValue;
  if (!comparable(a))
    throw new FuncError(`non-comparable type ${sprintf('%s', [a])}: ${typeName(a)}`);
  return arg1 === arg;
}

/** eq: arg1 == arg2 || arg1 == arg3 … */
export function eq(arg1: Val, ...rest: Val[]): boolean {
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const b1 = basic(arg1);
  for (const arg of rest) {
    const b2 = basic(arg);
    let truth: boolean;
    if (b1.kind !== b2.kind) {
      const mixed = mixedEqual(b1, b2);
      if (mixed === undefined && isValid(arg1) && isValid(arg)) {
        throw new FuncError(
          `incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg)}`,
        );
      }
      truth = mixed ?? false;
    } else if (b1.kind === B.Invalid) {
      truth = equalOther(arg1, arg);
    } else if (b1.kind === B.Complex) {
      truth = complexEqual(b1.v, b2.v);
    } else if (b1.kind === B.String) {
      truth =
        b1.v === b2.v ||
        compareGoBytes(b1.v as string | Uint8Array, b2.v as string | Uint8Array) === 0;
    } else {
      truth = b1.v === b2.v;
    }
    if (truth) return true;
  }
  return false;
}

/** ne: arg1 != arg2. */
export function ne(a: Val, b: Val): boolean {
  return !eq(a, b);
}

/** lt: a < b for basic types. */
export function lt(a: Val, b: Val): boolean {
  const b1 = basic(a);
  if (b1.kind === B.Invalid) throw new FuncError('invalid type for comparison');
  const b2 = basic(b);
  if (b2.kind === B.Invalid) throw new FuncError('invalid type for comparison');
  if (b1.kind !== b2.kind) {
    if (b1.kind === B.Int && b2.kind === B.Uint)
      return (b1.v as bigint) < 0n || (b1.v as bigint) < (b2.v as bigint);
    if (b1.kind === B.Uint && b2.kind === B.Int)
      return (b2.v as bigint) >= 0n && (b1.v as bigint) < (b2.v as bigint);
    throw new FuncError(`incompatible types for comparison: ${typeOfVal(a)} and ${typeOfVal(b)}`);
  }
  switch (b1.kind) {
    case B.Bool:
    case B.Complex:
      throw new FuncError('invalid type for comparison');
    case B.String:
      return compareGoBytes(b1.v as string | Uint8Array, b2.v as string | Uint8Array) < 0;
    case B.Float:
      return (b1.v as number) < (b2.v as number);
    default:
      return (b1.v as bigint) < (b2.v as bigint);
  }
}

/** le: a <= b. */
export function le(a: Val, b: Val): boolean {
  return lt(a, b) || eq(a, b);
}

/** gt: a > b. */
export function gt(a: Val, b: Val): boolean {
  return !le(a, b);
}

/** ge: a >= b. */
export function ge(a: Val, b: Val): boolean {
  return !lt(a, b);
}
