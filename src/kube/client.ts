/**
 * The one door to the API server. Controllers, informers, leader election and the event
 * recorder see only this interface, so tests can count or fake requests without module mocks.
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeTransportError, isNotFound, type KubeStatus } from './errors.ts';
import {
  clientNodeTransport,
  type HttpRequest,
  type Transport,
  type TransportOptions,
} from './transport.ts';
import type { KubeObject, ObjectRef, ResourceType } from './types.ts';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; `list` follows `continue` until the last page. Default 500. */
  limit?: number;
}

export interface ListResult<T> {
  items: T[];
  /** The collection's resourceVersion: where a watch picks up. */
  resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T> {
  type: WatchEventType;
  /** The object, or a `Status` for `ERROR`. */
  object: T;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  /** The server ends the watch after this long (client-go uses 5–10 min). */
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
}

export interface WatchHandlers<T> {
  onEvent(event: WatchEvent<T>): void;
  /** The stream ended (normally or with `error`); not called after `stop`. */
  onClose(error?: unknown): void;
}

export interface WatchHandle {
  stop(): void;
}

export interface WriteOptions {
  fieldManager?: string;
  /** `All`: the server validates, defaults and prunes the object but does not store it. */
  dryRun?: 'All';
}

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  subresource?: 'status';
}

export interface PatchOptions extends WriteOptions {
  subresource?: 'status';
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface TokenRequest {
  namespace: string;
  serviceAccount: string;
  audiences?: string[];
  expirationSeconds?: number;
}

export interface IssuedToken {
  token: string;
  expirationTimestamp: string;
}

export interface KubeClient {
  /** The object, or `undefined` when it does not exist. */
  get<T extends KubeObject>(type: ResourceType, ref: ObjectRef): Promise<T | undefined>;
  list<T extends KubeObject>(type: ResourceType, options?: ListOptions): Promise<ListResult<T>>;
  watch<T extends KubeObject>(
    type: ResourceType,
    options: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Promise<WatchHandle>;
  create<T extends KubeObject>(type: ResourceType, obj: T, options?: WriteOptions): Promise<T>;
  /** PUT; carries `metadata.resourceVersion`, so a stale copy fails with 409 Conflict. */
  update<T extends KubeObject>(type: ResourceType, obj: T, options?: WriteOptions): Promise<T>;
  /** PUT to the status subresource. */
  updateStatus<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options?: WriteOptions,
  ): Promise<T>;
  /** Server-side apply (`application/apply-patch+yaml`) as `fieldManager`. */
  apply<T extends KubeObject>(type: ResourceType, obj: T, options: ApplyOptions): Promise<T>;
  /** JSON merge patch (RFC 7386). */
  mergePatch<T extends KubeObject>(
    type: ResourceType,
    ref: ObjectRef,
    patch: unknown,
    options?: PatchOptions,
  ): Promise<T>;
  /** `true` if deleted, `false` if it was already gone. */
  delete(type: ResourceType, ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;
  /** A ServiceAccount token through the TokenRequest API. */
  createToken(request: TokenRequest): Promise<IssuedToken>;
}

const DEFAULT_PAGE = 500;

/** `/api/v1` or `/apis/group/version`. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export function collectionPath(type: ResourceType, namespace?: string): string {
  const scope = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(type.apiVersion)}${scope}/${type.plural}`;
}

export function objectPath(type: ResourceType, ref: ObjectRef, subresource?: string): string {
  if (type.namespaced && !ref.namespace)
    throw new Error(`${type.kind} ${ref.name}: namespace is required`);
  const tail = subresource ? `/${subresource}` : '';
  return `${collectionPath(type, ref.namespace)}/${encodeURIComponent(ref.name)}${tail}`;
}

function describe(request: HttpRequest): string {
  return `${request.method} ${request.path}`;
}

function parseStatus(body: string): KubeStatus {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function withTypeMeta<T extends KubeObject>(type: ResourceType, items: T[]): T[] {
  for (const item of items) {
    item.apiVersion ??= type.apiVersion;
    item.kind ??= type.kind;
  }
  return items;
}

interface ListPage<T> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

export interface HttpKubeClientOptions {
  transport: Transport;
  /** Opens watch streams; `clientNodeWatcher(kc)` in production. */
  watcher: Watcher;
}

/** Starts one watch stream. */
export type Watcher = (
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  handlers: WatchHandlers<unknown>,
) => Promise<WatchHandle>;

/** client-node's `Watch`, with `stop()` that silences the close callback. */
export function clientNodeWatcher(kc: KubeConfig): Watcher {
  const watch = new Watch(kc);
  return async (path, query, handlers) => {
    let stopped = false;
    const controller = await watch.watch(
      path,
      query,
      (phase: string, object: unknown) => {
        if (!stopped) handlers.onEvent({ type: phase as WatchEventType, object });
      },
      (error: unknown) => {
        if (!stopped) handlers.onClose(error ?? undefined);
        stopped = true;
      },
    );
    return {
      stop: () => {
        stopped = true;
        controller.abort();
      },
    };
  };
}

/** The KubeClient over a transport (production: `newKubeClient(kc)`). */
export class HttpKubeClient implements KubeClient {
  constructor(private readonly options: HttpKubeClientOptions) {}

