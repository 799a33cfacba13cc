/**
 * The informer's in-memory cache: objects by `namespace/name`, plus named secondary indexes
 * (e.g. Secrets by the ExternalSecret that targets them).
 */
import { objectKey, refOf, type KubeObject } from './types.ts';

/** Values an object is filed under in one index; `[]` to leave it out. */
export type IndexFunc<T> = (obj: T) => string[];

export class ObjectStore<T extends KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexFuncs = new Map<string, IndexFunc<T>>();
  /** index name → index value → object keys */
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  /** Adds a secondary index; existing objects are indexed at once. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    this.indexFuncs.set(name, fn);
    this.indexes.set(name, new Map());
    for (const [key, obj] of this.objects) this.indexOne(name, key, obj);
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  getByRef(ref: { namespace?: string; name: string }): T | undefined {
    return this.objects.get(objectKey(ref));
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }

  get size(): number {
    return this.objects.size;
  }

  /** Objects filed under `value` in index `name`. */
  byIndex(name: string, value: string): T[] {
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.objects.get(k)).filter((o): o is T => o !== undefined);
  }

  /** Stores `obj`; returns the previous version, if any. */
  upsert(obj: T): T | undefined {
    const key = objectKey(refOf(obj));
    const previous = this.objects.get(key);
    if (previous) this.unindex(key, previous);
    this.objects.set(key, obj);
    for (const name of this.indexFuncs.keys()) this.indexOne(name, key, obj);
    return previous;
  }

  /** Removes the object at `key`; returns it, if it was there. */
  remove(key: string): T | undefined {
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.unindex(key, previous);
    this.objects.delete(key);
    return previous;
  }

  private indexOne(name: string, key: string, obj: T): void {
    const index = this.indexes.get(name);
    const fn = this.indexFuncs.get(name);
    if (!index || !fn) return;
    for (const value of fn(obj)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indexes.get(name);
      for (const value of fn(obj)) {
        const keys = index?.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index?.delete(value);
      }
    }
  }
}
