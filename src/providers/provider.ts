/**
 * The provider seam (ESO's two levels, reference/eso.md §5): a `Provider` validates a store spec
 * and opens a `SecretsClient` for it; the client reads and writes one store. Every provider is
 * registered under its `spec.provider` key and passes the one conformance suite in
 * `conformance.ts`. Values are bytes end to end; they never enter an error message.
 */
import type { AnySecretStore, FindSpec, PushSecretData, RemoteRef } from '../api/types.ts';
import { FerryError } from '../errors.ts';

/** The remote secret does not exist. Drives deletionPolicy (ESO's `esv1.NoSecretError`). */
export class NoSecretError extends FerryError {
  constructor(message = 'Secret does not exist', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The store's configuration is wrong; only a spec change fixes it (no fast retry). */
export class StoreConfigError extends FerryError {}

/** Talking to the store failed (network, 5xx, auth): retried with backoff, target untouched. */
export class ProviderError extends FerryError {
  constructor(
    message: string,
    readonly details: { status?: number; retryable?: boolean } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type Capabilities = 'ReadOnly' | 'WriteOnly' | 'ReadWrite';

export type ValidationResult = 'Ready' | 'Unknown' | 'Error';

/** What a provider may ask of Kubernetes; agent mode implements it without a cluster. */
export interface ProviderKubeAccess {
  /** The bytes of `data[key]` of a Secret. Throws a FerryError naming namespace/name/key if absent. */
  readSecretKey(ref: { namespace: string; name: string; key: string }): Promise<Uint8Array>;
  /** The bytes of `data[key]` of a ConfigMap (caProvider). */
  readConfigMapKey(ref: { namespace: string; name: string; key: string }): Promise<Uint8Array>;
  /** A ServiceAccount token from the TokenRequest API. */
  createServiceAccountToken(ref: {
    namespace: string;
    name: string;
    audiences?: string[];
    expirationSeconds?: number;
  }): Promise<string>;
}

export interface Clock {
  now(): number;
}

export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface ProviderContext {
  /** Namespace of the object being reconciled; where namespaced refs of a ClusterSecretStore resolve. */
  namespace: string;
  kube: ProviderKubeAccess;
  clock: Clock;
  logger: Logger;
  /** HTTP dispatch, injected so tests can route through a fault-injecting proxy. */
  fetch: typeof fetch;
  signal?: AbortSignal;
}

/** The Secret a PushSecret pushes from (only what providers need). */
export interface PushSource {
  data: ReadonlyMap<string, Uint8Array>;
  /** The source Secret's type; the kubernetes provider gives the remote Secret the same. */
  type?: string | undefined;
  /** The source Secret's labels and annotations, which the kubernetes provider copies. */
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

export interface SecretsClient {
  /** One value: the whole secret (JSON-encoded as ESO does) or `ref.property` of it. */
  getSecret(ref: RemoteRef): Promise<Uint8Array>;
  /** A secret's top-level keys (dataFrom.extract). */
  getSecretMap(ref: RemoteRef): Promise<Map<string, Uint8Array>>;
  /** Secrets matching name/path/tags (dataFrom.find), keyed by their name. */
  getAllSecrets(find: FindSpec): Promise<Map<string, Uint8Array>>;
  pushSecret(source: PushSource, data: PushSecretData): Promise<void>;
  deleteSecret(ref: PushSecretData['match']['remoteRef']): Promise<void>;
  secretExists(ref: PushSecretData['match']['remoteRef']): Promise<boolean>;
  validate(): Promise<ValidationResult>;
  close(): Promise<void>;
}

export interface Provider {
  /** The `spec.provider` key this provider serves, e.g. "vault". */
  readonly key: string;
  capabilities(store: AnySecretStore): Capabilities;
  /** Static checks of the spec; returns warnings, throws StoreConfigError on errors. */
  validateStore(store: AnySecretStore): string[];
  newClient(store: AnySecretStore, context: ProviderContext): Promise<SecretsClient>;
}
