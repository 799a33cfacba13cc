/**
 * go-yaml v2's implicit typing of plain scalars (`resolve.go`), which sigs.k8s.io/yaml applies
 * before converting to JSON: YAML 1.1 booleans and nulls, Go `strconv.ParseInt(s, 0, 64)`
 * integers (underscores dropped; 0x, 0o, 0b and leading-0 octal), floats, and everything else
 * as a string (timestamps included, for `interface{}` targets).
 */

export type Resolved =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'str'; value: string };

const BOOLS: Record<string, boolean> = {};
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'])
  BOOLS[s] = true;
for (const s of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'])
  BOOLS[s] = false;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Record<string, number> = {};
for (const s of ['.nan', '.NaN', '.NAN']) SPECIAL_FLOATS[s] = NaN;
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) SPECIAL_FLOATS[s] = Infinity;
for (const s of ['-.inf', '-.Inf', '-.INF']) SPECIAL_FLOATS[s] = -Infinity;

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go `strconv.ParseInt(s, 0, 64)`/`ParseUint` accepted forms, as a bigint, or undefined. */
function parseGoInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign = '', digits = ''] = m;
  let v: bigint;
  if (/^0[oO]/.test(digits)) v = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) v = BigInt(`0o${digits.slice(1)}`);
  else v = BigInt(digits);
  if (sign === '-') v = -v;
  return v < INT64_MIN || v > UINT64_MAX ? undefined : v;
}

function resolveNumber(text: string): Resolved | undefined {
  const plain = text.replaceAll('_', '');
  const int = parseGoInt(plain);
  // ParseUint rejects a sign; ParseInt caps at int64.
  if (int !== undefined && (int <= 2n ** 63n - 1n || !/^[+-]/.test(plain)))
    return { kind: 'int', value: int };
  // strconv.ParseFloat fails on overflow (e.g. 1e400): the scalar stays a string.
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain)))
    return { kind: 'float', value: Number(plain) };
  return undefined;
}

/** Resolves an unquoted scalar's source text the way go-yaml v2 does. */
export function resolvePlainScalar(text: string): Resolved {
  if (NULLS.has(text)) return { kind: 'null' };
  const bool = BOOLS[text];
  if (bool !== undefined) return { kind: 'bool', value: bool };
  const special = SPECIAL_FLOATS[text];
  if (special !== undefined) return { kind: 'float', value: special };
  const first = text.charAt(0);
  if (first === '.') {
    const f = Number(text);
    return /^\.[0-9]/.test(text) && Number.isFinite(f)
      ? { kind: 'float', value: f }
      : { kind: 'str', value: text };
  }
  if (/[0-9+-]/.test(first)) return resolveNumber(text) ?? { kind: 'str', value: text };
  return { kind: 'str', value: text };
}
