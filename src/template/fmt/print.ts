/** Sprint, Sprintln and Sprintf's format parser (doPrintf in Go's print.go). */
import type { GoValue } from '../value.ts';
import { describe } from './kinds.ts';
import { Printer } from './printer.ts';

const MAX_NUM = 1e6;

function tooLarge(x: number): boolean {
  return x > MAX_NUM || x < -MAX_NUM;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

interface Num {
  num: number;
  isNum: boolean;
  next: number;
}

/** parsenum: ASCII digits at format[start:end]; a crazy long number jumps to the end. */
function parseNum(format: string, start: number, end: number): Num {
  let num = 0;
  let isNum = false;
  let i = start;
  for (; i < end && isDigit(format.charCodeAt(i)); i++) {
    if (tooLarge(num)) return { num: 0, isNum: false, next: end };
    num = num * 10 + (format.charCodeAt(i) - 0x30);
    isNum = true;
  }
  return { num, isNum, next: i };
}

/** intFromArg: a width or precision taken from an integer operand. */
function intFromArg(args: readonly GoValue[], argNum: number): Num {
  if (argNum >= args.length) return { num: 0, isNum: false, next: argNum };
  const d = describe(args[argNum] ?? null);
  let num = 0;
  let isNum = false;
  if ((d.kind === 'int' || d.kind === 'uint') && typeof d.raw === 'bigint') {
    const inRange = d.raw >= -(1n << 63n) && d.raw < 1n << 63n;
    if (inRange && !tooLarge(Number(d.raw))) {
      num = Number(d.raw);
      isNum = true;
    }
  }
  return { num, isNum, next: argNum + 1 };
}

/** parseArgNumber on format[i:], which starts with '['. */
function parseArgNumber(format: string, i: number): { index: number; width: number; ok: boolean } {
  if (format.length - i < 3) return { index: 0, width: 1, ok: false };
  for (let j = i + 1; j < format.length; j++) {
    if (format[j] === ']') {
      const n = parseNum(format, i + 1, j);
      if (!n.isNum || n.next !== j) return { index: 0, width: j - i + 1, ok: false };
      return { index: n.num - 1, width: j - i + 1, ok: true };
    }
  }
  return { index: 0, width: 1, ok: false };
}

/** One Printf call's parser state. */
class PrintfState {
  readonly p = new Printer();
  argNum = 0;
  afterIndex = false;
  reordered = false;
  goodArgNum = true;
  i = 0;

  constructor(
    readonly format: string,
    readonly args: readonly GoValue[],
  ) {}

  /** argNumber: an explicit [n] index at i, if any. */
  argNumberAt(): void {
    const format = this.format;
    if (this.i >= format.length || format[this.i] !== '[') {
      this.afterIndex = false;
      return;
    }
    this.reordered = true;
    const { index, width, ok } = parseArgNumber(format, this.i);
    this.i += width;
    if (ok && index >= 0 && index < this.args.length) {
      this.argNum = index;
      this.afterIndex = true;
      return;
    }
    this.goodArgNum = false;
    this.afterIndex = ok;
  }

  parseFlags(): void {
    const f = this.p.f;
    for (; this.i < this.format.length; this.i++) {
      const c = this.format[this.i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = true;
      else if (c === '+') f.plus = true;
      else if (c === '-') f.minus = true;
      else if (c === ' ') f.space = true;
      else return;
    }
  }

  parseWidth(): void {
    const f = this.p.f;
    if (this.format[this.i] === '*') {
      this.i++;
      const n = intFromArg(this.args, this.argNum);
      [f.wid, f.widPresent, this.argNum] = [n.num, n.isNum, n.next];
      if (!f.widPresent) this.p.buf.push('%!(BADWIDTH)');
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      this.afterIndex = false;
      return;
    }
    const n = parseNum(this.format, this.i, this.format.length);
    [f.wid, f.widPresent, this.i] = [n.num, n.isNum, n.next];
    if (this.afterIndex && f.widPresent) this.goodArgNum = false;
  }

  parsePrecision(): void {
    const f = this.p.f;
    if (!(this.i + 1 < this.format.length && this.format[this.i] === '.')) return;
    this.i++;
    if (this.afterIndex) this.goodArgNum = false;
    this.argNumberAt();
    if (this.format[this.i] === '*') {
      this.i++;
      const n = intFromArg(this.args, this.argNum);
      [f.prec, f.precPresent, this.argNum] = [n.num, n.isNum, n.next];
      if (f.prec < 0) {
        f.prec = 0;
        f.precPresent = false;
      }
      if (!f.precPresent) this.p.buf.push('%!(BADPREC)');
      this.afterIndex = false;
      return;
    }
    const n = parseNum(this.format, this.i, this.format.length);
    [f.prec, f.precPresent, this.i] = [n.num, true, n.next];
  }

  printVerb(verb: string): void {
    const { p, args } = this;
    if (verb === '%') {
      p.buf.push('%');
    } else if (!this.goodArgNum) {
      p.buf.push('%!', verb, '(BADINDEX)');
    } else if (this.argNum >= args.length) {
      p.buf.push('%!', verb, '(MISSING)');
    } else {
      if (verb === 'v') {
        p.f.sharpV = p.f.sharp;
        p.f.sharp = false;
        p.f.plusV = p.f.plus;
        p.f.plus = false;
      }
      p.printArg(args[this.argNum] ?? null, verb);
      this.argNum++;
    }
  }

  /** Processes one directive after its '%'; false when the format ended without a verb. */
  directive(): boolean {
    this.p.f.clearFlags();
    this.parseFlags();
    this.argNumberAt();
    this.parseWidth();
    this.parsePrecision();
    if (!this.afterIndex) this.argNumberAt();
    if (this.i >= this.format.length) {
      this.p.buf.push('%!(NOVERB)');
      return false;
    }
    const cp = this.format.codePointAt(this.i) ?? 0;
    this.i += cp > 0xffff ? 2 : 1;
    this.printVerb(String.fromCodePoint(cp));
    return true;
  }

  extra(): void {
    const { p, args } = this;
    if (this.reordered || this.argNum >= args.length) return;
    p.f.clearFlags();
    p.buf.push('%!(EXTRA ');
    args.slice(this.argNum).forEach((arg, k) => {
      if (k > 0) p.buf.push(', ');
      if (arg === null) {
        p.buf.push('<nil>');
      } else {
        p.buf.push(describe(arg).type, '=');
        p.printArg(arg, 'v');
      }
    });
    p.buf.push(')');
  }

  run(): string {
    const { format } = this;
    while (this.i < format.length) {
      this.goodArgNum = true;
      const pct = format.indexOf('%', this.i);
      const stop = pct < 0 ? format.length : pct;
      if (stop > this.i) this.p.buf.push(format.slice(this.i, stop));
      if (stop >= format.length) break;
      this.i = stop + 1;
      if (!this.directive()) break;
    }
    this.extra();
    return this.p.toString();
  }
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  return new PrintfState(format, args).run();
}

/** fmt.Sprint: operands in %v, with a space between two operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, n) => {
    // A Stringer (time.Time, *semver.Version) prints as text but is not of kind string.
    const d = arg === null ? null : describe(arg);
    const isString = d !== null && d.kind === 'string' && d.stringer === undefined;
    if (n > 0 && !isString && !prevString) p.buf.push(' ');
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.toString();
}

/** fmt.Sprintln: operands in %v separated by spaces, then a newline. */
export function sprintln(args: readonly GoValue[]): string {
  const p = new Printer();
  args.forEach((arg, n) => {
    if (n > 0) p.buf.push(' ');
    p.printArg(arg, 'v');
  });
  p.buf.push('\n');
  return p.toString();
}

/** %v of one value, as text/template prints it. */
export function formatValue(v: GoValue): string {
  const p = new Printer();
  p.printArg(v, 'v');
  return p.toString();
}
