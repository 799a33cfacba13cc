/**
 * dataFrom.find on Vault (eso.md §4.4, §9.24): recursive LIST of the metadata tree below
 * `find.path`, names relative to the mount including the path prefix, `name.regexp` (Go RE2,
 * unanchored) winning over `tags`, tags matched against metadata (KV v2 only), values read whole;
 * deleted versions are skipped. Keys are returned as Vault names: the sync core converts them.
 */
import type { FindSpec } from '../../api/types.ts';
import { findNameMatcher } from '../find-name.ts';
import { NoSecretError, ProviderError, StoreConfigError } from '../provider.ts';
import { statusError, type VaultRequest } from './http.ts';
import { buildMetadataPath } from './paths.ts';
import { getSecret, isObject, readSecretMetadata, type KvBackend } from './read.ts';

/** Every secret name below `prefix` (which is '' or ends with '/'). */
export async function listSecrets(kv: KvBackend, prefix: string): Promise<string[]> {
  const req: Omit<VaultRequest, 'token'> = {
    method: 'LIST',
    path: buildMetadataPath(kv.layout, prefix),
  };
  const res = await kv.request(req);
  if (res.status === 404)
    throw new NoSecretError(`Secret does not exist: no secrets below ${req.path}`);
  if (res.status < 200 || res.status > 299) throw statusError(req, res);
  const data = isObject(res.body) ? res.body.data : undefined;
  const keys = isObject(data) ? data.keys : undefined;
  if (!Array.isArray(keys)) return [];
  const out: string[] = [];
  for (const k of keys) {
    if (typeof k !== 'string') continue;
    const full = prefix + k;
    if (k.endsWith('/')) out.push(...(await listSecrets(kv, full)));
    else out.push(full);
  }
  return out;
}

async function tagsMatch(
  kv: KvBackend,
  name: string,
  tags: Record<string, string>,
): Promise<boolean> {
  const entries = Object.entries(tags);
  if (entries.length === 0) return true;
  const meta = await readSecretMetadata(kv, name);
  if (meta === null) throw new ProviderError('secret not found');
  return entries.every(([k, v]) => meta.get(k) === v);
}

export async function getAllSecrets(
  kv: KvBackend,
  find: FindSpec,
): Promise<Map<string, Uint8Array>> {
  if (kv.layout.version === 'v1' && find.tags !== undefined) {
    throw new StoreConfigError('cannot perform find by tag operations with kv version v1');
  }
  const candidates = await listSecrets(kv, find.path ? `${find.path}/` : '');
  const matches = find.name?.regexp !== undefined ? findNameMatcher(find.name.regexp) : undefined;
  const out = new Map<string, Uint8Array>();
  for (const name of candidates) {
    const hit = matches ? matches(name) : await tagsMatch(kv, name, find.tags ?? {});
    if (!hit) continue;
    try {
      out.set(name, await getSecret(kv, { key: name }));
    } catch (e) {
      if (!(e instanceof NoSecretError)) throw e;
    }
  }
  return out;
}
