/**
 * Reading KV secrets as ESO does (eso.md §4.3, §9.23): whole secret as Go JSON, `property` as an
 * exact key then gjson, versions, metadataPolicy Fetch, and extract flattening one level.
 */
import type { RemoteRef } from '../../api/types.ts';
import { gjsonGet, gjsonString } from '../../secretdata/gjson.ts';
import {
  goByteValue,
  goJsonMarshal,
  JsonNumber,
  parseJson,
  type JsonObject,
  type JsonValue,
} from '../../secretdata/gojson.ts';
import { NoSecretError, ProviderError, StoreConfigError } from '../provider.ts';
import { describeRequest, statusError, type VaultRequest, type VaultResponse } from './http.ts';
import { buildDataPath, buildMetadataPath, type KvLayout } from './paths.ts';

/** What the KV functions need: the layout and an authenticated request. */
export interface KvBackend {
  layout: KvLayout;
  request(req: Omit<VaultRequest, 'token'>): Promise<VaultResponse>;
}

const encoder = new TextEncoder();

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** The secret's key/value data, or NoSecretError (404, no body, `data: null`). */
export async function readSecretData(
  kv: KvBackend,
  key: string,
  version?: string,
): Promise<JsonObject> {
  const req: Omit<VaultRequest, 'token'> = {
    method: 'GET',
    path: buildDataPath(kv.layout, key),
    ...(version ? { query: { version } } : {}),
  };
  const res = await kv.request(req);
  const data = isObject(res.body) ? res.body.data : undefined;
  if (
    res.status === 404 &&
    (data === undefined || data === null || (isObject(data) && data.data === null))
  ) {
    throw new NoSecretError(`Secret does not exist: ${req.path}`);
  }
  if (res.status < 200 || res.status > 299) throw statusError(req, res);
  if (!isObject(data)) throw new NoSecretError(`Secret does not exist: ${req.path}`);
  if (kv.layout.version === 'v1') return data;
  if (!('data' in data))
    throw new ProviderError(`${describeRequest(req)}: failed to find data field`);
  const inner = data.data;
  if (inner === null) throw new NoSecretError(`Secret does not exist: ${req.path}`);
  if (!isObject(inner))
    throw new ProviderError(`${describeRequest(req)}: failed to unmarshall JSON`);
  return inner;
}

function printValue(v: JsonValue): string {
  // Go's %v of a decoded JSON value.
  if (typeof v === 'string') return v;
  if (v === null) return '<nil>';
  if (typeof v === 'boolean' || v instanceof JsonNumber) return String(v);
  return goJsonMarshal(v);
}

/** The metadata map of metadataPolicy Fetch: system keys, then custom_metadata over them. Null if none. */
export async function readSecretMetadata(
  kv: KvBackend,
  key: string,
): Promise<Map<string, string> | null> {
  const req: Omit<VaultRequest, 'token'> = {
    method: 'GET',
    path: buildMetadataPath(kv.layout, key),
  };
  const res = await kv.request(req);
  if (res.status === 404) return null;
  if (res.status < 200 || res.status > 299) throw statusError(req, res);
  const data = isObject(res.body) ? res.body.data : undefined;
  if (!isObject(data)) return null;
  const out = new Map<string, string>();
  if (kv.layout.version === 'v2') {
    for (const k of ['created_time', 'current_version', 'delete_version_after']) {
      const v = data[k];
      if (v !== undefined && v !== null) out.set(k, printValue(v));
    }
  }
  const custom = data.custom_metadata;
  if (isObject(custom)) for (const [k, v] of Object.entries(custom)) out.set(k, printValue(v));
  return out;
}

/** ESO's getSecretValue: the whole object as Go JSON, or one property. */
export function secretValue(data: JsonObject, property: string | undefined): string {
  if (!property) return goJsonMarshal(data);
  if (Object.hasOwn(data, property)) return goByteValue(data[property] ?? null);
  const r = gjsonGet(data, property);
  if (!r.exists)
    throw new ProviderError(`cannot find secret data for key: ${JSON.stringify(property)}`);
  return gjsonString(r);
}

async function dataOrMetadata(kv: KvBackend, ref: RemoteRef): Promise<JsonObject | null> {
  if (ref.metadataPolicy !== 'Fetch') return readSecretData(kv, ref.key, ref.version);
  if (kv.layout.version === 'v1') {
    throw new StoreConfigError('cannot perform metadata fetch operations with kv version v1');
  }
  const meta = await readSecretMetadata(kv, ref.key);
  if (meta === null) throw new ProviderError('secret not found');
  return meta.size === 0 ? null : Object.fromEntries(meta); // ESO returns an empty value here
}

/** GetSecret: the value as text (caller encodes). */
export async function getSecretText(kv: KvBackend, ref: RemoteRef): Promise<string> {
  const data = await dataOrMetadata(kv, ref);
  return data === null ? '' : secretValue(data, ref.property);
}

export async function getSecret(kv: KvBackend, ref: RemoteRef): Promise<Uint8Array> {
  return encoder.encode(await getSecretText(kv, ref));
}

/** strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloatF(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', int = '', frac = '', expText = '0'] = m;
  const exp = Number(expText);
  const digits = int + frac;
  const point = int.length + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Go decodes without UseNumber here: numbers become float64. */
function toFloats(v: JsonValue): JsonValue | number {
  if (v instanceof JsonNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(toFloats) as JsonValue[];
  if (isObject(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toFloats(x)])) as JsonObject;
  return v;
}

/** GetSecretMap: decodes GetSecret's JSON and converts each top-level member (GetByteValue). */
export async function getSecretMap(
  kv: KvBackend,
  ref: RemoteRef,
): Promise<Map<string, Uint8Array>> {
  const text = await getSecretText(kv, ref);
  let parsed: JsonValue;
  try {
    parsed = parseJson(text);
  } catch (e) {
    throw new ProviderError(`vault: ${ref.key}: value is not a JSON object`, {}, { cause: e });
  }
  if (!isObject(parsed)) throw new ProviderError(`vault: ${ref.key}: value is not a JSON object`);
  const out = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(parsed)) {
    const f = toFloats(v);
    const s = typeof f === 'number' ? formatFloatF(f) : goByteValue(f);
    out.set(k, encoder.encode(s));
  }
  return out;
}
