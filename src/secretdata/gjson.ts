/**
 * The subset of gjson (github.com/tidwall/gjson, SYNTAX.md) that ESO's `remoteRef.property`
 * reaches: dot paths, `\` escapes, `*`/`?` key wildcards, array indexes, `#` (length and map),
 * `#(...)` / `#(...)#` queries with `== != < <= > >= % !%`, the `|` pipe and the modifiers
 * `@this @reverse @keys @values @flatten @ugly`. Multipaths (`{a,b}`, `[a,b]`) and `..` are not
 * supported: those paths resolve to "not found".
 */
import { goJsonMarshal, JsonNumber, parseJson, type JsonValue } from './gojson.ts';

export interface GjsonResult {
  exists: boolean;
  value: JsonValue;
}

const MISSING: GjsonResult = { exists: false, value: null };

interface Segment {
  text: string;
  /** The separator before this segment: '.' continues inside a mapped element, '|' does not. */
  sep: '.' | '|';
}

/** Splits at unescaped `.`/`|` outside parentheses and quotes; escapes stay in the text. */
function splitPath(path: string): Segment[] {
  const out: Segment[] = [];
  let cur = '';
  let sep: '.' | '|' = '.';
  let depth = 0;
  let quote = false;
  for (let i = 0; i < path.length; i++) {
    const c = path.charAt(i);
    if (c === '\\' && i + 1 < path.length) {
      cur += c + path.charAt(++i);
      continue;
    }
    if (quote) {
      if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === '.' || c === '|') && depth === 0) {
      out.push({ text: cur, sep });
      cur = '';
      sep = c;
      continue;
    }
    cur += c;
  }
  out.push({ text: cur, sep });
  return out;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** gjson's match.Match: `*` any run, `?` any one character, `\` escapes. */
export function wildcardMatch(str: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern.charAt(++i));
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += escapeRe(c);
  }
  return new RegExp(re + '$', 'u').test(str);
}

