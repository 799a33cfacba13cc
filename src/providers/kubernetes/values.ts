/**
 * What ESO's kubernetes provider returns for a Secret, byte for byte (`client.go`): the whole
 * data map as Go JSON of strings, `property` lookups (a key, else `key.gjsonPath`), metadata
 * lookups under metadataPolicy Fetch, and extract with a property. Errors name keys and
 * properties, never values.
 */
import { gjsonGet, gjsonString } from '../../secretdata/gjson.ts';
import {
  goJsonMarshal,
  JsonNumber,
  parseJson,
  type JsonValue,
  type Marshalable,
} from '../../secretdata/gojson.ts';
import { ProviderError } from '../provider.ts';

const encoder = new TextEncoder();
const strict = new TextDecoder('utf-8', { fatal: true });

/** The parts of a Secret the provider reads. */
export interface SecretView {
  name: string;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  data: ReadonlyMap<string, Uint8Array>;
}

function continuation(b: number | undefined, lo = 0x80, hi = 0xbf): boolean {
  return b !== undefined && b >= lo && b <= hi;
}

/** Bytes of the valid UTF-8 sequence at `i` (Go's utf8.DecodeRune rules), or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return continuation(bytes[i + 1]) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return continuation(bytes[i + 1], lo, hi) && continuation(bytes[i + 2]) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    const ok =
      continuation(bytes[i + 1], lo, hi) &&
      continuation(bytes[i + 2]) &&
      continuation(bytes[i + 3]);
    return ok ? 4 : 0;
  }
  return 0;
}

/**
 * `string(bytes)` as Go's JSON encoder writes it: every byte that does not start a valid UTF-8
 * sequence becomes one U+FFFD (TextDecoder would merge a truncated sequence into one).
 */
export function goStringOfBytes(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    let out = '';
    for (let i = 0; i < bytes.length;) {
      const n = sequenceLength(bytes, i);
      out += n === 0 ? '\ufffd' : strict.decode(bytes.subarray(i, i + n));
      i += n === 0 ? 1 : n;
    }
    return out;
  }
}

/** esutils.JSONMarshal: Go JSON without HTML escaping. */
export function marshal(value: Marshalable): string {
  return goJsonMarshal(value, { escapeHtml: false });
}

/** The whole data map as Go JSON `{"key":"value",...}` (ESO's no-property GetSecret and find). */
export function dataAsJson(data: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const strings = new Map<string, string>();
  for (const [k, v] of data) strings.set(k, goStringOfBytes(v));
  return encoder.encode(marshal(strings));
}

/** metadataPolicy Fetch without a property: `{"annotations":…,"labels":…}` (absent maps are null). */
export function metadataAsJson(secret: SecretView): Uint8Array {
  return encoder.encode(marshal({ annotations: secret.annotations, labels: secret.labels }));
}

/** `property` of the data: the key itself (it may contain dots), else `key.gjsonPath`. */
export function dataProperty(secret: SecretView, property: string): Uint8Array | undefined {
  const direct = secret.data.get(property);
  if (direct !== undefined) return direct;
  const dot = property.indexOf('.');
  if (dot <= 0 || dot === property.length - 1) return undefined;
  const value = secret.data.get(property.slice(0, dot));
  if (value === undefined) return undefined;
  const hit = safeGjson(goStringOfBytes(value), property.slice(dot + 1));
  return hit === undefined ? undefined : encoder.encode(hit);
}

function safeGjson(json: string, path: string): string | undefined {
  try {
    const r = gjsonGet(json, path);
    return r.exists ? gjsonString(r) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `labels`, `annotations`, `labels.<key>` or `labels.<key>.<path>` under metadataPolicy Fetch.
 * ESO joins the path parts after the key with no separator; we keep that.
 */
export function metadataProperty(secret: SecretView, property: string): Uint8Array | undefined {
  const path = property.split('.');
  const map =
    path[0] === 'labels' ? secret.labels : path[0] === 'annotations' ? secret.annotations : null;
  if (map === null) return undefined;
  if (path.length === 1) return encoder.encode(marshal(map));
  const value = map?.[path[1] ?? ''];
  if (value === undefined) return undefined;
  if (path.length === 2) return encoder.encode(value);
  const hit = safeGjson(value, path.slice(2).join(''));
  return hit === undefined ? undefined : encoder.encode(hit);
}

/** One value of GetSecret with a property, or ESO's error naming the property and the Secret. */
export function propertyValue(secret: SecretView, property: string, fetch: boolean): Uint8Array {
  const value = fetch ? metadataProperty(secret, property) : dataProperty(secret, property);
  if (value === undefined) {
    const where = fetch ? 'metadata' : 'data';
    throw new ProviderError(
      `property ${property} does not exist in ${where} of secret "${secret.name}"`,
    );
  }
  return value;
}

/** metadataPolicy Fetch for extract: `labels` and `annotations`, each as Go JSON. */
export function metadataMap(secret: SecretView): Map<string, Uint8Array> {
  return new Map([
    ['labels', encoder.encode(marshal(secret.labels))],
    ['annotations', encoder.encode(marshal(secret.annotations))],
  ]);
}

/** A decoded JSON value as Go's `any` holds it: numbers are float64. */
function asGoAny(v: JsonValue): Marshalable {
  if (v instanceof JsonNumber) {
    const n = Number(v.text);
    if (!Number.isFinite(n)) throw new RangeError('number out of float64 range');
    return n;
  }
  if (Array.isArray(v)) return v.map(asGoAny);
  if (v !== null && typeof v === 'object') {
    const out = new Map<string, Marshalable>();
    for (const [k, x] of Object.entries(v)) out.set(k, asGoAny(x));
    return out;
  }
  return v;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function membersOf(encoded: string): Map<string, Uint8Array> {
  if (!BASE64.test(encoded)) throw new ProviderError('illegal base64 data in the selected value');
  let parsed: JsonValue;
  let members: Marshalable;
  try {
    parsed = parseJson(Buffer.from(encoded, 'base64').toString('utf8'));
    if (Array.isArray(parsed) || typeof parsed !== 'object' || parsed instanceof JsonNumber)
      throw new TypeError('not a JSON object');
    members = asGoAny(parsed ?? {});
  } catch {
    // Like ESO: never the parser's message, which may quote the value.
    throw new ProviderError('failed to unmarshal secret: invalid JSON format');
  }
  const out = new Map<string, Uint8Array>();
  for (const [k, v] of members as Map<string, Marshalable>) out.set(k, encoder.encode(marshal(v)));
  return out;
}

/**
 * extract with a property (ESO `getPropertyMap`): the data map as Go JSON (values base64, since
 * they are []byte), the property looked up with gjson (dots escaped first), and the selected
 * value decoded as a JSON object whose members come back as Go JSON, so strings stay quoted.
 */
export function propertyMap(
  key: string,
  property: string,
  data: ReadonlyMap<string, Uint8Array>,
): Map<string, Uint8Array> {
  const encoded = new Map<string, string>();
  for (const [k, v] of data) encoded.set(k, Buffer.from(v).toString('base64'));
  const json = marshal(encoded);
  const paths = property.includes('.') ? [property.replaceAll('.', '\\.'), property] : [property];
  for (const path of paths) {
    const hit = safeGjson(json, path);
    if (hit !== undefined) return membersOf(hit);
  }
  throw new ProviderError(`property ${property} does not exist in key ${key}`);
}
