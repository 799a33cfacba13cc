/**
 * Go (RE2) regular expressions on top of JS RegExp. `compileGoRegexp` translates Go syntax to an
 * equivalent `u`-flag RegExp and rejects what Go rejects, with Go's error texts; the match
 * helpers reproduce Go's FindAll / ReplaceAll / Split iteration rules (which differ from JS for
 * empty matches) and Go's `$1` / `${name}` template expansion.
 *
 * Differences we accept: matching is JS backtracking (same leftmost-first results as RE2, but
 * no linear-time guarantee); `\S` inside a bracket class keeps JS's Unicode white space.
 */

/** A syntax error, worded like Go's `regexp/syntax.Error`. */
export class GoRegexpError extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
    this.name = 'GoRegexpError';
  }
}

/** A compiled Go regexp: a JS RegExp (flags `u`, maybe `i`) plus Go's capture group names. */
export class GoRegExp extends RegExp {
  /** Go's SubexpNames(): index 0 is the whole match; unnamed groups are "". */
  readonly subexpNames: string[];
  /** The Go source text. */
  readonly goSource: string;

  constructor(source: string, flags: string, goSource: string, names: string[]) {
    super(source, flags);
    this.goSource = goSource;
    this.subexpNames = names;
  }
}

const E = {
  trailingBackslash: 'trailing backslash at end of expression',
  escape: 'invalid escape sequence',
  perl: 'invalid or unsupported Perl syntax',
  namedCapture: 'invalid named capture',
  missingParen: 'missing closing )',
  unexpectedParen: 'unexpected )',
  missingBracket: 'missing closing ]',
  charRange: 'invalid character class range',
  repeatOp: 'invalid nested repetition operator',
  repeatArg: 'missing argument to repetition operator',
  repeatSize: 'invalid repeat count',
  charClass: 'invalid character class',
} as const;

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const perlClasses: Record<string, string> = {
  d: '0-9',
  s: '\\t\\n\\f\\r ',
  w: '0-9A-Za-z_',
};

const JS_SYNTAX = '^$\\.*+?()[]{}|/';
const isWordChar = (c: string): boolean => /^[0-9A-Za-z_]$/.test(c);
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';

/** A code point as a JS-class-safe or pattern-safe literal. */
function lit(cp: number, inClass: boolean): string {
  const c = String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (inClass) return '\\]['.includes(c) || c === '^' || c === '-' ? `\\${c}` : c;
  return JS_SYNTAX.includes(c) ? `\\${c}` : c;
}

function caseVariants(cp: number): number[] {
  const c = String.fromCodePoint(cp);
  const set = new Set([cp]);
  for (const v of [c.toLowerCase(), c.toUpperCase()]) {
    if (Array.from(v).length === 1) set.add(v.codePointAt(0) ?? cp);
  }
  if (cp === 0x6b || cp === 0x4b) set.add(0x212a); // k, K, Kelvin sign fold together in Go
  if (cp === 0x73 || cp === 0x53) set.add(0x17f); // s, S, long s
  return [...set];
}

/** Signals that a leading (?i) cannot become the JS `i` flag. */
class NoGlobalI extends Error {}

class Translator {
  private i = 0;
  private out = '';
  private flags: Flags = { i: false, m: false, s: false, U: false };
  private readonly stack: { flags: Flags; start: number }[] = [];
  readonly names: string[] = [''];
  globalI = false;
  /** Start of the last repeatable atom in `out`, or -1; and whether it was itself a repeat. */
  private atom = -1;
  private lastRepeat = '';

  constructor(
    private readonly src: string,
    private readonly allowGlobalI = true,
  ) {}

  private peek(k = 0): string | undefined {
    return this.src[this.i + k];
  }

  run(): string {
    while (this.i < this.src.length) this.step();
    if (this.stack.length > 0) throw new GoRegexpError(E.missingParen, this.src);
    return this.out;
  }

  private emitAtom(s: string): void {
    this.atom = this.out.length;
    this.lastRepeat = '';
    this.out += s;
  }

