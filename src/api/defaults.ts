import { findKind, objectSchema } from './kinds.ts';
import type { Schema } from './schema.ts';
import type {
  ExternalSecret,
  ExternalSecretDataFrom,
  ExternalSecretSpec,
  FindSpec,
  RemoteRef,
  VaultAuth,
  VaultProvider,
} from './types.ts';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fills in `default` values the way the API server does for a structural schema: a missing (or
 * null, when not nullable) field with a default gets a copy of it, then defaulting continues
 * inside it. Mutates and returns `value`.
 */
export function defaultValue(value: unknown, schema: Schema): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) for (const item of value) defaultValue(item, items);
  } else if (isPlainObject(value)) {
    defaultObject(value, schema);
  }
  return value;
}

function defaultObject(value: Record<string, unknown>, schema: Schema): void {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (value[key] === null && prop.nullable !== true) Reflect.deleteProperty(value, key);
    if (value[key] === undefined && prop.default !== undefined) {
      value[key] = structuredClone(prop.default);
    }
    if (value[key] !== undefined) defaultValue(value[key], prop);
  }
  const rest = schema.additionalProperties;
  if (rest) for (const item of Object.values(value)) defaultValue(item, rest);
}

/**
 * Returns a copy of an external-secrets.io object with the defaults our CRDs declare, exactly what
 * the API server would store. Objects of kinds Ferry does not serve are returned copied, untouched.
 */
export function applySchemaDefaults<T>(obj: T): T {
  const copy = structuredClone(obj);
  if (!isPlainObject(copy)) return copy;
  const info = findKind(copy.apiVersion, copy.kind);
  if (info) defaultValue(copy, objectSchema(info));
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Effective values: what ESO's controllers assume when a field is empty and no CRD default exists.

/** ESO treats empty strategies as these (eso.md §9.1: not CRD-defaulted since v2.9). */
function effectiveRemoteRef(ref: RemoteRef): RemoteRef {
  return {
    ...ref,
    metadataPolicy: ref.metadataPolicy ?? 'None',
    conversionStrategy: ref.conversionStrategy ?? 'Default',
    decodingStrategy: ref.decodingStrategy ?? 'None',
    nullBytePolicy: ref.nullBytePolicy ?? 'Ignore',
  };
}

function effectiveFind(find: FindSpec): FindSpec {
  return {
    ...find,
    conversionStrategy: find.conversionStrategy ?? 'Default',
    decodingStrategy: find.decodingStrategy ?? 'None',
    nullBytePolicy: find.nullBytePolicy ?? 'Ignore',
  };
}

function effectiveDataFrom(entry: ExternalSecretDataFrom): ExternalSecretDataFrom {
  const out: ExternalSecretDataFrom = { ...entry };
  if (entry.extract) out.extract = effectiveRemoteRef(entry.extract);
  if (entry.find) out.find = effectiveFind(entry.find);
  return out;
}

/**
 * An ExternalSecret spec with every default resolved: CRD defaults plus the values ESO's controller
 * uses for empty fields (store kind SecretStore, refreshPolicy Periodic, target name = object name,
 * strategies Default/None, templateFrom valuesDecodingStrategy None).
 */
export function effectiveExternalSecretSpec(es: ExternalSecret): ExternalSecretSpec {
  const spec = applySchemaDefaults(es).spec;
  const target = { ...spec.target };
  target.name = target.name ?? es.metadata.name;
  if (target.template?.templateFrom) {
    target.template = {
      ...target.template,
      templateFrom: target.template.templateFrom.map((t) => ({
        ...t,
        target: t.target === undefined || t.target === '' ? 'Data' : t.target,
        valuesDecodingStrategy: t.valuesDecodingStrategy ?? 'None',
      })),
    };
  }
  return {
    ...spec,
    secretStoreRef: { ...spec.secretStoreRef, kind: spec.secretStoreRef?.kind ?? 'SecretStore' },
    refreshPolicy: spec.refreshPolicy ?? 'Periodic',
    refreshInterval: spec.refreshInterval ?? '1h0m0s',
    target,
    data: spec.data?.map((d) => ({ ...d, remoteRef: effectiveRemoteRef(d.remoteRef) })),
    dataFrom: spec.dataFrom?.map(effectiveDataFrom),
  };
}

/** Mount paths and keys ESO's Vault client falls back to when the spec leaves them empty. */
export const VAULT_CODE_DEFAULTS = {
  iamPath: 'aws',
  iamRegion: 'us-east-1',
  kubernetesSecretKey: 'token',
  tlsCertKey: 'tls.crt',
  tlsKeyKey: 'tls.key',
  jwtAudiences: ['vault'],
  jwtExpirationSeconds: 600,
} as const;

/** Sets `ref.key` when it is empty, as ESO's Vault client does at use time. */
function withKey<T extends { key?: string }>(ref: T | undefined, key: string): T | undefined {
  return ref ? { ...ref, key: ref.key || key } : undefined;
}

function effectiveVaultAuth(auth: VaultAuth): void {
  const d = VAULT_CODE_DEFAULTS;
  if (auth.iam) {
    auth.iam = {
      ...auth.iam,
      path: auth.iam.path || d.iamPath,
      region: auth.iam.region || d.iamRegion,
    };
  }
  if (auth.kubernetes?.secretRef) {
    auth.kubernetes.secretRef = withKey(auth.kubernetes.secretRef, d.kubernetesSecretKey);
  }
  const token = auth.jwt?.kubernetesServiceAccountToken;
  if (token) {
    token.audiences = token.audiences ?? [...d.jwtAudiences];
    token.expirationSeconds = token.expirationSeconds ?? d.jwtExpirationSeconds;
  }
}

/** A Vault provider block with CRD defaults and ESO's code defaults filled in. */
export function effectiveVaultProvider(vault: VaultProvider): VaultProvider {
  const storeSpec = { provider: { vault: structuredClone(vault) } };
  const specSchema = findKind('external-secrets.io/v1', 'SecretStore')?.spec();
  if (specSchema) defaultValue(storeSpec, specSchema);
  const out = storeSpec.provider.vault;
  if (out.auth) effectiveVaultAuth(out.auth);
  if (out.tls) {
    out.tls = {
      certSecretRef: withKey(out.tls.certSecretRef, VAULT_CODE_DEFAULTS.tlsCertKey),
      keySecretRef: withKey(out.tls.keySecretRef, VAULT_CODE_DEFAULTS.tlsKeyKey),
    };
  }
  return out;
}
