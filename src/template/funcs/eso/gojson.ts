/**
 * The syntax error encoding/json reports for invalid input, in Go's words ("invalid character
 * 'o' in literal null (expecting 'u')", "unexpected end of JSON input"), or null when valid.
 * A recursive-descent check over UTF-8 bytes that stops where Go's scanner stops.
 */
import { quote } from '../../fmt.ts';

class Stop extends Error {}

const EOF = -1;

/** Go's quoteChar: the offending byte in single quotes. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const q = quote(String.fromCharCode(c));
  return "'" + q.slice(1, -1) + "'";
}

class Scanner {
  pos = 0;
  constructor(private readonly b: Buffer) {}

  peek(): number {
    return this.b[this.pos] ?? EOF;
  }

  fail(context: string): never {
    const c = this.peek();
    if (c === EOF) throw new Stop('unexpected end of JSON input');
    throw new Stop(`invalid character ${quoteChar(c)} ${context}`);
  }

  skipSpace(): void {
    while ([0x20, 0x09, 0x0a, 0x0d].includes(this.peek())) this.pos++;
  }

  value(): void {
    this.skipSpace();
    const c = this.peek();
    if (c === 0x7b) {
      this.object();
      return;
    }
    if (c === 0x5b) {
      this.array();
      return;
    }
    if (c === 0x22) {
      this.string();
      return;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.number();
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (c === lit.charCodeAt(0)) {
        this.literal(lit);
        return;
      }
    }
    this.fail('looking for beginning of value');
  }

  literal(lit: string): void {
    this.pos++;
    for (let i = 1; i < lit.length; i++) {
      if (this.peek() !== lit.charCodeAt(i))
        this.fail(`in literal ${lit} (expecting '${lit[i] ?? ''}')`);
      this.pos++;
    }
  }

  digits(context: string): void {
    if (!this.isDigit()) this.fail(context);
    while (this.isDigit()) this.pos++;
  }

  isDigit(): boolean {
    const c = this.peek();
    return c >= 0x30 && c <= 0x39;
  }

  number(): void {
    if (this.peek() === 0x2d) this.pos++;
    if (this.peek() === 0x30) this.pos++;
    else this.digits('in numeric literal');
    if (this.peek() === 0x2e) {
      this.pos++;
      this.digits('after decimal point in numeric literal');
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      this.pos++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.pos++;
      this.digits('in exponent of numeric literal');
    }
  }

  string(): void {
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c === EOF || c < 0x20) this.fail('in string literal');
      this.pos++;
      if (c === 0x5c) this.escape();
    }
  }

  escape(): void {
    const c = this.peek();
    if (c !== EOF && 'bfnrt\\/"'.includes(String.fromCharCode(c))) {
      this.pos++;
      return;
    }
    if (c !== 0x75) this.fail('in string escape code');
    this.pos++;
    for (let i = 0; i < 4; i++) {
      if (!/[0-9a-fA-F]/.test(String.fromCharCode(this.peek()))) {
        this.fail('in \\u hexadecimal character escape');
      }
      this.pos++;
    }
  }

  object(): void {
    this.pos++;
    this.skipSpace();
    if (this.peek() === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.peek() !== 0x22) this.fail('looking for beginning of object key string');
      this.string();
      this.skipSpace();
      if (this.peek() !== 0x3a) this.fail('after object key');
      this.pos++;
      this.value();
      this.skipSpace();
      if (this.peek() === 0x7d) {
        this.pos++;
        return;
      }
      if (this.peek() !== 0x2c) this.fail('after object key:value pair');
      this.pos++;
    }
  }

  array(): void {
    this.pos++;
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      this.skipSpace();
      if (this.peek() === 0x5d) {
        this.pos++;
        return;
      }
      if (this.peek() !== 0x2c) this.fail('after array element');
      this.pos++;
    }
  }
}

/** json.Unmarshal's syntax error for `text`, or null. */
export function goJsonSyntaxError(text: string): string | null {
  const s = new Scanner(Buffer.from(text, 'utf8'));
  try {
    s.value();
    s.skipSpace();
    if (s.peek() !== EOF) s.fail('after top-level value');
    return null;
  } catch (err) {
    if (err instanceof Stop) return err.message;
    throw err;
  }
}

/**
 * json.Decoder.Decode's error for the first value in `text`, or null: "EOF" when there is
 * none, "unexpected EOF" when it is cut short; whatever follows the value is not read.
 */
export function goJsonDecode(text: string): { error: string } | { value: unknown } {
  const bytes = Buffer.from(text, 'utf8');
  const s = new Scanner(bytes);
  s.skipSpace();
  if (s.peek() === EOF) return { error: 'EOF' };
  try {
    s.value();
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return {
      error: err.message === 'unexpected end of JSON input' ? 'unexpected EOF' : err.message,
    };
  }
  return { value: JSON.parse(bytes.subarray(0, s.pos).toString('utf8')) };
}
