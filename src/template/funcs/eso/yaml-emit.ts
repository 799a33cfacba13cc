/**
 * A YAML emitter with the output style of go-yaml v2 (what sigs.k8s.io/yaml writes): 2-space
 * indent, sequences not indented under a key, plain scalars when they read back as strings,
 * single or double quotes otherwise, literal blocks for multi-line text, folding at 80 columns.
 * It emits the JSON data model only (what sigs.k8s.io/yaml marshals through).
 */

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | Map<string, JsonValue>;

/** A number as its JSON text decodes in go-yaml: an int64 or a float64. */
export interface JsonNumber {
  readonly int?: bigint;
  readonly float?: number;
}

const BEST_WIDTH = 80;

const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?))?$/;

/** go-yaml v2's parseTimestamp: the formats time.Parse accepts there, with range checks. */
function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > days) return false;
  const h = Number(m[4] ?? m[7] ?? 0);
  const mi = Number(m[5] ?? m[8] ?? 0);
  const se = Number(m[6] ?? m[9] ?? 0);
  return h < 24 && mi < 60 && se < 60;
}

const RESOLVE_MAP =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** go-yaml v2's resolve(): would this plain scalar read back as something other than a string? */
function resolvesToNonString(s: string): boolean {
  if (s === '' || RESOLVE_MAP.test(s)) return true;
  const c = s[0] ?? '';
  if (c === '.') return /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(s);
  if (!/[-+0-9]/.test(c)) return false;
  if (isTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (/^[-+]?(?:0[bB][01]+|0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|[0-9]+)$/.test(plain)) return true;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain)) return true;
  // isBase60Float: go-yaml v2 quotes these for YAML 1.1 readers.
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

/** go-yaml v2's is_printable: note that it rejects U+0085 and everything beyond the BMP. */
function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}

const isBreak = (c: string | undefined): boolean =>
  c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const BREAK = '\\n\\r\\u0085\\u2028\\u2029';
const WS = `[ \\t${BREAK}]`;
const INDICATORS = [
  /^(?:---|\.\.\.)/,
  /^[#,[\]{}&*!|>'"%@`]/,
  new RegExp(`^[?:-](?:${WS}|$)`),
  new RegExp(`^[\\s\\S]+:(?:${WS}|$)`),
  new RegExp(`${WS}#`),
];
const LINE_BREAK = new RegExp(`[${BREAK}]`);
const EDGE_BREAK = new RegExp(`^[${BREAK}]|[${BREAK}]$`);
const BREAK_SPACE = new RegExp(`[${BREAK}] `);
const SPACE_BREAK = new RegExp(` [${BREAK}]`);

function hasSpecialCharacters(s: string): boolean {
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    if (!isPrintable(cp)) return true;
  }
  return false;
}

