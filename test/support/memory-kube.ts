/**
 * An in-memory KubeClient for unit tests of code that reads and writes a few objects (leases,
 * events, controllers' objects): resourceVersion checks on update, NotFound/Conflict as
 * KubeApiErrors, JSON merge patches (a resourceVersion in the patch is a precondition), list by
 * namespace and equality label selectors, deletion that waits for finalizers (and checks a UID
 * precondition), and a switch to make every call fail (an unreachable API server).
 */
import type {
  DeleteOptions,
  KubeClient,
  ListOptions,
  PatchOptions,
} from '../../src/kube/client.ts';
import { KubeApiError, KubeTransportError } from '../../src/kube/errors.ts';
import {
  objectKey,
  refOf,
  type KubeObject,
  type ObjectRef,
  type ResourceType,
} from '../../src/kube/types.ts';

export class MemoryKube {
  readonly objects = new Map<string, KubeObject>();
  /** When set, every call rejects as if the server were unreachable. */
  down = false;
  /** Every write as `verb plural/namespace/name[/status]`, for "writes only on change" checks. */
  readonly writes: string[] = [];
  private rv = 1;

  client(): KubeClient {
    const unsupported = (): never => {
      throw new Error('not supported by MemoryKube');
    };
    return {
      get: async <T extends KubeObject>(type: ResourceType, ref: ObjectRef) =>
        this.get<T>(type, ref),
      create: async <T extends KubeObject>(type: ResourceType, obj: T) => this.create(type, obj),
      update: async <T extends KubeObject>(type: ResourceType, obj: T) => this.update(type, obj),
      // The KubeClient interface is generic in the item type; the fake stores plain objects.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
      list: async <T extends KubeObject>(type: ResourceType, options?: ListOptions) => {
        const items = await this.list(type, options);
        return { items: items as T[], resourceVersion: String(this.rv) };
      },
      watch: unsupported,
      updateStatus: unsupported,
      apply: unsupported,
      mergePatch: async <T extends KubeObject>(
        type: ResourceType,
        ref: ObjectRef,
        patch: unknown,
        options?: PatchOptions,
      ) => this.mergePatch<T>(type, ref, patch, options),
      delete: async (type: ResourceType, ref: ObjectRef, options?: DeleteOptions) =>
        this.delete(type, ref, options),
      createToken: unsupported,
    };
  }

  private check(): void {
    if (this.down)
      throw new KubeTransportError('memory', { cause: new Error('connect ECONNREFUSED') });
  }

  private key(type: ResourceType, ref: ObjectRef): string {
    return `${type.plural}/${objectKey(ref)}`;
  }

  private get<T extends KubeObject>(type: ResourceType, ref: ObjectRef): Promise<T | undefined> {
    this.check();
    const found = this.objects.get(this.key(type, ref));
    return Promise.resolve(found ? (structuredClone(found) as T) : undefined);
  }

  private create<T extends KubeObject>(type: ResourceType, obj: T): Promise<T> {
    this.check();
    this.writes.push(`create ${this.key(type, refOf(obj))}`);
    const key = this.key(type, refOf(obj));
    if (this.objects.has(key))
      throw new KubeApiError(409, `POST ${key}`, { reason: 'AlreadyExists' });
    const stored = structuredClone({
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: String(this.rv++) },
    });
    this.objects.set(key, stored);
    return Promise.resolve(structuredClone(stored));
  }

  private update<T extends KubeObject>(type: ResourceType, obj: T): Promise<T> {
    this.check();
    this.writes.push(`update ${this.key(type, refOf(obj))}`);
    const key = this.key(type, refOf(obj));
    const current = this.objects.get(key);
    if (!current) throw new KubeApiError(404, `PUT ${key}`, { reason: 'NotFound' });
    if (current.metadata.resourceVersion !== obj.metadata.resourceVersion) {
      throw new KubeApiError(409, `PUT ${key}`, { reason: 'Conflict' });
    }
    const stored = structuredClone({
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: String(this.rv++) },
    });
    this.settle(key, stored);
    return Promise.resolve(structuredClone(stored));
  }

  private list(type: ResourceType, options: ListOptions = {}): Promise<KubeObject[]> {
    this.check();
    const wanted = parseEqualitySelector(options.labelSelector);
    const items = [...this.objects.entries()]
      .filter(([key]) => key.startsWith(`${type.plural}/`))
      .map(([, obj]) => obj)
      .filter((obj) => !options.namespace || obj.metadata.namespace === options.namespace)
      .filter((obj) => wanted.every(([k, v]) => obj.metadata.labels?.[k] === v))
      .map((obj) => structuredClone(obj));
    return Promise.resolve(items);
  }

  private mergePatch<T extends KubeObject>(
    type: ResourceType,
    ref: ObjectRef,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    this.check();
    const key = this.key(type, ref);
    this.writes.push(`patch ${key}${options.subresource ? `/${options.subresource}` : ''}`);
    const current = this.objects.get(key);
    if (!current) throw new KubeApiError(404, `PATCH ${key}`, { reason: 'NotFound' });
    const precondition = (patch as { metadata?: { resourceVersion?: string } } | null)?.metadata
      ?.resourceVersion;
    if (precondition !== undefined && precondition !== current.metadata.resourceVersion)
      throw new KubeApiError(409, `PATCH ${key}`, { reason: 'Conflict' });
    const merged = mergeJson(current, patch) as KubeObject;
    merged.metadata = { ...merged.metadata, resourceVersion: String(this.rv++) };
    this.settle(key, merged);
    return Promise.resolve(structuredClone(merged) as T);
  }

  /** Like the API server: an object with finalizers is only marked; it goes when they are gone. */
  private delete(
    type: ResourceType,
    ref: ObjectRef,
    options: DeleteOptions = {},
  ): Promise<boolean> {
    this.check();
    const key = this.key(type, ref);
    this.writes.push(`delete ${key}`);
    const current = this.objects.get(key);
    if (!current) return Promise.resolve(false);
    const uid = options.preconditions?.uid;
    if (uid !== undefined && uid !== current.metadata.uid)
      throw new KubeApiError(409, `DELETE ${key}`, { reason: 'Conflict' });
    if ((current.metadata.finalizers ?? []).length === 0) this.objects.delete(key);
    else
      current.metadata = {
        ...current.metadata,
        deletionTimestamp: current.metadata.deletionTimestamp ?? new Date(0).toISOString(),
        resourceVersion: String(this.rv++),
      };
    return Promise.resolve(true);
  }

  /** Stores a written object, or drops it when it is being deleted and has no finalizers left. */
  private settle(key: string, obj: KubeObject): void {
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && finalizers.length === 0) this.objects.delete(key);
    else this.objects.set(key, structuredClone(obj));
  }
}

function parseEqualitySelector(selector: string | undefined): [string, string][] {
  if (!selector) return [];
  return selector.split(',').map((term) => {
    const [k = '', v = ''] = term.split('=');
    return [k.trim(), v.trim()];
  });
}

/** RFC 7386 JSON merge patch. */
function mergeJson(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base = new Map(
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? Object.entries(target)
      : [],
  );
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) base.delete(k);
    else base.set(k, mergeJson(base.get(k), v));
  }
  return Object.fromEntries(base);
}
