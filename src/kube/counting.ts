/**
 * A KubeClient that counts calls by verb before delegating, so tests (and benchmarks) can assert
 * things like "an unchanged refresh made 0 writes". `onCall` is a hook for anything finer.
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

const WRITE_VERBS: ReadonlySet<KubeVerb> = new Set([
  'create',
  'update',
  'updateStatus',
  'apply',
  'mergePatch',
  'delete',
]);

export interface KubeCall {
  verb: KubeVerb;
  kind: string;
  namespace?: string;
  name?: string;
}

export class CountingKubeClient implements KubeClient {
  readonly calls: KubeCall[] = [];

  constructor(
    private readonly inner: KubeClient,
    private readonly onCall?: (call: KubeCall) => void,
  ) {}

  /** Calls of one verb, optionally only for one kind. */
  count(verb: KubeVerb, kind?: string): number {
    return this.calls.filter((c) => c.verb === verb && (kind === undefined || c.kind === kind))
      .length;
  }

  /** Mutating calls (create/update/updateStatus/apply/mergePatch/delete), optionally for one kind. */
  writes(kind?: string): number {
    return this.calls.filter(
      (c) => WRITE_VERBS.has(c.verb) && (kind === undefined || c.kind === kind),
    ).length;
  }

  /** Calls per verb, every verb present (zeros included). */
  byVerb(): Record<KubeVerb, number> {
    const out = Object.fromEntries(KubeVerbs.map((v) => [v, 0])) as Record<KubeVerb, number>;
    for (const call of this.calls) out[call.verb] += 1;
    return out;
  }

  reset(): void {
    this.calls.length = 0;
  }

  async get<T extends KubeObject>(type: ResourceType, ref: ObjectRef): Promise<T | undefined> {
    this.record('get', type, ref);
    return this.inner.get<T>(type, ref);
  }

  async list<T extends KubeObject>(
    type: ResourceType,
    options?: ListOptions,
  ): Promise<ListResult<T>> {
    this.record('list', type, { namespace: options?.namespace });
    return this.inner.list<T>(type, options);
  }

  async watch<T extends KubeObject>(
    type: ResourceType,
    options: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Promise<WatchHandle> {
    this.record('watch', type, { namespace: options.namespace });
    return this.inner.watch<T>(type, options, handlers);
  }

  async create<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options?: WriteOptions,
  ): Promise<T> {
    this.record('create', type, obj.metadata);
    return this.inner.create(type, obj, options);
  }

  async update<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options?: WriteOptions,
  ): Promise<T> {
    this.record('update', type, obj.metadata);
    return this.inner.update(type, obj, options);
  }

  async updateStatus<T extends KubeObject>(
    type: ResourceType,
    obj: T,
    options?: WriteOptions,
  ): Promise<T> {
    this.record('updateStatus', type, obj.metadata);
    return this.inner.updateStatus(type, obj, options);
  }

  async apply<T extends KubeObject>(type: ResourceType, obj: T, options: ApplyOptions): Promise<T> {
    this.record('apply', type, obj.metadata);
    return this.inner.apply(type, obj, options);
  }

  async mergePatch<T extends KubeObject>(
    type: ResourceType,
    ref: ObjectRef,
    patch: unknown,
    options?: PatchOptions,
  ): Promise<T> {
    this.record('mergePatch', type, ref);
    return this.inner.mergePatch<T>(type, ref, patch, options);
  }

  async delete(type: ResourceType, ref: ObjectRef, options?: DeleteOptions): Promise<boolean> {
    this.record('delete', type, ref);
    return this.inner.delete(type, ref, options);
  }

  async createToken(request: TokenRequest): Promise<IssuedToken> {
    this.record(
      'createToken',
      { kind: 'ServiceAccount' },
      { namespace: request.namespace, name: request.serviceAccount },
    );
    return this.inner.createToken(request);
  }

  private record(
    verb: KubeVerb,
    type: Pick<ResourceType, 'kind'>,
    ref: { namespace?: string; name?: string },
  ): void {
    const call: KubeCall = { verb, kind: type.kind };
    if (ref.namespace) call.namespace = ref.namespace;
    if (ref.name) call.name = ref.name;
    this.calls.push(call);
    this.onCall?.(call);
  }
}