/** yaml_emitter_analyze_scalar, for block context. */
function analyze(s: string): Analysis {
  if (s.length === 0) {
    return {
      multiline: false,
      blockPlainAllowed: false,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  const special = hasSpecialCharacters(s);
  const multiline = LINE_BREAK.test(s);
  const trailingSpace = s.endsWith(' ');
  const spaceBreak = SPACE_BREAK.test(s) || special;
  const breakSpace = BREAK_SPACE.test(s);
  const edges = s.startsWith(' ') || trailingSpace || EDGE_BREAK.test(s);
  const indicators = INDICATORS.some((re) => re.test(s));
  return {
    multiline,
    blockPlainAllowed: !(edges || breakSpace || spaceBreak || multiline || indicators),
    singleQuotedAllowed: !(breakSpace || spaceBreak),
    blockAllowed: !(trailingSpace || spaceBreak),
  };
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function chooseStyle(s: string, simpleKey: boolean): Style {
  const a = analyze(s);
  let style: Style = s.includes('\n') ? 'literal' : resolvesToNonString(s) ? 'double' : 'plain';
  if (style === 'plain' && (!a.blockPlainAllowed || (s.length === 0 && simpleKey)))
    style = 'single';
  if (style === 'plain' && a.multiline) style = 'single';
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

/** Writes scalars with line folding; `column` tracks the current output column. */
class Writer {
  out = '';
  column = 0;

  write(s: string): void {
    this.out += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + Array.from(s).length : Array.from(s.slice(nl + 1)).length;
  }

  indent(n: number): void {
    this.write('\n' + ' '.repeat(n));
  }
}

function writePlain(w: Writer, s: string, indent: number, allowBreaks: boolean): void {
  const chars = Array.from(s);
  let spaces = false;
  chars.forEach((c, i) => {
    if (c === ' ') {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && chars[i + 1] !== ' ') w.indent(indent);
      else w.write(c);
      spaces = true;
    } else {
      w.write(c);
      spaces = false;
    }
  });
}

function writeSingle(w: Writer, s: string, indent: number, allowBreaks: boolean): void {
  const chars = Array.from(s);
  w.write("'");
  let spaces = false;
  let afterBreak = false;
  chars.forEach((c, i) => {
    if (c === ' ') {
      const fold =
        allowBreaks && !spaces && w.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1;
      if (fold && chars[i + 1] !== ' ') w.indent(indent);
      else w.write(c);
      spaces = true;
    } else if (isBreak(c)) {
      // libyaml writes the break itself, then indents the next line.
      w.out += c;
      w.column = 0;
      afterBreak = true;
    } else {
      if (afterBreak) w.write(' '.repeat(indent));
      afterBreak = false;
      w.write(c === "'" ? "''" : c);
      spaces = false;
    }
  });
  w.write("'");
}

const ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

/** `all`: go-yaml's is_bom looks at the string's first bytes, so a leading BOM escapes everything. */
function escapeChar(c: string, all: boolean): string {
  const cp = c.codePointAt(0) ?? 0;
  const needsEscape =
    all || !isPrintable(cp) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\';
  if (!needsEscape) return c;
  const simple = ESCAPES[cp];
  if (simple !== undefined) return '\\' + simple;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

function writeDouble(w: Writer, s: string, indent: number, allowBreaks: boolean): void {
  const chars = Array.from(s);
  const bom = s.startsWith('\ufeff');
  w.write('"');
  let spaces = false;
  chars.forEach((c, i) => {
    if (c === ' ' && !bom) {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        w.indent(indent);
        if (chars[i + 1] === ' ') w.write('\\');
      } else {
        w.write(c);
      }
      spaces = true;
    } else {
      w.write(escapeChar(c, bom));
      spaces = false;
    }
  });
  w.write('"');
}

function writeLiteral(w: Writer, s: string, indent: number): void {
  let chomp = '-';
  if (s.endsWith('\n')) chomp = s.endsWith('\n\n') || s === '\n' ? '+' : '';
  const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  w.write('|' + hint + chomp);
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  for (const line of body.split('\n')) {
    if (line === '') w.write('\n');
    else w.indent(indent);
    w.write(line);
  }
}

function writeString(w: Writer, s: string, ctx: { indent: number; simpleKey: boolean }): void {
  const style = chooseStyle(s, ctx.simpleKey);
  const allowBreaks = !ctx.simpleKey;
  if (style === 'plain') writePlain(w, s, ctx.indent, allowBreaks);
  else if (style === 'single') writeSingle(w, s, ctx.indent, allowBreaks);
  else if (style === 'double') writeDouble(w, s, ctx.indent, allowBreaks);
  else writeLiteral(w, s, ctx.indent);
}

/** strconv.FormatFloat(f, 'g', -1, 64) with go-yaml's names for the specials. */
function formatYamlFloat(f: number, formatFloat: (v: number) => string): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  return formatFloat(f);
}

function isCollection(v: JsonValue): v is JsonValue[] | Map<string, JsonValue> {
  return Array.isArray(v) ? v.length > 0 : v instanceof Map && v.size > 0;
}

export interface EmitOptions {
  /** strconv.FormatFloat(v, 'g', -1, 64). */
  readonly formatFloat: (v: number) => string;
  /** Key order; go-yaml v2 sorts with its own "natural" comparator. */
  readonly compareKeys: (a: string, b: string) => number;
}

/** libyaml writes a key inline when it is one line of at most 128 bytes. */
function isSimpleKey(k: string): boolean {
  return !/[\n\r\u0085\u2028\u2029]/.test(k) && Buffer.byteLength(k) <= 128;
}

class Emitter {
  readonly w = new Writer();
  constructor(private readonly opts: EmitOptions) {}

  scalar(v: Exclude<JsonValue, JsonValue[] | Map<string, JsonValue>>, indent: number): void {
    if (v === null) this.w.write('null');
    else if (typeof v === 'boolean') this.w.write(String(v));
    else if (typeof v === 'string') writeString(this.w, v, { indent, simpleKey: false });
    else if (v.int !== undefined) this.w.write(v.int.toString());
    else this.w.write(formatYamlFloat(v.float ?? 0, this.opts.formatFloat));
  }

  node(v: JsonValue, indent: number): void {
    if (Array.isArray(v)) {
      if (v.length === 0) this.w.write('[]');
      else this.seq(v, indent);
    } else if (v instanceof Map) {
      if (v.size === 0) this.w.write('{}');
      else this.map(v, indent);
    } else {
      this.scalar(v, indent);
    }
  }

  /** A block sequence whose first "- " is already positioned. */
  seq(items: JsonValue[], indent: number): void {
    items.forEach((item, i) => {
      if (i > 0) this.w.indent(indent);
      this.w.write('- ');
      this.node(item, indent + 2);
    });
  }

  map(m: Map<string, JsonValue>, indent: number): void {
    const keys = [...m.keys()].sort(this.opts.compareKeys);
    keys.forEach((k, i) => {
      if (i > 0) this.w.indent(indent);
      if (isSimpleKey(k)) {
        writeString(this.w, k, { indent, simpleKey: true });
      } else {
        this.w.write('? ');
        writeString(this.w, k, { indent: indent + 2, simpleKey: false });
        this.w.indent(indent);
      }
      this.w.write(':');
      const v = m.get(k) ?? null;
      if (isCollection(v)) {
        // go-yaml puts block sequences at the key's indentation, mappings two deeper.
        const inner = Array.isArray(v) ? indent : indent + 2;
        this.w.indent(inner);
        this.node(v, inner);
      } else {
        this.w.write(' ');
        this.node(v, indent + 2);
      }
    });
  }
}

/** The YAML document for a JSON value, with go-yaml v2's trailing newline. */
export function emitYaml(v: JsonValue, opts: EmitOptions): string {
  const e = new Emitter(opts);
  // go-yaml indents a top-level block scalar by two spaces.
  e.node(v, Array.isArray(v) || v instanceof Map ? 0 : 2);
  return e.w.out + '\n';
}