  private step(): void {
    const c = this.peek() ?? '';
    const handlers: Record<string, () => void> = {
      '\\': () => {
        this.escape();
      },
      '[': () => {
        this.emitAtom(this.charClass());
      },
      '(': () => {
        this.open();
      },
      ')': () => {
        this.close();
      },
      '|': () => {
        this.simple('|', false);
      },
      '.': () => {
        this.simple(this.flags.s ? '[^]' : '[^\\n]', true);
      },
      '^': () => {
        this.simple(this.flags.m ? '(?:^|(?<=\\n))' : '^', false, true);
      },
      $: () => {
        this.simple(this.flags.m ? '(?:$|(?=\\n))' : '$', false, true);
      },
      '*': () => {
        this.repeat(1);
      },
      '+': () => {
        this.repeat(1);
      },
      '?': () => {
        this.repeat(1);
      },
      '{': () => {
        this.brace();
      },
    };
    const h = handlers[c];
    if (h !== undefined) {
      h();
      return;
    }
    const cp = this.src.codePointAt(this.i) ?? 0;
    this.i += cp > 0xffff ? 2 : 1;
    this.emitAtom(this.literal(cp));
  }

  private simple(js: string, atom: boolean, assertion = false): void {
    this.i++;
    if (atom) this.emitAtom(js);
    else if (assertion) this.emitAtom(`(?:${js})`);
    else {
      this.out += js;
      this.atom = -1;
      this.lastRepeat = '';
    }
  }

  private literal(cp: number): string {
    if (this.flags.i && !this.globalI) {
      const vs = caseVariants(cp);
      if (vs.length > 1) return `[${vs.map((v) => lit(v, true)).join('')}]`;
    }
    return lit(cp, false);
  }

  private repeat(len: number): void {
    const op = this.src.slice(this.i, this.i + len);
    let text = op;
    this.i += len;
    let lazy = false;
    if (this.peek() === '?') {
      lazy = true;
      text += '?';
      this.i++;
    }
    if (this.lastRepeat !== '') throw new GoRegexpError(E.repeatOp, this.lastRepeat + text);
    if (this.atom < 0) throw new GoRegexpError(E.repeatArg, text);
    if (this.flags.U) lazy = !lazy;
    this.out += op + (lazy ? '?' : '');
    this.lastRepeat = text;
  }

  private brace(): void {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
    if (m === null) {
      this.i++;
      this.emitAtom(this.literal(0x7b));
      return;
    }
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : m[3] === '' ? -1 : Number(m[3]);
    if (lo > 1000 || hi > 1000 || (hi >= 0 && hi < lo)) throw new GoRegexpError(E.repeatSize, m[0]);
    this.repeat(m[0].length);
  }

  private escape(): void {
    const start = this.i;
    this.i++;
    const c = this.peek();
    if (c === undefined) throw new GoRegexpError(E.trailingBackslash, '');
    this.i++;
    const bad = (): never => {
      throw new GoRegexpError(E.escape, this.src.slice(start, this.i));
    };
    if (c === 'A') {
      this.simple2('^');
      return;
    }
    if (c === 'z') {
      this.simple2('$');
      return;
    }
    if (c === 'b' || c === 'B') {
      this.simple2(`\\${c}`);
      return;
    }
    if (c === 'Q') {
      this.quoted();
      return;
    }
    if (c in perlClasses) {
      this.emitAtom(`[${perlClasses[c] ?? ''}]`);
      return;
    }
    const lower = c.toLowerCase();
    if (lower in perlClasses && c !== lower) {
      this.emitAtom(`[^${perlClasses[lower] ?? ''}]`);
      return;
    }
    if (c === 'p' || c === 'P') {
      this.emitAtom(this.unicodeClass(c, start));
      return;
    }
    const cp = this.escapedCodePoint(c, bad);
    this.emitAtom(this.literal(cp));
  }

  private simple2(js: string): void {
    this.out += js;
    this.atom = -1;
    this.lastRepeat = '';
  }

  private quoted(): void {
    const end = this.src.indexOf('\\E', this.i);
    const text = end < 0 ? this.src.slice(this.i) : this.src.slice(this.i, end);
    this.i = end < 0 ? this.src.length : end + 2;
    for (const ch of text) this.emitAtom(this.literal(ch.codePointAt(0) ?? 0));
  }

  /** The code point of a character escape (shared by classes); calls bad() if Go rejects it. */
  private escapedCodePoint(c: string, bad: () => never): number {
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (c in simple) return simple[c] ?? 0;
    if (c >= '1' && c <= '7' && !isOctal(this.peek())) bad();
    if (c >= '0' && c <= '7') {
      let digits = c;
      while (digits.length < 3 && isOctal(this.peek())) digits += this.src[this.i++] ?? '';
      return Number.parseInt(digits, 8);
    }
    if (c === 'x') return this.hexEscape(bad);
    const cp = c.codePointAt(0) ?? 0;
    if (cp < 0x80 && !isWordChar(c)) return cp;
    return bad();
  }

