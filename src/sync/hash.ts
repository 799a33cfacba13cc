/**
 * ESO's hashes (reference/eso.md §2.3): lowercase hex SHA3-224 over Go's `fmt.Sprintf("%+v", x)`.
 * Only the shapes ESO hashes are rendered here: `map[string][]byte` (Secret.data),
 * `map[string]string` and the `{annotations labels}` struct behind syncedResourceVersion.
 */
import { createHash } from 'node:crypto';
import { sortedEntries } from './order.ts';

const utf8 = new TextEncoder();

/** `%+v` of a Go `map[string][]byte`: `map[k:[1 2 3] e:[]]`, keys sorted bytewise. */
export function goFormatByteMap(
  data: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>> | undefined,
): string {
  const parts = sortedEntries(data).map(([k, v]) => `${k}:[${Array.from(v).join(' ')}]`);
  return `map[${parts.join(' ')}]`;
}

/** `%+v` of a Go `map[string]string`. */
export function goFormatStringMap(m: Readonly<Record<string, string>> | undefined): string {
  return `map[${sortedEntries(m)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ')}]`;
}

/** SHA3-224 hex of a string's UTF-8 bytes (ESO `ObjectHash` after formatting). */
export function sha3_224Hex(text: string | Uint8Array): string {
  return createHash('sha3-224').update(text).digest('hex');
}

/** `reconcile.external-secrets.io/data-hash`: ESO's `ObjectHash(secret.Data)`. */
export function dataHash(
  data: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>> | undefined,
): string {
  return sha3_224Hex(goFormatByteMap(data));
}

/** The `reconcile.external-secrets.io/created-by` label: sha3-224 of `"<namespace>/<name>"`. */
export function createdByHash(namespace: string, name: string): string {
  return sha3_224Hex(`${namespace}/${name}`);
}

/** ESO `HashMeta`: ObjectHash of the struct `{annotations labels}` under `%+v`. */
export function metadataHash(meta: {
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}): string {
  return sha3_224Hex(
    `{annotations:${goFormatStringMap(meta.annotations)} labels:${goFormatStringMap(meta.labels)}}`,
  );
}

/** `status.syncedResourceVersion`: `"<generation>-<HashMeta>"` (pkg/controllers/util). */
export function syncedResourceVersion(meta: {
  generation?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}): string {
  return `${meta.generation ?? 0}-${metadataHash(meta)}`;
}

/**
 * The field manager ESO writes Secrets with (`fqdnFor`): the sha3 form once the plain one would
 * exceed 63 characters.
 */
export function fieldManagerFor(esName: string): string {
  const plain = `externalsecrets.external-secrets.io/${esName}`;
  return utf8.encode(plain).length > 63
    ? `externalsecrets.external-secrets.io/sha3/${sha3_224Hex(esName)}`
    : plain;
}
