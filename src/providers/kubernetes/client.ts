/**
 * The SecretsClient of the kubernetes provider (ESO `providers/v1/kubernetes/client.go`): Secrets
 * of `remoteNamespace` read, found, pushed and deleted through a KubeClient authenticated as the
 * store's identity. Values stay bytes; API errors keep the server's Status message (which names
 * objects and RBAC rules, never data).
 */
import type { AnySecretStore, FindSpec, PushSecretData, RemoteRef } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import { KubeApiError } from '../../kube/errors.ts';
import { Resources, type KubeObject } from '../../kube/types.ts';
import { errorMessage } from '../../errors.ts';
import { findNameMatcher } from '../find-name.ts';
import {
  NoSecretError,
  ProviderError,
  StoreConfigError,
  type Logger,
  type PushSource,
  type SecretsClient,
  type ValidationResult,
} from '../provider.ts';
import { reviewSecretAccess } from './access-review.ts';
import { labelSelectorFromTags } from './labels.ts';
import { checkPushRef, mergedMetadata, parsePushMetadata, pushedData } from './push.ts';
import { storeName } from './spec.ts';
import {
  dataAsJson,
  metadataAsJson,
  metadataMap,
  propertyMap,
  propertyValue,
  type SecretView,
} from './values.ts';

/** A Secret as the API server sends it. */
export interface SecretWire extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

export interface KubernetesClientOptions {
  store: AnySecretStore;
  remoteNamespace: string;
  /** The store's identity on the remote API server; absent for a referent store being validated. */
  remote: KubeClient | undefined;
  /** A ClusterSecretStore whose credentials resolve per ExternalSecret namespace. */
  referent: boolean;
  logger: Logger;
}

function decodeData(data: Record<string, string> | undefined): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(data ?? {}))
    out.set(k, new Uint8Array(Buffer.from(v, 'base64')));
  return out;
}

function encodeData(data: ReadonlyMap<string, Uint8Array>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of data) out[k] = Buffer.from(v).toString('base64');
  return out;
}

function view(secret: SecretWire): SecretView {
  return {
    name: secret.metadata.name ?? '',
    labels: secret.metadata.labels,
    annotations: secret.metadata.annotations,
    data: decodeData(secret.data),
  };
}

/** Kubernetes compares nil and empty maps as equal (equality.Semantic); so do we. */
function sameMap(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const x = Object.entries(a ?? {});
  return x.length === Object.keys(b ?? {}).length && x.every(([k, v]) => b?.[k] === v);
}

function unchanged(before: SecretWire, after: SecretWire): boolean {
  return (
    (before.type ?? '') === (after.type ?? '') &&
    sameMap(before.metadata.labels, after.metadata.labels) &&
    sameMap(before.metadata.annotations, after.metadata.annotations) &&
    sameMap(before.data, after.data)
  );
}

function apiError(what: string, e: unknown): ProviderError {
  const status = e instanceof KubeApiError ? e.code : undefined;
  const retryable = status === undefined || status >= 500 || status === 429;
  return new ProviderError(
    `${what}: ${errorMessage(e)}`,
    { ...(status ? { status } : {}), retryable },
    { cause: e },
  );
}

export class KubernetesSecretsClient implements SecretsClient {
  constructor(private readonly options: KubernetesClientOptions) {}

  private get namespace(): string {
    return this.options.remoteNamespace;
  }

  private remote(): KubeClient {
    const remote = this.options.remote;
    if (remote === undefined) {
      throw new StoreConfigError(
        `${storeName(this.options.store)} authenticates with references in the ExternalSecret's namespace; it can only be used from a namespace`,
      );
    }
    return remote;
  }

  private async read(name: string, namespace = this.namespace): Promise<SecretWire | undefined> {
    try {
      return await this.remote().get<SecretWire>(Resources.Secret, { namespace, name });
    } catch (e) {
      if (e instanceof StoreConfigError) throw e;
      throw apiError(`cannot get Secret ${namespace}/${name}`, e);
    }
  }

  private async mustRead(name: string): Promise<SecretView> {
    const secret = await this.read(name);
    if (secret === undefined)
      throw new NoSecretError(
        `Secret does not exist: secrets "${name}" not found in namespace ${this.namespace}`,
      );
    return view(secret);
  }

  async getSecret(ref: RemoteRef): Promise<Uint8Array> {
    const secret = await this.mustRead(ref.key);
    const fetch = ref.metadataPolicy === 'Fetch';
    if (ref.property) return propertyValue(secret, ref.property, fetch);
    return fetch ? metadataAsJson(secret) : dataAsJson(secret.data);
  }

