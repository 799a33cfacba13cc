/**
 * Go's predefined template functions (text/template/funcs.go): and, or, not, len, index, slice,
 * print, printf, println, html, js, urlquery, call and the comparisons. They see arguments as
 * reflect.Values do (`undefined` = invalid value) and report errors as Go's texts.
 */
import type { Val } from './compare.ts';
import { eq, ge, gt, le, lt, ne } from './compare.ts';
import { sprint, sprintf, sprintln } from './fmt.ts';
import { goStringFromBytes, isByteEscape, isPrint, utf8Encode, utf8Length } from './gostr.ts';
import { capOf, sliceWithCap } from './slicecap.ts';
import type { FuncSignature } from './types.ts';
import {
  assignable,
  canBeNil,
  EMPTY_INTERFACE,
  Kind,
  kindOf,
  kindOfType,
  mapElemType,
  signatureOf,
  sliceElemType,
  typeName,
  zeroValue,
} from './types.ts';
import type { GoValue } from './value.ts';
import { FuncError, GoTyped } from './value.ts';

/** Parameter type of builtins that take reflect.Value: any value, including none. */
export const REFLECT_VALUE = 'reflect.Value';

export interface Builtin {
  sig: FuncSignature;
  fn: (args: Val[]) => Val;
}

const RV = REFLECT_VALUE;
const anyVariadic: FuncSignature = { params: [EMPTY_INTERFACE], variadic: true, result: 'string' };

function indirectInterface(v: Val): GoValue | undefined {
  return v === null ? undefined : v;
}

/** isTrue from exec.go: Go's truthiness. */
export function isTrue(v: Val): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0;
    case 'function':
      return true;
  }
  if (v instanceof GoTyped) return isTrueTyped(v);
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length > 0;
  return v.size > 0;
}

function isTrueTyped(t: GoTyped): boolean {
  switch (kindOfType(t.type)) {
    case Kind.Struct:
      return true;
    case Kind.Complex:
      return Array.isArray(t.value) && t.value.some((x) => x !== 0);
    case Kind.Func:
    case Kind.Pointer:
    case Kind.Interface:
      return t.value !== null;
  }
  return isTrue(t.value);
}

// ---- len, index, slice ----------------------------------------------------------------------

/** A GoValue seen as an indexable sequence, with its element type. */
interface Seq {
  items: readonly GoValue[] | Uint8Array | string;
  /** A Go string (its items are its bytes), possibly held as raw bytes. */
  isString: boolean;
  elem: string;
  typed: GoTyped | null;
  isArray: boolean;
}

function asSeq(v: GoValue): Seq | null {
  if (typeof v === 'string')
    return { items: v, isString: true, elem: 'uint8', typed: null, isArray: false };
  if (v instanceof Uint8Array)
    return { items: v, isString: false, elem: 'uint8', typed: null, isArray: false };
  if (Array.isArray(v))
    return { items: v, isString: false, elem: EMPTY_INTERFACE, typed: null, isArray: false };
  if (v instanceof GoTyped) {
    const k = kindOfType(v.type);
    const inner = v.value ?? [];
    if (
      (k === Kind.Slice || k === Kind.Array) &&
      (Array.isArray(inner) || inner instanceof Uint8Array)
    ) {
      return {
        items: inner,
        isString: false,
        elem: sliceElemType(v.type),
        typed: v,
        isArray: k === Kind.Array,
      };
    }
    if (k === Kind.String && (typeof inner === 'string' || inner instanceof Uint8Array)) {
      return { items: inner, isString: true, elem: 'uint8', typed: v, isArray: false };
    }
  }
  return null;
}

function asMap(
  v: GoValue,
): { map: ReadonlyMap<string, GoValue>; elem: string; key: string } | null {
  if (v instanceof Map) return { map: v, elem: EMPTY_INTERFACE, key: 'string' };
  if (v instanceof GoTyped && kindOfType(v.type) === Kind.Map) {
    const inner = v.value;
    const key = v.type.slice(4, v.type.length - mapElemType(v.type).length - 1);
    return { map: inner instanceof Map ? inner : new Map(), elem: mapElemType(v.type), key };
  }
  return null;
}

function seqLength(s: Seq): number {
  return typeof s.items === 'string' ? utf8Length(s.items) : s.items.length;
}

function byteAt(s: string, i: number): GoValue {
  const code = s.charCodeAt(i);
  const b = isAscii(s) ? code : (utf8Encode(s)[i] ?? 0);
  return new GoTyped('uint8', BigInt(b));
}

function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s);
}

