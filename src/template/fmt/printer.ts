/** Go's fmt printer (print.go): operands, verbs, reflection-like printing, Printf's parser. */
import { GoTyped, type GoValue } from '../value.ts';
import { Formatter } from './formatter.ts';
import { describe, type Described } from './kinds.ts';
import { utf8Bytes } from './utf8.ts';

const NIL_ANGLE = '<nil>';
/** Stands in for a pointer value: JS has no addresses, Go prints a varying one. */
const FAKE_ADDRESS = 0xc000010000n;

function isInterfaceType(t: string): boolean {
  return t === 'interface {}' || t === 'any' || t === 'error' || t.startsWith('interface');
}

/** Byte-wise (UTF-8) order of strings, as Go sorts map keys. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n;) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/** The types printArg formats directly, without looking for methods. */
const PREDECLARED = new Set([
  'bool',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
  'float32',
  'float64',
  'complex64',
  'complex128',
  'string',
  '[]uint8',
]);

export class Printer {
  readonly buf: string[] = [];
  readonly f = new Formatter(this.buf);

  toString(): string {
    return this.buf.join('');
  }

  badVerb(verb: string, d: Described | null): void {
    this.buf.push('%!', verb, '(');
    if (d === null || d.kind === 'nil') {
      this.buf.push(NIL_ANGLE);
    } else {
      this.buf.push(d.type, '=');
      this.printDescribed(d, 'v', 0);
    }
    this.buf.push(')');
  }

  printArg(arg: GoValue, verb: string): void {
    const d = describe(arg);
    if (d.kind === 'nil') {
      if (verb === 'T' || verb === 'v') this.f.padString(NIL_ANGLE);
      else this.badVerb(verb, null);
      return;
    }
    if (verb === 'T') {
      this.f.fmtS(d.type);
      return;
    }
    if (verb === 'p') {
      this.fmtPointer(d, 'p');
      return;
    }
    // Values of other than the predeclared types reach Go's handleMethods, where %w outside
    // fmt.Errorf is a bad verb for the whole value (not for each element).
    if (verb === 'w' && !PREDECLARED.has(d.type)) {
      this.badVerb(verb, d);
      return;
    }
    if (d.kind === 'bytes' && d.type === '[]uint8' && d.raw instanceof Uint8Array) {
      this.fmtBytes(d, verb, '[]byte', 0);
      return;
    }
    this.printDescribed(d, verb, 0);
  }

  /** printValue: prints a resolved value; depth > 0 inside maps and slices. */
  printDescribed(d: Described, verb: string, depth: number): void {
    // Go's handleMethods: a Stringer prints its String() for these verbs (not for %#v).
    if (d.stringer !== undefined && 'vsxXq'.includes(verb) && !this.f.sharpV) {
      this.fmtString({ ...d, kind: 'string', raw: d.stringer }, verb);
      return;
    }
    switch (d.kind) {
      case 'nil':
        this.printNil(verb, depth);
        return;
      case 'bool':
        this.fmtBool(d, verb);
        return;
      case 'int':
      case 'uint':
        this.fmtInteger(d, verb);
        return;
      case 'float':
        this.fmtFloat(d, verb);
        return;
      case 'complex':
        this.fmtComplex(d, verb);
        return;
      case 'string':
        this.fmtString(d, verb);
        return;
      default:
        this.printComposite(d, verb, depth);
    }
  }

  private printComposite(d: Described, verb: string, depth: number): void {
    switch (d.kind) {
      case 'bytes':
        this.fmtBytes(d, verb, d.type, depth);
        return;
      case 'slice':
        this.printSlice(d, verb, depth);
        return;
      case 'map':
        this.printMap(d, verb, depth);
        return;
      case 'ptr':
        this.printPointer(d, verb, depth);
        return;
      case 'struct':
        this.printStruct(d, verb, depth);
        return;
      default:
        this.fmtPointer(d, verb);
    }
  }

  private printNil(verb: string, depth: number): void {
    if (depth === 0) this.buf.push('<invalid reflect.Value>');
    else if (verb === 'v') this.buf.push(NIL_ANGLE);
    else this.badVerb(verb, null);
  }

  /** An element of a slice or map, whose static type is `elemType`. */
  private printElem(v: GoValue, elemType: string, verb: string, depth: number): void {
    if (isInterfaceType(elemType)) {
      if (v === null) {
        this.buf.push(this.f.sharpV ? `${elemType}(nil)` : NIL_ANGLE);
        return;
      }
      this.printDescribed(describe(v), verb, depth + 1);
      return;
    }
    const d = v instanceof GoTyped ? describe(v) : describe(retype(elemType, v));
    this.printDescribed(d, verb, depth);
  }

