/**
 * PushSecret on Vault (eso.md §4.7, §9.25): KV v1/v2 writes marked
 * `custom_metadata.managed-by=external-secrets`, refusal to touch unmanaged secrets, check-and-set,
 * property merges, no-op detection; deleteSecret for managed secrets only; secretExists.
 */
import type { PushSecretData } from '../../api/types.ts';
import {
  goJsonMarshal,
  JsonNumber,
  parseJson,
  type JsonObject,
  type JsonValue,
} from '../../secretdata/gojson.ts';
import { NoSecretError, ProviderError, type PushSource } from '../provider.ts';
import { statusError, type VaultRequest } from './http.ts';
import { buildDataPath, buildMetadataPath } from './paths.ts';
import {
  isObject,
  readSecretData,
  readSecretMetadata,
  secretValue,
  type KvBackend,
} from './read.ts';

const MANAGED_BY = 'managed-by';
const MANAGER = 'external-secrets';
const decoder = new TextDecoder();

type RemoteRef = PushSecretData['match']['remoteRef'];

async function send(kv: KvBackend, req: Omit<VaultRequest, 'token'>): Promise<void> {
  const res = await kv.request(req);
  if (res.status < 200 || res.status > 299) throw statusError(req, res);
}

async function readExisting(kv: KvBackend, key: string): Promise<JsonObject | undefined> {
  try {
    return await readSecretData(kv, key);
  } catch (e) {
    if (e instanceof NoSecretError) return undefined;
    throw e;
  }
}

async function isManaged(kv: KvBackend, key: string): Promise<boolean> {
  const meta = await readSecretMetadata(kv, key);
  if (meta === null) throw new ProviderError('secret not found');
  return meta.get(MANAGED_BY) === MANAGER;
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return goJsonMarshal(a) === goJsonMarshal(b);
}

/** The value to push: one key of the source Secret, or all of it as a string map. */
function pushedBytes(source: PushSource, data: PushSecretData): string {
  const key = data.match.secretKey;
  if (!key) {
    const all = Object.fromEntries([...source.data].map(([k, v]) => [k, decoder.decode(v)]));
    return goJsonMarshal(all, { escapeHtml: false });
  }
  const v = source.data.get(key);
  if (v === undefined)
    throw new ProviderError(`secret key "${key}" does not exist in the source Secret`);
  return decoder.decode(v);
}

function parseObject(text: string, message: string): JsonObject {
  try {
    const v = parseJson(text);
    if (isObject(v)) return v;
  } catch {
    // fall through: never echo the value
  }
  throw new ProviderError(message);
}

async function casVersion(kv: KvBackend, key: string, exists: boolean): Promise<number> {
  if (!exists) return 0;
  const req: Omit<VaultRequest, 'token'> = {
    method: 'GET',
    path: buildMetadataPath(kv.layout, key),
  };
  const res = await kv.request(req);
  if (res.status === 404) return 1;
  if (res.status < 200 || res.status > 299) {
    throw new ProviderError(`failed to get CAS version: ${statusError(req, res).message}`);
  }
  const data = isObject(res.body) ? res.body.data : undefined;
  const v = isObject(data) ? data.current_version : undefined;
  return v instanceof JsonNumber ? Number(v.text) : 1;
}

export interface PushOptions {
  checkAndSet: boolean;
}

/** The merged object to write, or undefined when nothing would change. */
function desiredObject(
  existing: JsonObject | undefined,
  value: string,
  property: string | undefined,
): JsonObject | undefined {
  if (property) {
    const current = existing?.[property];
    if (current !== undefined && typeof current !== 'string') {
      throw new ProviderError(`error converting ${property} to string`);
    }
    if (current === value) return undefined;
    return { ...(existing ?? {}), [property]: value };
  }
  if (existing !== undefined) {
    const incoming = parseObject(
      value,
      'error unmarshalling incoming secret value: invalid JSON format',
    );
    if (sameJson(existing, incoming)) return undefined;
    return incoming;
  }
  return parseObject(value, 'error unmarshalling vault secret: invalid JSON format');
}

export async function pushSecret(
  kv: KvBackend,
  source: PushSource,
  data: PushSecretData,
  options: PushOptions,
): Promise<void> {
  const { remoteKey, property } = data.match.remoteRef;
  const value = pushedBytes(source, data);
  const existing = await readExisting(kv, remoteKey);
  if (existing !== undefined) {
    if (!(await isManaged(kv, remoteKey)))
      throw new ProviderError('secret not managed by external-secrets');
    if (kv.layout.version === 'v1') delete existing.custom_metadata;
  }
  const desired = desiredObject(existing, value, property);
  if (desired === undefined) return;
  const path = buildDataPath(kv.layout, remoteKey);
  if (kv.layout.version === 'v1') {
    await send(kv, {
      method: 'POST',
      path,
      body: { ...desired, custom_metadata: { [MANAGED_BY]: MANAGER } },
    });
    return;
  }
  const body: Record<string, unknown> = { data: desired };
  if (options.checkAndSet)
    body.options = { cas: await casVersion(kv, remoteKey, existing !== undefined) };
  await send(kv, {
    method: 'POST',
    path: buildMetadataPath(kv.layout, remoteKey),
    body: { custom_metadata: { [MANAGED_BY]: MANAGER } },
  });
  await send(kv, { method: 'POST', path, body });
}

export async function deleteSecret(kv: KvBackend, ref: RemoteRef): Promise<void> {
  const existing = await readExisting(kv, ref.remoteKey);
  if (existing === undefined || !(await isManaged(kv, ref.remoteKey))) return;
  const path = buildDataPath(kv.layout, ref.remoteKey);
  if (ref.property) {
    const property = ref.property;
    const rest = Object.fromEntries(Object.entries(existing).filter(([k]) => k !== property));
    const left = Object.keys(rest).filter(
      (k) => kv.layout.version === 'v2' || k !== 'custom_metadata',
    );
    if (left.length > 0) {
      await send(kv, {
        method: 'POST',
        path,
        body: kv.layout.version === 'v2' ? { data: rest } : rest,
      });
      return;
    }
  }
  const del = await kv.request({ method: 'DELETE', path });
  if (del.status < 200 || (del.status > 299 && del.status !== 404)) {
    throw new ProviderError(
      `could not delete secret ${ref.remoteKey}: ${statusError({ method: 'DELETE', path }, del).message}`,
    );
  }
  if (kv.layout.version === 'v2') {
    const metaPath = buildMetadataPath(kv.layout, ref.remoteKey);
    const res = await kv.request({ method: 'DELETE', path: metaPath });
    if (res.status < 200 || (res.status > 299 && res.status !== 404)) {
      throw new ProviderError(
        `could not delete secret metadata ${ref.remoteKey}: ${statusError({ method: 'DELETE', path: metaPath }, res).message}`,
      );
    }
  }
}

export async function secretExists(kv: KvBackend, ref: RemoteRef): Promise<boolean> {
  const existing = await readExisting(kv, ref.remoteKey);
  if (existing === undefined) return false;
  try {
    secretValue(existing, ref.property);
    return true;
  } catch (e) {
    if (e instanceof ProviderError && e.message.startsWith('cannot find secret data for key'))
      return false;
    throw e;
  }
}
