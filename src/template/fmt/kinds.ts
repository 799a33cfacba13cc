/** How a GoValue maps onto Go's reflect kinds and type names, for fmt and %T. */
import { GoTyped, methodOf, type GoValue } from '../value.ts';

export type Kind =
  | 'nil'
  | 'bool'
  | 'int'
  | 'uint'
  | 'float'
  | 'complex'
  | 'string'
  | 'bytes'
  | 'slice'
  | 'map'
  | 'func'
  | 'ptr'
  | 'struct'
  | 'other';

/** A value with its Go kind and type name resolved. `raw` is never a GoTyped. */
export interface Described {
  readonly kind: Kind;
  readonly type: string;
  readonly raw: Exclude<GoValue, GoTyped>;
  /** For slices and maps: the element type name. */
  readonly elem: string;
  /** For floats: 32 or 64; for complex numbers, the size of each part. */
  readonly bits: 32 | 64;
  /** For a fmt.Stringer: what its String() returns (%v, %s, %q, %x and %X print it). */
  readonly stringer?: string;
}

const INTERFACE = 'interface {}';

const SIGNED = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'rune']);
const UNSIGNED = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte']);
const ALIASES = new Map([
  ['rune', 'int32'],
  ['byte', 'uint8'],
  ['any', INTERFACE],
  ['interface{}', INTERFACE],
  ['[]byte', '[]uint8'],
]);

function describePlain(v: Exclude<GoValue, GoTyped>): Described {
  const base = { raw: v, elem: INTERFACE, bits: 64 as const };
  if (v === null) return { ...base, kind: 'nil', type: '<nil>' };
  switch (typeof v) {
    case 'boolean':
      return { ...base, kind: 'bool', type: 'bool' };
    case 'bigint':
      return { ...base, kind: 'int', type: 'int' };
    case 'number':
      return { ...base, kind: 'float', type: 'float64' };
    case 'string':
      return { ...base, kind: 'string', type: 'string' };
    case 'function':
      return { ...base, kind: 'func', type: 'func(...interface {}) (interface {}, error)' };
    default:
      break;
  }
  if (v instanceof Uint8Array) return { ...base, kind: 'bytes', type: '[]uint8', elem: 'uint8' };
  if (Array.isArray(v)) return { ...base, kind: 'slice', type: '[]interface {}' };
  return { ...base, kind: 'map', type: 'map[string]interface {}' };
}

function mapElem(type: string): string {
  let depth = 0;
  for (let i = 4; i < type.length; i++) {
    if (type[i] === '[') depth++;
    else if (type[i] === ']' && --depth < 0) return type.slice(i + 1);
  }
  return INTERFACE;
}

function kindOfName(type: string, fallback: Kind): Kind {
  if (SIGNED.has(type)) return 'int';
  if (UNSIGNED.has(type)) return 'uint';
  if (type === 'float32' || type === 'float64') return 'float';
  if (type === 'complex64' || type === 'complex128') return 'complex';
  if (type === 'bool') return 'bool';
  if (type === 'string') return 'string';
  if (type === '[]uint8') return 'bytes';
  if (type.startsWith('[]')) return 'slice';
  if (type.startsWith('map[')) return 'map';
  if (type.startsWith('*')) return 'ptr';
  if (type.startsWith('func')) return 'func';
  // A named type holding a Map stands for a Go struct (fields in insertion order).
  return fallback === 'map' ? 'struct' : fallback;
}

const NILLABLE = new Set<Kind>(['slice', 'bytes', 'map', 'ptr', 'func']);
const NUMERIC = new Set<Kind>(['int', 'uint', 'float']);

/** Whether a value of kind `actual` can be shown as the named kind (else the name is a label). */
function compatible(named: Kind, actual: Kind): boolean {
  if (named === actual || named === 'nil' || named === 'ptr') return true;
  if (named === 'struct' && actual === 'map') return true;
  // A complex number travels as GoTyped('complex128', [re, im]).
  if (named === 'complex' && actual === 'slice') return true;
  if (NUMERIC.has(named) && NUMERIC.has(actual)) return true;
  // A Go string that is not valid UTF-8 travels as GoTyped('string', bytes).
  if (named === 'string' && actual === 'bytes') return true;
  return actual === 'nil' && NILLABLE.has(named);
}

function normalizeRaw(kind: Kind, raw: Exclude<GoValue, GoTyped>): Exclude<GoValue, GoTyped> {
  if ((kind === 'int' || kind === 'uint') && typeof raw === 'number') {
    return BigInt(Math.trunc(raw));
  }
  if (kind === 'float' && typeof raw === 'bigint') return Number(raw);
  return raw;
}

function elemOf(kind: Kind, type: string): string {
  if (kind === 'slice' || kind === 'bytes') return type.slice(2);
  if (kind === 'map') return mapElem(type);
  return INTERFACE;
}

/** Resolves a value's Go kind and type name (unwrapping GoTyped, including nested ones). */
export function describe(v: GoValue): Described {
  if (!(v instanceof GoTyped)) return describePlain(v);
  const str = methodOf(v, 'String');
  if (str !== undefined) {
    const text = str();
    return { ...describeTyped(v), stringer: typeof text === 'string' ? text : '' };
  }
  return describeTyped(v);
}

function describeTyped(v: GoTyped): Described {
  const inner = describe(v.value);
  const type = ALIASES.get(v.type) ?? v.type;
  if (type === INTERFACE) return inner;
  // A typed nil of a kind that has no nil (e.g. an "error" or named interface) is plain nil.
  let kind = kindOfName(type, inner.kind);
  if (inner.kind === 'nil' && !NILLABLE.has(kind)) kind = 'nil';
  if (!compatible(kind, inner.kind)) return { ...inner, type };
  const raw = normalizeRaw(kind, inner.raw);
  const bits = type === 'float32' || type === 'complex64' ? 32 : 64;
  return { kind, type: kind === 'nil' ? '<nil>' : type, raw, elem: elemOf(kind, type), bits };
}

/** Go's reflect.TypeOf(v).String(), as %T prints it. */
export function typeName(v: GoValue): string {
  return describe(v).type;
}

export function isStringKind(v: GoValue): boolean {
  return describe(v).kind === 'string';
}
