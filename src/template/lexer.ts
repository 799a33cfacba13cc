/**
 * Lexer for Go text/template, a port of the state machine in text/template/parse/lex.go so that
 * token boundaries, line counting and error texts match Go exactly.
 */
import { formatRuneU, goQuote, isAlphaNumeric, utf8Length } from './gostr.ts';

export const T = {
  Error: 0,
  Bool: 1,
  Char: 2,
  CharConstant: 3,
  Comment: 4,
  Complex: 5,
  Assign: 6,
  Declare: 7,
  EOF: 8,
  Field: 9,
  Identifier: 10,
  LeftDelim: 11,
  LeftParen: 12,
  Number: 13,
  Pipe: 14,
  RawString: 15,
  RightDelim: 16,
  RightParen: 17,
  Space: 18,
  String: 19,
  Text: 20,
  Variable: 21,
  // Keywords come after Keyword, as in Go.
  Keyword: 22,
  Block: 23,
  Break: 24,
  Continue: 25,
  Dot: 26,
  Define: 27,
  Else: 28,
  End: 29,
  If: 30,
  Nil: 31,
  Range: 32,
  Template: 33,
  With: 34,
} as const;
export type ItemType = (typeof T)[keyof typeof T];

export interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

const keywords: ReadonlyMap<string, ItemType> = new Map<string, ItemType>([
  ['.', T.Dot],
  ['block', T.Block],
  ['break', T.Break],
  ['continue', T.Continue],
  ['define', T.Define],
  ['else', T.Else],
  ['end', T.End],
  ['if', T.If],
  ['range', T.Range],
  ['nil', T.Nil],
  ['template', T.Template],
  ['with', T.With],
]);

/** Item.String() as Go prints tokens in "unexpected …" errors. */
export function itemString(i: Item): string {
  if (i.typ === T.EOF) return 'EOF';
  if (i.typ === T.Error) return i.val;
  if (i.typ > T.Keyword) return `<${i.val}>`;
  if (utf8Length(i.val) > 10) {
    // %.10q: quote the first ten runes.
    return goQuote(Array.from(i.val).slice(0, 10).join('')) + '...';
  }
  return goQuote(i.val);
}

const EOF = -1;
const S = {
  Done: 0,
  Text: 1,
  LeftDelim: 2,
  Comment: 3,
  RightDelim: 4,
  InsideAction: 5,
  Space: 6,
  Identifier: 7,
  Field: 8,
  Variable: 9,
  Char: 10,
  Number: 11,
  Quote: 12,
  RawQuote: 13,
} as const;
type State = (typeof S)[keyof typeof S];

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

function isSpaceCode(s: string, i: number): boolean {
  return isSpace(s.charCodeAt(i));
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s.charCodeAt(at) === 0x2d && isSpaceCode(s, at + 1);
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpaceCode(s, at) && s.charCodeAt(at + 1) === 0x2d;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 0x0a) n++;
  return n;
}

export interface LexOptions {
  breakOK: boolean;
  continueOK: boolean;
}

export class Lexer {
  private input: string;
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item: Item = { typ: T.EOF, pos: 0, val: 'EOF', line: 1 };
  private insideAction = false;
  options: LexOptions = { breakOK: true, continueOK: true };

  constructor(
    input: string,
    private readonly leftDelim: string,
    private readonly rightDelim: string,
  ) {
    this.input = input;
  }

