/**
 * encoding/json as sprig uses it: Marshal (sorted keys, HTML escaping, Go's float format) and
 * Unmarshal into interface{} (objects → map, numbers → float64) with Go's error texts.
 */
import { jsonArray } from '../../slicecap.ts';
import { FuncError, GoTyped, type GoValue } from '../../value.ts';
import { goTypeName } from './args.ts';

/** A value with its own JSON form (time.Time, *semver.Version), like Go's json.Marshaler. */
export interface GoJsonMarshaler {
  goJson(): string;
}

function isMarshaler(v: unknown): v is GoJsonMarshaler {
  return v instanceof GoTyped && typeof (v as Partial<GoJsonMarshaler>).goJson === 'function';
}

export interface JsonOptions {
  escapeHTML: boolean;
  indent?: string;
}

const shortEscapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Go's JSON string encoding. */
export function goJsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const short = shortEscapes[ch];
    if (short !== undefined) out += short;
    else if (c < 0x20 || c === 0x2028 || c === 0x2029 || (escapeHTML && '<>&'.includes(ch))) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdfff)
      out += '\\ufffd'; // lone surrogate: invalid UTF-8
    else out += ch;
  }
  return `${out}"`;
}

function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) {
    const t = Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
    throw new FuncError(`json: unsupported value: ${t}`);
  }
  if (Object.is(f, -0)) return '-0';
  return String(f); // ES number formatting matches Go's encoder (same 1e-6 / 1e21 cut-offs)
}

function encode(v: GoValue, o: JsonOptions, pad: string): string {
  if (isMarshaler(v)) return v.goJson();
  if (v instanceof GoTyped) return encode(v.value, o, pad);
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return `"${Buffer.from(v).toString('base64')}"`;
  const inner = o.indent === undefined ? '' : pad + o.indent;
  const nl = o.indent === undefined ? '' : '\n';
  const colon = o.indent === undefined ? ':' : ': ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => inner + encode(x, o, inner));
    return `[${nl}${items.join(`,${nl}`)}${nl}${pad}]`;
  }
  if (v instanceof Map) {
    if (v.size === 0) return '{}';
    const keys = [...v.keys()].sort();
    const items = keys.map(
      (k) =>
        `${inner}${goJsonString(k, o.escapeHTML)}${colon}${encode(v.get(k) ?? null, o, inner)}`,
    );
    return `{${nl}${items.join(`,${nl}`)}${nl}${pad}}`;
  }
  switch (typeof v) {
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'number':
      return goJsonFloat(v);
    case 'string':
      return goJsonString(v, o.escapeHTML);
    default:
      throw new FuncError(`json: unsupported type: ${goTypeName(v)}`);
  }
}

/** json.Marshal / MarshalIndent(v, "", indent) / Encoder with SetEscapeHTML(false). */
export function toGoJson(v: GoValue, o: JsonOptions): string {
  return encode(v, o, '');
}

/** A recursive-descent reader that fails with encoding/json's syntax error texts. */
class Reader {
  i = 0;
  constructor(readonly s: string) {}

  fail(context: string): never {
    // At the end Go's scanner sees a space: inside a literal, number or escape that is an
    // invalid character; elsewhere the input just ended too early.
    const midToken = /^in (literal|numeric|exponent|string escape|\\u)|after decimal point/.test(
      context,
    );
    if (this.i >= this.s.length && !midToken) throw new FuncError('unexpected end of JSON input');
    const c = this.s[this.i] ?? ' ';
    const q = c === "'" ? "'\\''" : c === '"' ? `'"'` : `'${c}'`;
    throw new FuncError(`invalid character ${q} ${context}`);
  }

  ws(): void {
    while (' \t\r\n'.includes(this.s[this.i] ?? 'x')) this.i++;
  }

  value(): GoValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [lit, val] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (c === lit[0]) {
        for (let k = 1; k < lit.length; k++) {
          this.i++;
          if (this.s[this.i] !== lit[k]) this.fail(`in literal ${lit} (expecting '${lit[k]}')`);
        }
        this.i++;
        return val;
      }
    }
    return this.fail('looking for beginning of value');
  }

  object(): Map<string, GoValue> {
    const m = new Map<string, GoValue>();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return m;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('after object key');
      this.i++;
      m.set(k, this.value());
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') return m;
      if (c !== ',') {
        this.i--;
        this.fail('after object key:value pair');
      }
    }
  }

  array(): GoValue[] {
    const a: GoValue[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return a;
    }
    for (;;) {
      a.push(this.value());
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ']') return jsonArray(a);
      if (c !== ',') {
        this.i--;
        this.fail('after array element');
      }
    }
  }

  string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('in string literal');
      if (c === '"') break;
      if (c < ' ') this.fail('in string literal');
      if (c === '\\') {
        this.i++;
        const e = this.s[this.i] ?? '';
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (!/[0-9a-fA-F]/.test(this.s[this.i] ?? '')) {
              this.fail('in \\u hexadecimal character escape');
            }
          }
        } else if (!'"\\/bfnrt'.includes(e) || e === '') this.fail('in string escape code');
      }
      this.i++;
    }
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (m === null || m[0] === '-') {
      if (m !== null) this.i++;
      return this.fail('in numeric literal');
    }
    this.i += m[0].length;
    const next = this.s[this.i];
    if (next === '.' || next === 'e' || next === 'E') {
      this.i++;
      this.fail(
        next === '.' ? 'after decimal point in numeric literal' : 'in exponent of numeric literal',
      );
    }
    const f = Number(m[0]);
    if (!Number.isFinite(f)) {
      throw new FuncError(`json: cannot unmarshal number ${m[0]} into Go value of type float64`);
    }
    return f;
  }
}

/** json.Unmarshal into interface{}. */
export function fromGoJson(s: string): GoValue {
  const r = new Reader(s);
  const v = r.value();
  r.ws();
  if (r.i < s.length) r.fail('after top-level value');
  return v;
}