function elementAt(s: Seq, i: number): GoValue {
  const items = s.items;
  if (typeof items === 'string') return byteAt(items, i);
  if (items instanceof Uint8Array) return new GoTyped('uint8', BigInt(items[i] ?? 0));
  return items[i] ?? null;
}

function intValue(v: GoValue): bigint | null {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoTyped) {
    const k = kindOfType(v.type);
    if (
      (k === Kind.Int || k === Kind.Uint) &&
      (typeof v.value === 'bigint' || typeof v.value === 'number')
    ) {
      return BigInt(v.value);
    }
  }
  return null;
}

function indexArg(index: Val, cap: number): number {
  const v = indirectInterface(index);
  if (v === undefined) throw new FuncError('cannot index slice/array with nil');
  const x = intValue(v);
  if (x === null) throw new FuncError(`cannot index slice/array with type ${typeName(v)}`);
  if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
  return Number(x);
}

/** prepareArg from funcs.go: nil handling and int-kind conversion for call and map keys. */
export function prepareArg(value: Val, argType: string): GoValue {
  const v = indirectInterface(value);
  if (v === undefined) {
    if (!canBeNil(argType)) throw new FuncError(`value is nil; should be of type ${argType}`);
    return zeroValue(argType);
  }
  const vt = typeName(v);
  if (assignable(vt, argType)) return v;
  const vk = kindOf(v);
  const tk = kindOfType(argType);
  const intLike = (k: Kind): boolean => k === Kind.Int || k === Kind.Uint;
  if (intLike(vk) && intLike(tk)) {
    const n = intValue(v) ?? 0n;
    return argType === 'int' ? n : new GoTyped(argType, n);
  }
  throw new FuncError(`value has type ${vt}; should be ${argType}`);
}

function indexOne(item: GoValue, index: Val): GoValue {
  const seq = asSeq(item);
  if (seq !== null) {
    const n = seqLength(seq);
    const x = indexArg(index, n);
    if (x === n) {
      const what = seq.isString ? 'string' : seq.isArray ? 'array' : 'slice';
      throw new FuncError(`reflect: ${what} index out of range`);
    }
    return elementAt(seq, x);
  }
  const m = asMap(item);
  if (m !== null) {
    const key = prepareArg(index, m.key);
    if (typeof key !== 'string') return zeroValue(m.elem);
    const found = m.map.get(key);
    return found === undefined ? zeroValue(m.elem) : found;
  }
  throw new FuncError(`can't index item of type ${typeName(item)}`);
}

function index(args: Val[]): Val {
  let item = indirectInterface(args[0]);
  if (item === undefined) throw new FuncError('index of untyped nil');
  for (let i = 1; i < args.length; i++) {
    if (item === null) throw new FuncError('index of nil pointer');
    item = indexOne(item, args[i]);
  }
  return item;
}

function sliceSeq(seq: Seq, lo: number, hi: number, max?: number): GoValue {
  const items = seq.items;
  if (seq.isString) {
    const part =
      typeof items === 'string' && isAscii(items)
        ? items.slice(lo, hi)
        : goStringFromBytes(
            (typeof items === 'string' ? utf8Encode(items) : (items as Uint8Array)).slice(lo, hi),
          );
    const type = seq.typed?.type ?? 'string';
    return type === 'string' ? part : new GoTyped(type, part);
  }
  const out: GoValue =
    items instanceof Uint8Array
      ? items.slice(lo, hi)
      : sliceWithCap(items as readonly GoValue[], lo, hi, max);
  if (seq.typed !== null) {
    const type = seq.isArray ? '[]' + seq.elem : seq.typed.type;
    return new GoTyped(type, out);
  }
  return out;
}

function slice(args: Val[]): Val {
  const item = indirectInterface(args[0]);
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  const indexes = args.slice(1);
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const seq = asSeq(item);
  if (seq === null) throw new FuncError(`can't slice item of type ${typeName(item)}`);
  if (seq.isString && indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
  const len = seqLength(seq);
  const cap = Array.isArray(seq.items) ? capOf(seq.items) : len;
  const idx = [0, len, 0];
  indexes.forEach((ix, i) => (idx[i] = indexArg(ix, cap)));
  const [a = 0, b = 0, c = 0] = idx;
  if (a > b) throw new FuncError(`invalid slice index: ${a} > ${b}`);
  if (indexes.length === 3 && b > c) throw new FuncError(`invalid slice index: ${b} > ${c}`);
  return sliceSeq(seq, a, b, indexes.length === 3 ? c : undefined);
}

function length(args: Val[]): Val {
  const item = args[0];
  if (item === undefined) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  if (item === null) throw new FuncError('len of nil pointer');
  const seq = asSeq(item);
  if (seq !== null) return BigInt(seqLength(seq));
  const m = asMap(item);
  if (m !== null) return BigInt(m.map.size);
  if (item instanceof GoTyped && item.value === null && kindOfType(item.type) !== Kind.Struct)
    return 0n;
  throw new FuncError(`len of type ${typeName(item)}`);
}

// ---- escapers -------------------------------------------------------------------------------

/** evalArgs from funcs.go: one string as is, anything else through fmt.Sprint. */
function evalArgs(args: Val[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined || a === null ? '<no value>' : a)));
}