  private fmtBool(d: Described, verb: string): void {
    if (verb === 't' || verb === 'v') this.f.fmtBoolean(d.raw === true);
    else this.badVerb(verb, d);
  }

  private fmtInteger(d: Described, verb: string): void {
    const v = typeof d.raw === 'bigint' ? d.raw : 0n;
    const signed = d.kind === 'int';
    const f = this.f;
    switch (verb) {
      case 'v':
        if (f.sharpV && !signed) f.fmt0x64(v, true);
        else f.fmtInteger(v, 10, signed, verb);
        return;
      case 'd':
        f.fmtInteger(v, 10, signed, verb);
        return;
      case 'b':
        f.fmtInteger(v, 2, signed, verb);
        return;
      case 'o':
      case 'O':
        f.fmtInteger(v, 8, signed, verb);
        return;
      case 'x':
      case 'X':
        f.fmtInteger(v, 16, signed, verb, verb === 'X');
        return;
      default:
        this.fmtRuneVerb(d, v, verb);
    }
  }

  private fmtRuneVerb(d: Described, v: bigint, verb: string): void {
    if (verb === 'c') this.f.fmtC(v);
    else if (verb === 'q') this.f.fmtQc(v);
    else if (verb === 'U') this.f.fmtUnicode(v);
    else this.badVerb(verb, d);
  }