  nextItem(): Item {
    this.item = { typ: T.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: State = this.insideAction ? S.InsideAction : S.Text;
    while (state !== S.Done) state = this.step(state);
    return this.item;
  }

  private step(state: State): State {
    switch (state) {
      case S.Text:
        return this.lexText();
      case S.LeftDelim:
        return this.lexLeftDelim();
      case S.Comment:
        return this.lexComment();
      case S.RightDelim:
        return this.lexRightDelim();
      case S.InsideAction:
        return this.lexInsideAction();
      case S.Space:
        return this.lexSpace();
      case S.Identifier:
        return this.lexIdentifier();
      case S.Field:
        return this.lexFieldOrVariable(T.Field);
      case S.Variable:
        return this.atTerminator() ? this.emit(T.Variable) : this.lexFieldOrVariable(T.Variable);
      case S.Char:
        return this.lexQuoted(0x27, 'unterminated character constant', T.CharConstant);
      case S.Number:
        return this.lexNumber();
      case S.Quote:
        return this.lexQuoted(0x22, 'unterminated quoted string', T.String);
      case S.RawQuote:
        return this.lexRawQuote();
      default:
        return S.Done;
    }
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    let r = this.input.codePointAt(this.pos) ?? EOF;
    if (r > 0xffff) this.pos += 2;
    else {
      this.pos += 1;
      if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd;
    }
    if (r === 0x0a) this.line++;
    return r;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    if (this.atEOF || this.pos <= 0) return;
    const c = this.input.charCodeAt(this.pos - 1);
    if (c >= 0xdc00 && c <= 0xdfff && this.pos >= 2) {
      const h = this.input.charCodeAt(this.pos - 2);
      this.pos -= h >= 0xd800 && h <= 0xdbff ? 2 : 1;
      return;
    }
    this.pos -= 1;
    if (c === 0x0a) this.line--;
  }

  private thisItem(typ: ItemType): Item {
    const i: Item = {
      typ,
      pos: this.start,
      val: this.input.slice(this.start, this.pos),
      line: this.startLine,
    };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  private emit(typ: ItemType): State {
    this.item = this.thisItem(typ);
    return S.Done;
  }

  private emitItem(i: Item): State {
    this.item = i;
    return S.Done;
  }

  private ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  private errorf(message: string): State {
    this.item = { typ: T.Error, pos: this.start, val: message, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return S.Done;
  }

  private lexText(): State {
    const x = this.input.indexOf(this.leftDelim, this.pos);
    if (x >= 0) {
      if (x > this.pos) {
        this.pos = x;
        let trimLength = 0;
        const delimEnd = this.pos + this.leftDelim.length;
        if (hasLeftTrimMarker(this.input, delimEnd)) {
          trimLength = this.rightTrimLength(this.start, this.pos);
        }
        this.pos -= trimLength;
        this.line += countNewlines(this.input, this.start, this.pos);
        const i = this.thisItem(T.Text);
        this.pos += trimLength;
        this.ignore();
        if (i.val.length > 0) return this.emitItem(i);
      }
      return S.LeftDelim;
    }
    this.pos = this.input.length;
    if (this.pos > this.start) {
      this.line += countNewlines(this.input, this.start, this.pos);
      return this.emit(T.Text);
    }
    return this.emit(T.EOF);
  }

  private rightTrimLength(from: number, to: number): number {
    let i = to;
    while (i > from && isSpaceCode(this.input, i - 1)) i--;
    return to - i;
  }

  private leftTrimLength(from: number): number {
    let i = from;
    while (i < this.input.length && isSpaceCode(this.input, i)) i++;
    return i - from;
  }

  private atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (
      hasRightTrimMarker(this.input, this.pos) &&
      this.input.startsWith(this.rightDelim, this.pos + 2)
    ) {
      return { delim: true, trimSpaces: true };
    }
    if (this.input.startsWith(this.rightDelim, this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }

  private lexLeftDelim(): State {
    this.pos += this.leftDelim.length;
    const trimSpace = hasLeftTrimMarker(this.input, this.pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (this.input.startsWith('/*', this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.ignore();
      return S.Comment;
    }
    const i = this.thisItem(T.LeftDelim);
    this.insideAction = true;
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    return this.emitItem(i);
  }

  private lexComment(): State {
    this.pos += 2;
    const x = this.input.indexOf('*/', this.pos);
    if (x < 0) return this.errorf('unclosed comment');
    this.pos = x + 2;
    const { delim, trimSpaces } = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    this.line += countNewlines(this.input, this.start, this.pos);
    this.thisItem(T.Comment);
    if (trimSpaces) this.pos += 2;
    this.pos += this.rightDelim.length;
    if (trimSpaces) this.pos += this.leftTrimLength(this.pos);
    this.ignore();
    return S.Text;
  }

  private lexRightDelim(): State {
    const { trimSpaces } = this.atRightDelim();
    if (trimSpaces) {
      this.pos += 2;
      this.ignore();
    }
    this.pos += this.rightDelim.length;
    const i = this.thisItem(T.RightDelim);
    if (trimSpaces) {
      this.pos += this.leftTrimLength(this.pos);
      this.ignore();
    }
    this.insideAction = false;
    return this.emitItem(i);
  }

  private lexInsideAction(): State {
    if (this.atRightDelim().delim) {
      if (this.parenDepth === 0) return S.RightDelim;
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === EOF) return this.errorf('unclosed action');
    if (isSpace(r)) {
      this.backup();
      return S.Space;
    }
    const simple = this.lexPunctuation(r);
    if (simple !== undefined) return simple;
    if (r === 0x2e) {
      if (this.pos < this.input.length) {
        const c = this.input.charCodeAt(this.pos);
        if (c < 0x30 || c > 0x39) return S.Field;
      }
      this.backup();
      return S.Number;
    }
    if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
      this.backup();
      return S.Number;
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return S.Identifier;
    }
    return this.lexParenOrChar(r);
  }

  private lexPunctuation(r: number): State | undefined {
    switch (r) {
      case 0x3d: // =
        return this.emit(T.Assign);
      case 0x3a: // :
        if (this.next() !== 0x3d) return this.errorf('expected :=');
        return this.emit(T.Declare);
      case 0x7c: // |
        return this.emit(T.Pipe);
      case 0x22:
        return S.Quote;
      case 0x60:
        return S.RawQuote;
      case 0x24:
        return S.Variable;
      case 0x27:
        return S.Char;
    }
    return undefined;
  }

  private lexParenOrChar(r: number): State {
    if (r === 0x28) {
      this.parenDepth++;
      return this.emit(T.LeftParen);
    }
    if (r === 0x29) {
      this.parenDepth--;
      if (this.parenDepth < 0) return this.errorf('unexpected right paren');
      return this.emit(T.RightParen);
    }
    if (r < 0x80 && r >= 0x20 && r < 0x7f) return this.emit(T.Char);
    return this.errorf(`unrecognized character in action: ${formatRuneU(r)}`);
  }

  private lexSpace(): State {
    let numSpaces = 0;
    for (;;) {
      const r = this.peek();
      if (!isSpace(r)) break;
      this.next();
      numSpaces++;
    }
    if (
      hasRightTrimMarker(this.input, this.pos - 1) &&
      this.input.startsWith(this.rightDelim, this.pos + 1)
    ) {
      this.backup();
      if (numSpaces === 1) return S.RightDelim;
    }
    return this.emit(T.Space);
  }

  private lexIdentifier(): State {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r)) continue;
      this.backup();
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
      const kw = keywords.get(word);
      if (kw !== undefined && kw > T.Keyword) {
        if (
          (kw === T.Break && !this.options.breakOK) ||
          (kw === T.Continue && !this.options.continueOK)
        ) {
          return this.emit(T.Identifier);
        }
        return this.emit(kw);
      }
      if (word.startsWith('.')) return this.emit(T.Field);
      if (word === 'true' || word === 'false') return this.emit(T.Bool);
      return this.emit(T.Identifier);
    }
  }

  private lexFieldOrVariable(typ: ItemType): State {
    if (this.atTerminator()) return this.emit(typ === T.Variable ? T.Variable : T.Dot);
    let r: number;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
    return this.emit(typ);
  }

  private atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 0x2e:
      case 0x2c:
      case 0x7c:
      case 0x3a:
      case 0x29:
      case 0x28:
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }

  private lexQuoted(quote: number, unterminated: string, typ: ItemType): State {
    for (;;) {
      let r = this.next();
      if (r === 0x5c) {
        r = this.next();
        if (r !== EOF && r !== 0x0a) continue;
        return this.errorf(unterminated);
      }
      if (r === EOF || r === 0x0a) return this.errorf(unterminated);
      if (r === quote) break;
    }
    return this.emit(typ);
  }

  private lexRawQuote(): State {
    for (;;) {
      const r = this.next();
      if (r === EOF) return this.errorf('unterminated raw quoted string');
      if (r === 0x60) break;
    }
    return this.emit(T.RawString);
  }

  private lexNumber(): State {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${this.quoteSoFar()}`);
    const sign = this.peek();
    if (sign === 0x2b || sign === 0x2d) {
      if (!this.scanNumber() || this.input.charCodeAt(this.pos - 1) !== 0x69) {
        return this.errorf(`bad number syntax: ${this.quoteSoFar()}`);
      }
      return this.emit(T.Complex);
    }
    return this.emit(T.Number);
  }

  private quoteSoFar(): string {
    return goQuote(this.input.slice(this.start, this.pos));
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}
