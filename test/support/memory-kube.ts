/**
 * An in-memory KubeClient for unit tests of code that reads and writes a few objects (leases,
 * events): resourceVersion checks on update, NotFound/Conflict as KubeApiErrors, and a switch
 * to make every call fail (an unreachable API server).
 */
import type { KubeClient } from '../../src/kube/client.ts';
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
      list: unsupported,
      watch: unsupported,
      updateStatus: unsupported,
      apply: unsupported,
      mergePatch: unsupported,
      delete: unsupported,
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
    this.objects.set(key, stored);
    return Promise.resolve(structuredClone(stored));
  }
}