  private fmtFloat(d: Described, verb: string): void {
    const v = typeof d.raw === 'number' ? d.raw : 0;
    switch (verb) {
      case 'v':
        this.f.fmtFloat(v, d.bits, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.f.fmtFloat(v, d.bits, verb, -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        this.f.fmtFloat(v, d.bits, verb, 6);
        return;
      case 'F':
        this.f.fmtFloat(v, d.bits, 'f', 6);
        return;
      default:
        this.badVerb(verb, d);
    }
  }

  /** Go's "(re+imi)": both parts with the float verb; the imaginary part always signed. */
  private fmtComplex(d: Described, verb: string): void {
    if (!'vbgGxXfFeE'.includes(verb)) {
      this.badVerb(verb, d);
      return;
    }
    const [re, im] = Array.isArray(d.raw) ? d.raw : [];
    const part = (v: GoValue | undefined): Described => ({
      kind: 'float',
      type: d.bits === 32 ? 'float32' : 'float64',
      raw: typeof v === 'number' ? v : Number(v ?? 0),
      elem: d.elem,
      bits: d.bits,
    });
    const oldPlus = this.f.plus;
    this.buf.push('(');
    this.fmtFloat(part(re), verb);
    this.f.plus = true;
    this.fmtFloat(part(im), verb);
    this.buf.push('i)');
    this.f.plus = oldPlus;
  }

  /** A string operand; its raw value may be bytes when the Go string is not valid UTF-8. */
  private fmtString(d: Described, verb: string): void {
    const raw = d.raw instanceof Uint8Array ? d.raw : typeof d.raw === 'string' ? d.raw : '';
    const bytes = (): Uint8Array => (typeof raw === 'string' ? utf8Bytes(raw) : raw);
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.f.fmtQ(bytes());
        else this.plainString(raw);
        return;
      case 's':
        this.plainString(raw);
        return;
      case 'x':
      case 'X':
        this.f.fmtSbx(bytes(), verb === 'X');
        return;
      case 'q':
        this.f.fmtQ(bytes());
        return;
      default:
        this.badVerb(verb, d);
    }
  }

  private plainString(raw: string | Uint8Array): void {
    if (typeof raw === 'string') this.f.fmtS(raw);
    else this.f.fmtBs(raw);
  }

  private fmtBytes(d: Described, verb: string, typeString: string, depth: number): void {
    const b = d.raw instanceof Uint8Array ? d.raw : null;
    const bytes = b ?? new Uint8Array(0);
    switch (verb) {
      case 's':
        this.f.fmtBs(bytes);
        return;
      case 'x':
      case 'X':
        this.f.fmtSbx(bytes, verb === 'X');
        return;
      case 'q':
        this.f.fmtQ(bytes);
        return;
      default:
        break;
    }
    if ((verb === 'v' || verb === 'd') && depth === 0 && typeString === '[]byte') {
      this.printByteList(b, verb, typeString);
      return;
    }
    this.printByteList(b, verb, d.type);
  }

  private printByteList(b: Uint8Array | null, verb: string, typeString: string): void {
    if (this.f.sharpV) {
      this.buf.push(typeString);
      if (b === null) {
        this.buf.push('(nil)');
        return;
      }
      this.buf.push('{');
      b.forEach((c, i) => {
        if (i > 0) this.buf.push(', ');
        this.f.fmt0x64(BigInt(c), true);
      });
      this.buf.push('}');
      return;
    }
    this.buf.push('[');
    (b ?? []).forEach((c, i) => {
      if (i > 0) this.buf.push(' ');
      this.fmtInteger(describe(retype('uint8', BigInt(c))), verb);
    });
    this.buf.push(']');
  }

  private printSlice(d: Described, verb: string, depth: number): void {
    const items = Array.isArray(d.raw) ? d.raw : null;
    const sharpV = this.f.sharpV;
    if (sharpV) {
      this.buf.push(d.type);
      if (items === null) {
        this.buf.push('(nil)');
        return;
      }
    }
    this.buf.push(sharpV ? '{' : '[');
    (items ?? []).forEach((item, i) => {
      if (i > 0) this.buf.push(sharpV ? ', ' : ' ');
      this.printElem(item, d.elem, verb, depth + 1);
    });
    this.buf.push(sharpV ? '}' : ']');
  }

  private printMap(d: Described, verb: string, depth: number): void {
    const map = d.raw instanceof Map ? d.raw : null;
    const sharpV = this.f.sharpV;
    if (sharpV) {
      this.buf.push(d.type);
      if (map === null) {
        this.buf.push('(nil)');
        return;
      }
      this.buf.push('{');
    } else {
      this.buf.push('map[');
    }
    const keys = [...(map?.keys() ?? [])].sort(compareGoStrings);
    keys.forEach((k, i) => {
      if (i > 0) this.buf.push(sharpV ? ', ' : ' ');
      this.printDescribed(describe(k), verb, depth + 1);
      this.buf.push(':');
      this.printElem(map?.get(k) ?? null, d.elem, verb, depth + 1);
    });
    this.buf.push(sharpV ? '}' : ']');
  }

  /** A struct: {v1 v2}, %+v {Name:v1 ...}, %#v pkg.T{Name:v1, ...}. */
  private printStruct(d: Described, verb: string, depth: number): void {
    const fields = d.raw instanceof Map ? [...d.raw] : [];
    const sharpV = this.f.sharpV;
    if (sharpV) this.buf.push(d.type);
    this.buf.push('{');
    fields.forEach(([name, value], i) => {
      if (i > 0) this.buf.push(sharpV ? ', ' : ' ');
      if (this.f.plusV || sharpV) this.buf.push(name, ':');
      this.printElem(value, 'interface {}', verb, depth + 1);
    });
    this.buf.push('}');
  }

  private printPointer(d: Described, verb: string, depth: number): void {
    const target = d.raw;
    if (depth === 0 && target !== null && (Array.isArray(target) || target instanceof Map)) {
      this.buf.push('&');
      this.printDescribed(describe(target), verb, depth + 1);
      return;
    }
    this.fmtPointer(d, verb);
  }

  fmtPointer(d: Described, verb: string): void {
    if (!['bytes', 'slice', 'map', 'ptr', 'func'].includes(d.kind)) {
      this.badVerb(verb, d);
      return;
    }
    const u = d.raw === null ? 0n : FAKE_ADDRESS;
    switch (verb) {
      case 'v':
        if (this.f.sharpV) {
          this.buf.push('(', d.type, ')(');
          if (u === 0n) this.buf.push('nil');
          else this.f.fmt0x64(u, true);
          this.buf.push(')');
        } else if (u === 0n) {
          this.f.padString(NIL_ANGLE);
        } else {
          this.f.fmt0x64(u, !this.f.sharp);
        }
        return;
      case 'p':
        this.f.fmt0x64(u, !this.f.sharp);
        return;
      default:
        this.fmtPointerInteger(d, u, verb);
    }
  }

  private fmtPointerInteger(d: Described, u: bigint, verb: string): void {
    if (['b', 'o', 'd', 'x', 'X'].includes(verb)) {
      this.fmtInteger(describe(retype('uintptr', u)), verb);
    } else {
      this.badVerb(verb, d);
    }
  }
}

function retype(type: string, v: GoValue): GoValue {
  return new GoTyped(type, v);
}