  private hexEscape(bad: () => never): number {
    if (this.peek() === '{') {
      const m = /^\{([0-9A-Fa-f]+)\}/.exec(this.src.slice(this.i));
      if (m === null) {
        this.i = Math.min(this.src.length, this.src.indexOf('}', this.i) + 1 || this.src.length);
        return bad();
      }
      this.i += m[0].length;
      const v = Number.parseInt(m[1] ?? '', 16);
      return v > 0x10ffff ? bad() : v;
    }
    const m = /^[0-9A-Fa-f]{2}/.exec(this.src.slice(this.i));
    if (m === null) {
      this.i = Math.min(this.i + 2, this.src.length);
      return bad();
    }
    this.i += 2;
    return Number.parseInt(m[0], 16);
  }

  private unicodeClass(p: string, start: number): string {
    let name: string;
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.i);
      if (end < 0) throw new GoRegexpError(E.charRange, this.src.slice(start));
      name = this.src.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = this.src[this.i] ?? '';
      this.i++;
    }
    let neg = p === 'P';
    if (name.startsWith('^')) {
      neg = !neg;
      name = name.slice(1);
    }
    const js =
      name === 'Any' ? '[^]' : /^[A-Z][a-z]?$/.test(name) ? `\\p{${name}}` : `\\p{Script=${name}}`;
    try {
      new RegExp(js, 'u');
    } catch {
      throw new GoRegexpError(E.charRange, this.src.slice(start, this.i));
    }
    if (name === 'Any') return neg ? '[^\\s\\S]' : js;
    return neg ? js.replace('\\p', '\\P') : js;
  }

  /** A bracket expression, translated to a JS class. */
  private charClass(): string {
    const start = this.i;
    this.i++;
    let neg = false;
    if (this.peek() === '^') {
      neg = true;
      this.i++;
    }
    const parts: string[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new GoRegexpError(E.missingBracket, this.src.slice(start));
      if (c === ']' && !first) break;
      first = false;
      if (c === '[' && this.peek(1) === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.i));
        const cls = m === null ? undefined : posixClasses[m[2] ?? ''];
        if (m !== null && cls !== undefined) {
          this.i += m[0].length;
          parts.push(m[1] === '^' ? this.negatedPosix(cls) : cls);
          continue;
        }
        if (m !== null) throw new GoRegexpError(E.charRange, m[0]);
      }
      parts.push(this.classItem());
    }
    this.i++;
    const body = parts.join('');
    if (this.flags.i && !this.globalI) return `[${neg ? '^' : ''}${this.foldClass(body)}]`;
    return `[${neg ? '^' : ''}${body}]`;
  }

  private negatedPosix(cls: string): string {
    // [[:^alpha:]] inside a larger class: expressed as the complement over all code points.
    const re = new RegExp(`[^${cls}]`, 'u');
    const ranges: string[] = [];
    let lo = -1;
    for (let cp = 0; cp <= 0x80; cp++) {
      const inSet = cp < 0x80 && re.test(String.fromCodePoint(cp));
      if (inSet && lo < 0) lo = cp;
      if (!inSet && lo >= 0) {
        ranges.push(`${lit(lo, true)}-${lit(cp - 1, true)}`);
        lo = -1;
      }
    }
    return `${ranges.join('')}\\x80-\\u{10FFFF}`;
  }

  private foldClass(body: string): string {
    // Adds the other case of every ASCII letter the class covers (scoped (?i) only).
    let extra = '';
    const re = new RegExp(`[${body}]`, 'u');
    for (let cp = 0x41; cp <= 0x7a; cp++) {
      const ch = String.fromCharCode(cp);
      if (/[A-Za-z]/.test(ch) && re.test(ch)) extra += ch.toLowerCase() + ch.toUpperCase();
    }
    return body + extra;
  }

  /** One class member: a char, an escape or a range. */
  private classItem(): string {
    const start = this.i;
    const lo = this.classChar();
    if (typeof lo === 'string') return lo;
    if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
      this.i++;
      const hi = this.classChar();
      if (typeof hi === 'string' || hi < lo) {
        throw new GoRegexpError(E.charRange, this.src.slice(start, this.i));
      }
      return `${lit(lo, true)}-${lit(hi, true)}`;
    }
    return lit(lo, true);
  }

  /** A code point, or an already-translated class fragment (\d, \pL, …). */
  private classChar(): number | string {
    const start = this.i;
    const c = this.peek() ?? '';
    if (c !== '\\') {
      const cp = this.src.codePointAt(this.i) ?? 0;
      this.i += cp > 0xffff ? 2 : 1;
      return cp;
    }
    this.i++;
    const e = this.peek();
    if (e === undefined) throw new GoRegexpError(E.trailingBackslash, '');
    this.i++;
    if (e in perlClasses) return perlClasses[e] ?? '';
    const lower = e.toLowerCase();
    if (lower in perlClasses && e !== lower) return `\\${e}`;
    if (e === 'p' || e === 'P') return this.unicodeClass(e, start).replace(/^\[(.*)\]$/, '$1');
    return this.escapedCodePoint(e, () => {
      throw new GoRegexpError(E.escape, this.src.slice(start, this.i));
    });
  }

  private open(): void {
    const rest = this.src.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.i++;
      this.push(this.flags);
      this.names.push('');
      this.out += '(';
      return;
    }
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if (rest.startsWith('(?P<') || (rest.startsWith('(?<') && rest.length > 3)) {
      if (named === null) throw new GoRegexpError(E.namedCapture, rest);
      if (!/^[0-9A-Za-z_]+$/.test(named[1] ?? ''))
        throw new GoRegexpError(E.namedCapture, named[0]);
      this.i += named[0].length;
      this.push(this.flags);
      this.names.push(named[1] ?? '');
      this.out += '(';
      return;
    }
    this.flagGroup(rest);
  }

  private flagGroup(rest: string): void {
    const m = /^\(\?(-?)([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
    const fail = (): never => {
      const bad = /^\(\?[imsU-]*.?/u.exec(rest)?.[0] ?? '(?';
      throw new GoRegexpError(E.perl, bad);
    };
    if (m === null) return fail();
    const [all, leadingDash = '', on = '', off, end] = m;
    if (leadingDash === '-' && off !== undefined) return fail();
    const clear = leadingDash === '-' ? on : (off ?? '');
    const set = leadingDash === '-' ? '' : on;
    if ((leadingDash === '-' || off !== undefined) && clear === '') return fail();
    if (set === '' && clear === '' && end === ')') return fail();
    const next: Flags = { ...this.flags };
    for (const f of set) next[f as keyof Flags] = true;
    for (const f of clear) next[f as keyof Flags] = false;
    this.i += all.length;
    if (end === ':') {
      this.push(this.flags);
      this.flags = next;
      this.out += '(?:';
      return;
    }
    const atStart = this.out === '' && this.stack.length === 0;
    if (next.i && !this.flags.i && atStart && this.allowGlobalI) this.globalI = true;
    // (?i) turned off again later: start over, case-folding literals one by one instead.
    if (!next.i && this.globalI) throw new NoGlobalI();
    this.flags = next;
  }

  private push(flags: Flags): void {
    this.stack.push({ flags, start: this.out.length });
    this.atom = -1;
    this.lastRepeat = '';
  }

  private close(): void {
    const top = this.stack.pop();
    if (top === undefined) throw new GoRegexpError(E.unexpectedParen, this.src);
    this.i++;
    this.flags = top.flags;
    this.out += ')';
    this.atom = top.start;
    this.lastRepeat = '';
  }
}

/** regexp.Compile: a RegExp (flags `u`, plus `i` for a leading `(?i)`) or a GoRegexpError. */
export function compileGoRegexp(pattern: string): GoRegExp {
  let t = new Translator(pattern);
  let source: string;
  try {
    source = t.run();
  } catch (e) {
    if (!(e instanceof NoGlobalI)) throw e;
    t = new Translator(pattern, false);
    source = t.run();
  }
  try {
    return new GoRegExp(source, t.globalI ? 'iu' : 'u', pattern, t.names);
  } catch (e) {
    throw new GoRegexpError(E.charClass, `${pattern} (${(e as Error).message})`);
  }
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** One match: [start, end] pairs for the whole match and each group (-1 when unset), UTF-16. */
export type MatchIndex = number[];

function globalOf(re: RegExp): RegExp {
  let flags = re.flags;
  if (!flags.includes('g')) flags += 'g';
  if (!flags.includes('d')) flags += 'd'; // group offsets, for Expand
  return new RegExp(re.source, flags);
}

function execAt(g: RegExp, s: string, pos: number): MatchIndex | null {
  g.lastIndex = pos;
  const m = g.exec(s);
  if (m === null) return null;
  const idx: MatchIndex = [];
  for (let k = 0; k < m.length; k++) {
    const pair = m.indices?.[k];
    idx.push(pair?.[0] ?? -1, pair?.[1] ?? -1);
  }
  return idx;
}

const runeWidth = (s: string, pos: number): number => ((s.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1);

/** Go's allMatches: successive non-overlapping matches; an empty match right after one is skipped. */
export function goFindAllIndex(re: RegExp, s: string, n = -1): MatchIndex[] {
  const g = globalOf(re);
  const out: MatchIndex[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    const m = execAt(g, s, pos);
    if (m === null) break;
    const [a = 0, b = 0] = m;
    let accept = true;
    if (b === pos) {
      if (a === prevEnd) accept = false;
      pos += pos < s.length ? runeWidth(s, pos) : 1;
    } else pos = b;
    prevEnd = b;
    if (accept) out.push(m);
  }
  return out;
}

/** regexp.FindAllString. */
export function goFindAll(re: RegExp, s: string, n = -1): string[] {
  return goFindAllIndex(re, s, n).map(([a = 0, b = 0]) => s.slice(a, b));
}

/** regexp.Split. */
export function goSplit(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== '(?:)' && s === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const [a = 0, b = 0] of goFindAllIndex(re, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = a;
    if (b !== 0) out.push(s.slice(beg, end));
    beg = b;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

const isNameChar = (c: string): boolean => /^[\p{L}\p{Nd}_]$/u.test(c);

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; `$1x` names group "1x". */
export function expandGoTemplate(tpl: string, s: string, m: MatchIndex, names: string[]): string {
  let out = '';
  let t = tpl;
  for (;;) {
    const k = t.indexOf('$');
    if (k < 0) break;
    out += t.slice(0, k);
    t = t.slice(k + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const brace = t.startsWith('{');
    const chars = Array.from(brace ? t.slice(1) : t);
    let len = 0;
    while (len < chars.length && isNameChar(chars[len] ?? '')) len++;
    const name = chars.slice(0, len).join('');
    const after = (brace ? 1 : 0) + name.length;
    if (len === 0 || (brace && t[after] !== '}')) {
      out += '$';
      continue;
    }
    t = t.slice(after + (brace ? 1 : 0));
    const num = /^\d+$/.test(name) && name.length < 9 ? Number(name) : -1;
    const group = num >= 0 ? num : names.indexOf(name);
    const a = m[2 * group];
    const b = m[2 * group + 1];
    if (group >= 0 && a !== undefined && b !== undefined && a >= 0) out += s.slice(a, b);
  }
  return out + t;
}

/** regexp.ReplaceAllString (`literal` false) or ReplaceAllLiteralString (`literal` true). */
export function goReplaceAll(re: RegExp, src: string, repl: string, literal: boolean): string {
  const g = globalOf(re);
  const names = re instanceof GoRegExp ? re.subexpNames : [];
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= src.length) {
    const m = execAt(g, src, pos);
    if (m === null) break;
    const [a = 0, b = 0] = m;
    out += src.slice(lastEnd, a);
    if (b > lastEnd || a === 0) out += literal ? repl : expandGoTemplate(repl, src, m, names);
    lastEnd = b;
    const w = pos < src.length ? runeWidth(src, pos) : 1;
    if (pos + w > b) pos += w;
    else if (pos + 1 > b) pos++;
    else pos = b;
  }
  return out + src.slice(lastEnd);
}

/** regexp.FindString: the leftmost match, or "". */
export function goFindString(re: RegExp, s: string): string {
  const m = execAt(globalOf(re), s, 0);
  return m === null ? '' : s.slice(m[0], m[1]);
}

/** regexp.MatchString on a compiled pattern. */
export function goMatch(re: RegExp, s: string): boolean {
  return execAt(globalOf(re), s, 0) !== null;
}

/** regexp.MustCompile's panic text, which sprig's non-must regex functions surface. */
export function mustCompileMessage(pattern: string, err: GoRegexpError): string {
  // eslint-disable-next-line no-control-regex -- strconv.CanBackquote rejects control characters
  const canBackquote = !/[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(pattern);
  const q = canBackquote ? `\`${pattern}\`` : JSON.stringify(pattern);
  return `regexp: Compile(${q}): ${err.message}`;
}

/** Alias of expandGoTemplate under the name other modules asked for. */
export const expandGoReplacement = expandGoTemplate;
