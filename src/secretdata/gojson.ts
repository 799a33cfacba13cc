/**
 * Go's encoding/json as ESO sees it: numbers kept as their literal text (vault's API decodes
 * with UseNumber) and `json.Marshal` output — sorted keys, compact, HTML-escaped (eso.md §4.3).
 */

/** A JSON number kept exactly as written (Go's json.Number). */
export class JsonNumber {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {}

const WS = new Set([' ', '\t', '\n', '\r']);

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    // Never include the input text: it may be a secret value.
    throw new JsonSyntaxError(`invalid JSON: ${what} at offset ${String(this.i)}`);
  }

  ws(): void {
    while (this.i < this.s.length && WS.has(this.s.charAt(this.i))) this.i++;
  }

  value(): JsonValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail('unexpected character');
  }

  object(): JsonObject {
    this.i++;
    const out: JsonObject = Object.create(null) as JsonObject;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected object key');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected colon');
      this.i++;
      out[key] = this.value();
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected comma or closing brace');
    }
  }

  array(): JsonValue[] {
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected comma or closing bracket');
    }
  }

  string(): string {
    const start = this.i;
    // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(
      this.s.slice(start),
    );
    if (m === null) this.fail('invalid string');
    this.i += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  number(): JsonNumber {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
      this.s.slice(this.i, this.i + 400),
    );
    if (m === null) this.fail('invalid number');
    this.i += m[0].length;
    return new JsonNumber(m[0]);
  }
}

/** Parses JSON keeping number literals verbatim. Errors never quote the input. */
export function parseJson(text: string): JsonValue {
  const p = new Parser(text);
  const v = p.value();
  p.ws();
  if (p.i !== text.length) p.fail('trailing data');
  return v;
}

/** Orders strings by code point, which is Go's byte order of their UTF-8 forms. */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  const n = Math.min(x.length, y.length);
  for (let k = 0; k < n; k++) {
    const d = (x[k] ?? 0) - (y[k] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

/** A Go-style JSON string literal (encoding/json encodeState.string). */
export function goQuote(s: string, escapeHtml = true): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20) out += `\\u00${cp.toString(16).padStart(2, '0')}`;
    else if (escapeHtml && ch in HTML_ESCAPES) out += HTML_ESCAPES[ch] ?? ch;
    else if (cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff)
      out += '\ufffd'; // lone surrogate: Go writes U+FFFD
    else out += ch;
  }
  return out + '"';
}

export type Marshalable =
  | JsonValue
  | number
  | undefined
  | Marshalable[]
  | ReadonlyMap<string, Marshalable>
  | { [key: string]: Marshalable };

function isRecord(v: unknown): v is Record<string, Marshalable> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** Go's json.Marshal: sorted keys, compact, `<>&` escaped unless escapeHtml is false. */
export function goJsonMarshal(value: Marshalable, options: { escapeHtml?: boolean } = {}): string {
  const html = options.escapeHtml ?? true;
  const enc = (v: Marshalable): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return goQuote(v, html);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (v instanceof JsonNumber) return v.text;
    if (Array.isArray(v)) return `[${v.map(enc).join(',')}]`;
    const entries: [string, Marshalable][] =
      v instanceof Map
        ? [...(v as ReadonlyMap<string, Marshalable>)]
        : isRecord(v)
          ? Object.entries(v)
          : [];
    entries.sort((a, b) => compareCodePoints(a[0], b[0]));
    return `{${entries.map(([k, x]) => `${goQuote(k, html)}:${enc(x)}`).join(',')}}`;
  };
  return enc(value);
}

/**
 * ESO's GetByteValue for one decoded member: strings raw, numbers as written, bools as words,
 * null empty, objects and arrays as Go JSON.
 */
export function goByteValue(v: JsonValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumber) return v.text;
  return goJsonMarshal(v);
}
