/**
 * A KubeClient that hands every request to `intercept` before it reaches the inner client: the one
 * place where cross-cutting wrappers (counting, client-side throttling) see each verb.
 */
import type {
  ApplyOptions,
  DeleteOptions,
  KubeClient,
  ListOptions,
  ListResult,
  PatchOptions,
  TokenRequest,
  IssuedToken,
  WatchHandle,
  WatchHandlers,
  WatchOptions,
  WriteOptions,
} from './client.ts';
import type { KubeObject, ObjectRef, ResourceType } from './types.ts';

export const KubeVerbs = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'updateStatus',
  'apply',
  'mergePatch',
  'delete',
  'createToken',
] as const;
export type KubeVerb = (typeof KubeVerbs)[number];

export interface KubeCall {
  verb: KubeVerb;
  kind: string;
  namespace?: string;
  name?: string;
}

function callOf(
  verb: KubeVerb,
  type: Pick<ResourceType, 'kind'>,
  ref: { namespace?: string | undefined; name?: string | undefined },
): KubeCall {
  const call: KubeCall = { verb, kind: type.kind };
  if (ref.namespace) call.namespace = ref.namespace;
  if (ref.name) call.name = ref.name;
  return call;
}

export abstract class InterceptingKubeClient implements KubeClient {
  constructor(protected readonly inner: KubeClient) {}

  /** Runs `send` (the inner client's request) on the interceptor's terms. */
  protected abstract intercept<T>(call: KubeCall, send: () => Promise<T>): Promise<T>;

  async get<T extends KubeObject>(type: ResourceType, ref: ObjectRef): Promise<T | undefined> {
    return this.intercept(callOf('get', type, ref), () => this.inner.get<T>(type, ref));
  }

  async list<T extends KubeObject>(
    type: ResourceType,
    options?: ListOptions,
  ): Promise<ListResult<T>> {
    return this.intercept(callOf('list', type, { namespace: options?.namespace }), () =>
      this.inner.list<T>(type, options),
    );
  }

  async watch<T extends KubeObject>(
    type: ResourceType,
    options: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Promise<WatchHandle> {
    return this.intercept(callOf('watch', type, { namespace: options.namespace }), () =>
      this.inner.watch<T>(type, options, handlers),
    );
  }

  async create<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options?: WriteOptions,
  ): Promise<T> {
    return this.intercept(callOf('create', type, obj.metadata), () =>
      this.inner.create(type, obj, options),
    );
  }

  async update<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options?: WriteOptions,
  ): Promise<T> {
    return this.intercept(callOf('update', type, obj.metadata), () =>
      this.inner.update(type, obj, options),
    );
  }

  async updateStatus<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options?: WriteOptions,
  ): Promise<T> {
    return this.intercept(callOf('updateStatus', type, obj.metadata), () =>
      this.inner.updateStatus(type, obj, options),
    );
  }

  async apply<T extends KubeObject>(type: ResourceType, obj: T, options: ApplyOptions): Promise<T> {
    return this.intercept(callOf('apply', type, obj.metadata), () =>
      this.inner.apply(type, obj, options),
    );
  }

  async mergePatch<T extends KubeObject>(
    type: ResourceType,
    ref: ObjectRef,
    patch: unknown,
    options?: PatchOptions,
  ): Promise<T> {
    return this.intercept(callOf('mergePatch', type, ref), () =>
      this.inner.mergePatch<T>(type, ref, patch, options),
    );
  }

  async delete(type: ResourceType, ref: ObjectRef, options?: DeleteOptions): Promise<boolean> {
    return this.intercept(callOf('delete', type, ref), () => this.inner.delete(type, ref, options));
  }

  async createToken(request: TokenRequest): Promise<IssuedToken> {
    return this.intercept(
      callOf(
        'createToken',
        { kind: 'ServiceAccount' },
        { namespace: request.namespace, name: request.serviceAccount },
      ),
      () => this.inner.createToken(request),
    );
  }
}
