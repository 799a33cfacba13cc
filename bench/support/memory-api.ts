/**
 * test/support/memory-kube.ts plus what informers need: `watch` streams fed by every write, with
 * namespace and equality label-selector filtering. Events are delivered on a microtask, as a real
 * watch delivers them after the write's response. `onWrite` sees each stored object (benchmarks
 * use it to time "became Ready").
 */
import type {
  KubeClient,
  ListOptions,
  ListResult,
  WatchEvent,
  WatchEventType,
  WatchHandlers,
  WatchOptions,
} from '../../src/kube/client.ts';
import { objectKey, refOf, type KubeObject, type ResourceType } from '../../src/kube/types.ts';
import { MemoryKube } from '../../test/support/memory-kube.ts';

interface Watcher {
  type: ResourceType;
  options: WatchOptions;
  handlers: WatchHandlers<KubeObject>;
}

export type WriteListener = (type: ResourceType, obj: KubeObject) => void;

function selected(obj: KubeObject, options: WatchOptions | ListOptions): boolean {
  if (options.namespace && obj.metadata.namespace !== options.namespace) return false;
  if (!options.labelSelector) return true;
  return options.labelSelector.split(',').every((term) => {
    const [k = '', v = ''] = term.split('=');
    return obj.metadata.labels?.[k.trim()] === v.trim();
  });
}

export class MemoryApi {
  readonly memory = new MemoryKube();
  private readonly base = this.memory.client();
  private readonly watchers = new Set<Watcher>();
  private readonly listeners: WriteListener[] = [];
  /** Keys of stored objects by `plural/namespace`: a namespaced LIST need not scan everything. */
  /** Bumped by every write: the collection resourceVersion a LIST reports. */
  private version = 0;
  private readonly byNamespace = new Map<string, Set<string>>();

  onWrite(listener: WriteListener): void {
    this.listeners.push(listener);
  }

  /** Objects stored of one kind. */
  count(type: ResourceType): number {
    let n = 0;
    for (const key of this.memory.objects.keys()) if (key.startsWith(`${type.plural}/`)) n += 1;
    return n;
  }

  client(): KubeClient {
    const base = this.base;
    return {
      ...base,
      list: <T extends KubeObject>(type: ResourceType, options: ListOptions = {}) =>
        Promise.resolve(this.list<T>(type, options)),
      watch: <T extends KubeObject>(
        type: ResourceType,
        options: WatchOptions,
        handlers: WatchHandlers<T>,
      ) => {
        const watcher: Watcher = { type, options, handlers };
        this.watchers.add(watcher);
        return Promise.resolve({
          stop: () => {
            this.watchers.delete(watcher);
          },
        });
      },
      create: async (type, obj, options) => {
        const out = await base.create(type, obj, options);
        this.stored(type, out, 'ADDED');
        return out;
      },
      update: async (type, obj, options) => {
        const out = await base.update(type, obj, options);
        this.stored(type, out, 'MODIFIED');
        return out;
      },
      mergePatch: async (type, ref, patch, options) => {
        const out = await base.mergePatch(type, ref, patch, options);
        this.stored(type, out, 'MODIFIED');
        return out as never;
      },
      delete: async (type, ref, options) => {
        const key = `${type.plural}/${objectKey(ref)}`;
        const before = this.memory.objects.get(key);
        const deleted = await base.delete(type, ref, options);
        const after = this.memory.objects.get(key);
        if (after) this.stored(type, after, 'MODIFIED');
        else if (before) this.gone(type, before);
        return deleted;
      },
    };
  }

  /** After a write: the stored object goes to listeners and watchers (gone: DELETED). */
  private stored(type: ResourceType, written: KubeObject, eventType: WatchEventType): void {
    this.version += 1;
    const key = `${type.plural}/${objectKey(refOf(written))}`;
    const current = this.memory.objects.get(key);
    if (!current) {
      this.gone(type, written);
      return;
    }
    this.indexOf(type, current.metadata.namespace).add(key);
    for (const listener of this.listeners) listener(type, current);
    this.emit(type, eventType, current);
  }

  private gone(type: ResourceType, obj: KubeObject): void {
    this.version += 1;
    this.indexOf(type, obj.metadata.namespace).delete(`${type.plural}/${objectKey(refOf(obj))}`);
    this.emit(type, 'DELETED', obj);
  }

  private indexOf(type: ResourceType, namespace: string | undefined): Set<string> {
    const slot = `${type.plural}/${namespace ?? ''}`;
    let keys = this.byNamespace.get(slot);
    if (!keys) this.byNamespace.set(slot, (keys = new Set()));
    return keys;
  }

  private list<T extends KubeObject>(type: ResourceType, options: ListOptions): ListResult<T> {
    const slots = options.namespace
      ? [this.indexOf(type, options.namespace)]
      : [...this.byNamespace.entries()]
          .filter(([slot]) => slot.startsWith(`${type.plural}/`))
          .map(([, keys]) => keys);
    const items: T[] = [];
    for (const keys of slots)
      for (const key of keys) {
        const obj = this.memory.objects.get(key);
        if (obj && selected(obj, options)) items.push(structuredClone(obj) as T);
      }
    return { items, resourceVersion: String(this.version) };
  }

  private emit(type: ResourceType, eventType: WatchEventType, obj: KubeObject): void {
    for (const w of this.watchers) {
      if (w.type.plural !== type.plural || !selected(obj, w.options)) continue;
      const event: WatchEvent<KubeObject> = { type: eventType, object: structuredClone(obj) };
      queueMicrotask(() => {
        if (this.watchers.has(w)) w.handlers.onEvent(event);
      });
    }
  }
}
