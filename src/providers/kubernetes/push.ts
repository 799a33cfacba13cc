/**
 * PushSecret into a Secret of the remote cluster (ESO `client.go PushSecret`, `metadata.go`):
 * the `kubernetes.external-secrets.io/v1alpha1 PushSecretMetadata` parameters, how source and
 * target labels/annotations merge, and which data the remote Secret ends up with.
 */
import type { PushSecretData } from '../../api/types.ts';
import { ProviderError, StoreConfigError, type PushSource } from '../provider.ts';
import { dataAsJson } from './values.ts';

const METADATA_API_VERSION = 'kubernetes.external-secrets.io/v1alpha1';
const METADATA_KIND = 'PushSecretMetadata';

type StringMap = Record<string, string>;

export interface PushMetadataSpec {
  targetMergePolicy?: 'Merge' | 'Replace' | 'Ignore';
  sourceMergePolicy?: 'Merge' | 'Replace';
  labels?: StringMap;
  annotations?: StringMap;
  remoteNamespace?: string;
}

const SPEC_FIELDS: Record<string, 'string' | 'map'> = {
  targetMergePolicy: 'string',
  sourceMergePolicy: 'string',
  labels: 'map',
  annotations: 'map',
  remoteNamespace: 'string',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseError(why: string): StoreConfigError {
  return new StoreConfigError(`failed to parse ${METADATA_API_VERSION} ${METADATA_KIND}: ${why}`);
}

function checkField(name: string, value: unknown): void {
  const want = SPEC_FIELDS[name];
  if (want === undefined) throw parseError(`unknown field "spec.${name}"`);
  const ok =
    want === 'string'
      ? typeof value === 'string'
      : isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
  if (!ok && value !== null) throw parseError(`spec.${name} must be a ${want} of strings`);
}

/** The push metadata, or undefined when the PushSecret gives none. Unknown fields are errors. */
export function parsePushMetadata(raw: unknown): PushMetadataSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) throw parseError('metadata must be an object');
  for (const name of Object.keys(raw)) {
    if (!['apiVersion', 'kind', 'spec'].includes(name)) throw parseError(`unknown field "${name}"`);
  }
  if (raw.apiVersion !== METADATA_API_VERSION)
    throw new StoreConfigError(
      `unexpected apiVersion ${JSON.stringify(raw.apiVersion ?? '')}, expected "${METADATA_API_VERSION}"`,
    );
  if (raw.kind !== METADATA_KIND)
    throw new StoreConfigError(
      `unexpected kind ${JSON.stringify(raw.kind ?? '')}, expected "${METADATA_KIND}"`,
    );
  const spec = raw.spec ?? {};
  if (!isRecord(spec)) throw parseError('spec must be an object');
  for (const [name, value] of Object.entries(spec)) checkField(name, value);
  return spec;
}

export interface Metadata {
  labels?: StringMap | undefined;
  annotations?: StringMap | undefined;
}

/** The source Secret's metadata with the push metadata applied (ESO mergeSourceMetadata). */
function sourceMetadata(source: PushSource, meta: PushMetadataSpec | undefined): Metadata {
  if (meta === undefined) return { labels: source.labels, annotations: source.annotations };
  switch (meta.sourceMergePolicy ?? 'Merge') {
    case 'Merge':
      return {
        labels: { ...source.labels, ...meta.labels },
        annotations: { ...source.annotations, ...meta.annotations },
      };
    case 'Replace':
      return { labels: meta.labels, annotations: meta.annotations };
    default:
      throw new StoreConfigError(
        `unexpected source merge policy "${String(meta.sourceMergePolicy)}"`,
      );
  }
}

/** The remote Secret's labels and annotations after the push (ESO mergeTargetMetadata). */
export function mergedMetadata(
  source: PushSource,
  remote: Metadata,
  meta: PushMetadataSpec | undefined,
): Metadata {
  const from = sourceMetadata(source, meta);
  const labels = { ...remote.labels };
  const annotations = { ...remote.annotations };
  switch (meta?.targetMergePolicy ?? 'Merge') {
    case 'Merge':
      return {
        labels: { ...labels, ...from.labels },
        annotations: { ...annotations, ...from.annotations },
      };
    case 'Replace':
      return from;
    case 'Ignore':
      return { labels, annotations };
    default:
      throw new StoreConfigError(
        `unexpected target merge policy "${String(meta?.targetMergePolicy)}"`,
      );
  }
}

/** Rejects a secretKey without a property: ESO cannot tell which remote key to write. */
export function checkPushRef(data: PushSecretData): void {
  if (!data.match.remoteRef.property && data.match.secretKey) {
    throw new StoreConfigError(
      'requires property in RemoteRef to push secret value if secret key is defined',
    );
  }
}

/**
 * The remote data after the push: no property replaces it with the whole source; a property
 * gets the source key's bytes, or, without a secretKey, the whole source as Go JSON.
 */
export function pushedData(
  source: PushSource,
  data: PushSecretData,
  remote: ReadonlyMap<string, Uint8Array>,
): Map<string, Uint8Array> {
  const property = data.match.remoteRef.property;
  if (!property) return new Map(source.data);
  const out = new Map(remote);
  const key = data.match.secretKey;
  if (!key) {
    out.set(property, dataAsJson(source.data));
    return out;
  }
  const value = source.data.get(key);
  if (value === undefined) throw new ProviderError(`secret key ${key} does not exist`);
  out.set(property, value);
  return out;
}