  async get<T extends KubeObject>(type: ResourceType, ref: ObjectRef): Promise<T | undefined> {
    try {
      return await this.send<T>({ method: 'GET', path: objectPath(type, ref) });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list<T extends KubeObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): Promise<ListResult<T>> {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.listPage<T>(type, options, token);
      items.push(...page.items);
      resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
      token = page.metadata.continue || undefined;
    } while (token);
    return { items: withTypeMeta(type, items), resourceVersion };
  }

  async watch<T extends KubeObject>(
    type: ResourceType,
    options: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Promise<WatchHandle> {
    const { namespace, ...query } = options;
    return this.options.watcher(collectionPath(type, namespace), query, handlers);
  }

  async create<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options: WriteOptions = {},
  ): Promise<T> {
    const path = collectionPath(type, obj.metadata.namespace);
    return this.send<T>({ method: 'POST', path, query: { ...options }, body: obj });
  }

  async update<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.put(type, obj, options);
  }

  async updateStatus<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.put(type, obj, options, 'status');
  }

  async apply<T extends KubeObject>(type: ResourceType, obj: T, options: ApplyOptions): Promise<T> {
    const body = { apiVersion: type.apiVersion, kind: type.kind, ...obj };
    const ref = { name: obj.metadata.name ?? '', namespace: obj.metadata.namespace };
    return this.send<T>({
      method: 'PATCH',
      path: objectPath(type, ref, options.subresource),
      query: { fieldManager: options.fieldManager, force: options.force },
      contentType: 'application/apply-patch+yaml',
      body,
    });
  }

  async mergePatch<T extends KubeObject>(
    type: ResourceType,
    ref: ObjectRef,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    return this.send<T>({
      method: 'PATCH',
      path: objectPath(type, ref, options.subresource),
      query: { fieldManager: options.fieldManager },
      contentType: 'application/merge-patch+json',
      body: patch,
    });
  }

  async delete(type: ResourceType, ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', ...options };
    try {
      await this.send({ method: 'DELETE', path: objectPath(type, ref), body });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async createToken(request: TokenRequest): Promise<IssuedToken> {
    const ref = { namespace: request.namespace, name: request.serviceAccount };
    const spec: Record<string, unknown> = { audiences: request.audiences ?? [] };
    if (request.expirationSeconds !== undefined)
      spec['expirationSeconds'] = request.expirationSeconds;
    const answer = await this.send<{ status?: Partial<IssuedToken> }>({
      method: 'POST',
      path: objectPath(
        { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
        ref,
        'token',
      ),
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec },
    });
    return {
      token: answer.status?.token ?? '',
      expirationTimestamp: answer.status?.expirationTimestamp ?? '',
    };
  }

  private async put<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options: WriteOptions,
    subresource?: string,
  ): Promise<T> {
    const ref = { name: obj.metadata.name ?? '', namespace: obj.metadata.namespace };
    const body = { apiVersion: type.apiVersion, kind: type.kind, ...obj };
    return this.send<T>({
      method: 'PUT',
      path: objectPath(type, ref, subresource),
      query: { ...options },
      body,
    });
  }

  private async listPage<T>(
    type: ResourceType,
    options: ListOptions,
    token?: string,
  ): Promise<ListPage<T>> {
    const { namespace, limit, ...selectors } = options;
    const query = { ...selectors, limit: limit ?? DEFAULT_PAGE, continue: token };
    return this.send<ListPage<T>>({ method: 'GET', path: collectionPath(type, namespace), query });
  }

  private async send<T>(request: HttpRequest): Promise<T> {
    let response;
    try {
      response = await this.options.transport(request);
    } catch (error) {
      throw new KubeTransportError(describe(request), { cause: error });
    }
    if (response.status < 200 || response.status > 299) {
      throw new KubeApiError(response.status, describe(request), parseStatus(response.body));
    }
    return (response.body ? JSON.parse(response.body) : {}) as T;
  }
}

/** A KubeClient for the kubeconfig's current context. */
export function newKubeClient(kc: KubeConfig, options: TransportOptions = {}): KubeClient {
  return new HttpKubeClient({
    transport: clientNodeTransport(kc, options),
    watcher: clientNodeWatcher(kc),
  });
}