  async getSecretMap(ref: RemoteRef): Promise<Map<string, Uint8Array>> {
    const secret = await this.mustRead(ref.key);
    const members = ref.metadataPolicy === 'Fetch' ? metadataMap(secret) : secret.data;
    if (ref.property) return propertyMap(ref.key, ref.property, members);
    return new Map(members);
  }

  /**
   * Tags (labels) win over name, as in ESO; `find.path` has no meaning here. Secret names are
   * already valid keys, so there is nothing for a conversionStrategy to change.
   */
  async getAllSecrets(find: FindSpec): Promise<Map<string, Uint8Array>> {
    let selector: string | undefined;
    let matches: (name: string) => boolean = () => true;
    if (find.tags !== undefined) selector = labelSelectorFromTags(find.tags);
    else if (find.name?.regexp !== undefined) matches = findNameMatcher(find.name.regexp);
    else throw new StoreConfigError('unexpected find operator: set find.name.regexp or find.tags');
    let items: SecretWire[];
    try {
      const listed = await this.remote().list<SecretWire>(Resources.Secret, {
        namespace: this.namespace,
        ...(selector ? { labelSelector: selector } : {}),
      });
      items = listed.items;
    } catch (e) {
      if (e instanceof StoreConfigError) throw e;
      throw apiError(`unable to list secrets in namespace ${this.namespace}`, e);
    }
    const out = new Map<string, Uint8Array>();
    for (const secret of items) {
      const name = secret.metadata.name ?? '';
      if (matches(name)) out.set(name, dataAsJson(decodeData(secret.data)));
    }
    return out;
  }

  async pushSecret(source: PushSource, data: PushSecretData): Promise<void> {
    checkPushRef(data);
    const meta = parsePushMetadata(data.metadata);
    let namespace = this.namespace;
    if (meta?.remoteNamespace) {
      if (this.options.store.kind !== 'ClusterSecretStore')
        throw new StoreConfigError(
          'remoteNamespace override is only supported with ClusterSecretStore',
        );
      namespace = meta.remoteNamespace;
    }
    const name = data.match.remoteRef.remoteKey;
    const existing = await this.read(name, namespace);
    const metadata = mergedMetadata(source, existing?.metadata ?? {}, meta);
    const desired: SecretWire = {
      ...existing,
      metadata: { ...existing?.metadata, name, namespace, ...metadata },
      type: source.type || 'Opaque',
      data: encodeData(pushedData(source, data, decodeData(existing?.data))),
    };
    if (existing !== undefined && unchanged(existing, desired)) return;
    const verb = existing === undefined ? 'create' : 'update';
    try {
      if (existing === undefined) await this.remote().create(Resources.Secret, desired);
      else await this.remote().update(Resources.Secret, desired);
    } catch (e) {
      throw apiError(`cannot ${verb} Secret ${namespace}/${name}`, e);
    }
  }

  /** A property removes that key (the whole Secret when it is the last one); none removes all. */
  async deleteSecret(ref: PushSecretData['match']['remoteRef']): Promise<void> {
    const secret = await this.read(ref.remoteKey);
    if (secret === undefined) return;
    const ns = this.namespace;
    try {
      if (ref.property) {
        const data = secret.data ?? {};
        if (!Object.hasOwn(data, ref.property)) return;
        if (Object.keys(data).length > 1) {
          const rest = Object.fromEntries(
            Object.entries(data).filter(([key]) => key !== ref.property),
          );
          await this.remote().update(Resources.Secret, { ...secret, data: rest });
          return;
        }
      }
      await this.remote().delete(Resources.Secret, { namespace: ns, name: ref.remoteKey });
    } catch (e) {
      throw apiError(`cannot delete from Secret ${ns}/${ref.remoteKey}`, e);
    }
  }

  async secretExists(ref: PushSecretData['match']['remoteRef']): Promise<boolean> {
    const secret = await this.read(ref.remoteKey);
    if (secret === undefined) return false;
    return ref.property ? Object.hasOwn(secret.data ?? {}, ref.property) : true;
  }

  /** A referent ClusterSecretStore has no one identity to check: Unknown, as in ESO. */
  async validate(): Promise<ValidationResult> {
    if (this.options.referent || this.options.remote === undefined) return 'Unknown';
    return reviewSecretAccess(this.options.remote, this.namespace, this.options.logger);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