const htmlEscapes: Record<string, string> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

/** template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => htmlEscapes[c] ?? c);
}

const jsEscapes: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

/** template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const e = jsEscapes[ch];
    if (e !== undefined) out += e;
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80 || isPrint(cp)) out += ch;
    // Go copies a byte that is not UTF-8 as it is (RuneError counts as printable).
    else if (isByteEscape(cp)) out += ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\uFFFD';
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// ---- call -----------------------------------------------------------------------------------

function call(args: Val[]): Val {
  const name = args[0] as string;
  const fn = indirectInterface(args[1]);
  if (fn === undefined) throw new FuncError('call of nil');
  if (typeof fn !== 'function') throw new FuncError(`non-function ${name} of type ${typeName(fn)}`);
  const callArgs = args.slice(2);
  const sig = signatureOf(fn);
  if (!sig) return fn(...callArgs.map((a) => (a === undefined ? null : a)));
  const numIn = sig.params.length;
  if (sig.variadic) {
    if (callArgs.length < numIn - 1) {
      throw new FuncError(
        `wrong number of args for ${name}: got ${callArgs.length} want at least ${numIn - 1}`,
      );
    }
  } else if (callArgs.length !== numIn) {
    throw new FuncError(`wrong number of args for ${name}: got ${callArgs.length} want ${numIn}`);
  }
  const argv = callArgs.map((a, i) => {
    const t =
      sig.variadic && i >= numIn - 1
        ? (sig.params[numIn - 1] ?? EMPTY_INTERFACE)
        : (sig.params[i] ?? '');
    try {
      return prepareArg(a, t);
    } catch (e) {
      throw new FuncError(`arg ${i}: ${(e as Error).message}`, { cause: e });
    }
  });
  return fn(...argv);
}

function nullable(args: Val[]): GoValue[] {
  return args.map((a) => (a === undefined ? null : a));
}

const cmp2: FuncSignature = { params: [RV, RV], result: 'bool' };

/** The builtin function table, keyed by name. `and`, `or` and `call` are special-cased in exec. */
export const builtins: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['and', { sig: { params: [RV, RV], variadic: true, result: RV }, fn: () => undefined }],
  ['or', { sig: { params: [RV, RV], variadic: true, result: RV }, fn: () => undefined }],
  ['call', { sig: { params: [RV, RV], variadic: true, result: RV }, fn: call }],
  ['html', { sig: anyVariadic, fn: (a) => htmlEscape(evalArgs(a)) }],
  ['index', { sig: { params: [RV, RV], variadic: true, result: RV }, fn: index }],
  ['slice', { sig: { params: [RV, RV], variadic: true, result: RV }, fn: slice }],
  ['js', { sig: anyVariadic, fn: (a) => jsEscape(evalArgs(a)) }],
  ['len', { sig: { params: [RV], result: 'int' }, fn: length }],
  ['not', { sig: { params: [RV], result: 'bool' }, fn: (a) => !isTrue(a[0]) }],
  ['print', { sig: anyVariadic, fn: (a) => sprint(nullable(a)) }],
  [
    'printf',
    { sig: { params: ['string', EMPTY_INTERFACE], variadic: true, result: 'string' }, fn: printf },
  ],
  ['println', { sig: anyVariadic, fn: (a) => sprintln(nullable(a)) }],
  ['urlquery', { sig: anyVariadic, fn: (a) => queryEscape(evalArgs(a)) }],
  [
    'eq',
    {
      sig: { params: [RV, RV], variadic: true, result: 'bool' },
      fn: (a) => eq(a[0], ...a.slice(1)),
    },
  ],
  ['ge', { sig: cmp2, fn: (a) => ge(a[0], a[1]) }],
  ['gt', { sig: cmp2, fn: (a) => gt(a[0], a[1]) }],
  ['le', { sig: cmp2, fn: (a) => le(a[0], a[1]) }],
  ['lt', { sig: cmp2, fn: (a) => lt(a[0], a[1]) }],
  ['ne', { sig: cmp2, fn: (a) => ne(a[0], a[1]) }],
]);

function printf(a: Val[]): Val {
  return sprintf(typeof a[0] === 'string' ? a[0] : '', nullable(a.slice(1)));
}