function escapeRe(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function isObject(v: JsonValue): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function hasWildcard(text: string): boolean {
  return /(^|[^\\])[*?]/.test(text);
}

function getKey(v: JsonValue, text: string): GjsonResult {
  if (Array.isArray(v)) {
    if (!/^\d+$/.test(text)) return MISSING;
    const i = Number(text);
    return i < v.length ? { exists: true, value: v[i] ?? null } : MISSING;
  }
  if (!isObject(v)) return MISSING;
  if (hasWildcard(text)) {
    const key = Object.keys(v).find((k) => wildcardMatch(k, text));
    return key === undefined ? MISSING : { exists: true, value: v[key] ?? null };
  }
  const key = unescape(text);
  return Object.hasOwn(v, key) ? { exists: true, value: v[key] ?? null } : MISSING;
}

type Literal = string | number | boolean | null;

interface Query {
  path: string;
  op: string;
  literal: Literal | undefined;
  all: boolean;
}

const OPS = ['==', '!=', '<=', '>=', '!%', '=', '<', '>', '%'];

function findOp(cond: string): { at: number; op: string } | undefined {
  let depth = 0;
  let quote = false;
  for (let i = 0; i < cond.length; i++) {
    const c = cond.charAt(i);
    if (c === '\\') {
      i++;
      continue;
    }
    if (quote || c === '"') {
      if (c === '"') quote = !quote;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    const op = depth === 0 ? OPS.find((o) => cond.startsWith(o, i)) : undefined;
    if (op !== undefined) return { at: i, op };
  }
  return undefined;
}

function parseLiteral(text: string): Literal | undefined {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (t.startsWith('"')) {
    try {
      return JSON.parse(t) as string;
    } catch {
      return undefined;
    }
  }
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : undefined;
}

function parseQuery(text: string): Query | undefined {
  const m = /^#\(([\s\S]*)\)(#?)$/.exec(text);
  if (m === null) return undefined;
  const cond = m[1] ?? '';
  const found = findOp(cond);
  if (found === undefined)
    return { path: cond.trim(), op: '', literal: undefined, all: m[2] === '#' };
  return {
    path: cond.slice(0, found.at).trim(),
    op: found.op,
    literal: parseLiteral(cond.slice(found.at + found.op.length)),
    all: m[2] === '#',
  };
}

function compare(a: string | number, b: string | number, op: string): boolean {
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '%':
      return typeof a === 'string' && typeof b === 'string' && wildcardMatch(a, b);
    case '!%':
      return typeof a === 'string' && typeof b === 'string' && !wildcardMatch(a, b);
    default:
      return false;
  }
}

function queryMatches(el: JsonValue, q: Query): boolean {
  const target = q.path === '' ? { exists: true, value: el } : evaluate(el, q.path);
  if (!target.exists) return false;
  if (q.op === '') return true;
  const v = target.value;
  const lit = q.literal;
  if (typeof lit === 'string') return typeof v === 'string' && compare(v, lit, q.op);
  if (typeof lit === 'number') return v instanceof JsonNumber && compare(Number(v.text), lit, q.op);
  if (typeof lit === 'boolean')
    return typeof v === 'boolean' && compare(String(v), String(lit), q.op);
  if (lit === null) return v === null && (q.op === '==' || q.op === '=');
  return false;
}

const MODIFIERS: Record<string, (v: JsonValue) => JsonValue | undefined> = {
  this: (v) => v,
  ugly: (v) => v,
  reverse: (v) => {
    if (Array.isArray(v)) return [...v].reverse();
    if (!isObject(v)) return v;
    return Object.fromEntries(Object.entries(v).reverse());
  },
  keys: (v) => (isObject(v) ? Object.keys(v) : undefined),
  values: (v) => (isObject(v) ? Object.values(v) : undefined),
  flatten: (v) => (Array.isArray(v) ? v.flatMap((x) => (Array.isArray(x) ? x : [x])) : v),
};

/** Applies `rest` (the segments up to the next pipe) to each element; drops misses. */
function mapEach(arr: JsonValue[], rest: Segment[]): JsonValue[] {
  if (rest.length === 0) return arr;
  const path = joinSegments(rest);
  return arr.flatMap((el) => {
    const r = evaluate(el, path);
    return r.exists ? [r.value] : [];
  });
}

function joinSegments(segs: Segment[]): string {
  return segs.map((s, i) => (i === 0 ? s.text : s.sep + s.text)).join('');
}

function step(
  v: JsonValue,
  seg: Segment,
  rest: Segment[],
): { result: GjsonResult; consumed: number } {
  const untilPipe = rest.findIndex((s) => s.sep === '|');
  const inner = untilPipe === -1 ? rest : rest.slice(0, untilPipe);
  if (seg.text === '#') {
    if (!Array.isArray(v)) return { result: MISSING, consumed: 0 };
    if (inner.length === 0)
      return { result: { exists: true, value: new JsonNumber(String(v.length)) }, consumed: 0 };
    return { result: { exists: true, value: mapEach(v, inner) }, consumed: inner.length };
  }
  const q = seg.text.startsWith('#(') ? parseQuery(seg.text) : undefined;
  if (q !== undefined) {
    if (!Array.isArray(v)) return { result: MISSING, consumed: 0 };
    const hits = v.filter((el) => queryMatches(el, q));
    if (q.all)
      return { result: { exists: true, value: mapEach(hits, inner) }, consumed: inner.length };
    return {
      result: hits.length > 0 ? { exists: true, value: hits[0] ?? null } : MISSING,
      consumed: 0,
    };
  }
  if (seg.text.startsWith('@')) {
    const mod = MODIFIERS[seg.text.slice(1).split(':')[0] ?? ''];
    const out = mod?.(v);
    return { result: out === undefined ? MISSING : { exists: true, value: out }, consumed: 0 };
  }
  return { result: getKey(v, seg.text), consumed: 0 };
}

function evaluate(root: JsonValue, path: string): GjsonResult {
  if (path === '') return MISSING;
  const segs = splitPath(path);
  let cur: GjsonResult = { exists: true, value: root };
  for (let i = 0; i < segs.length && cur.exists; i++) {
    const seg = segs[i];
    if (seg === undefined) break;
    const { result, consumed } = step(cur.value, seg, segs.slice(i + 1));
    cur = result;
    i += consumed;
  }
  return cur;
}

/** gjson.Get on a JSON document (text or already parsed with `parseJson`). */
export function gjsonGet(json: string | JsonValue, path: string): GjsonResult {
  const root = typeof json === 'string' ? parseJson(json) : json;
  return evaluate(root, path);
}

/** gjson's Result.String(): strings raw, numbers as written, null/missing empty, else compact JSON. */
export function gjsonString(r: GjsonResult): string {
  if (!r.exists || r.value === null) return '';
  const v = r.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumber) return v.text;
  return goJsonMarshal(v);
}
