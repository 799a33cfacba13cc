/**
 * core/v1 Events about our objects, deduplicated like client-go's recorder: the same
 * (object, type, reason, message) within the cache bumps `count` and `lastTimestamp` on the
 * existing Event instead of creating a new one. Events are best effort: a failure is logged,
 * never thrown. Callers pass messages that name keys and objects, never values.
 */
import type { Clock } from '../runtime/clock.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { KubeClient } from './client.ts';
import { isNotFound } from './errors.ts';
import { Resources, type KubeObject } from './types.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: KubeClient;
  clock: Clock;
  logger: Logger;
  /** `source.component`/`reportingComponent`; ESO uses `external-secrets`. */
  component: string;
  /** `reportingInstance`, e.g. the pod name. */
  instance?: string;
  /** Dedupe entries kept (oldest dropped first). Default 4096. */
  cacheSize?: number;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
}

/** Longest message we send; the API server rejects beyond 1 KiB for events.k8s.io. */
const MAX_MESSAGE = 1024;

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private sequence = 0;

  constructor(private readonly options: EventRecorderOptions) {}

  /** Records an event about `obj`. Resolves when written (or given up); never rejects. */
  async event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
    const key = JSON.stringify([
      obj.metadata.uid,
      obj.metadata.namespace,
      obj.metadata.name,
      type,
      reason,
      text,
    ]);
    try {
      const previous = this.seen.get(key);
      if (previous && (await this.bump(previous))) return;
      this.remember(key, await this.create(obj, type, reason, text));
    } catch (error) {
      this.options.logger.warn(
        {
          reason,
          object: `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`,
          error: error instanceof Error ? error.message : String(error),
        },
        'could not record event',
      );
    }
  }

  private async bump(previous: Seen): Promise<boolean> {
    previous.count += 1;
    try {
      await this.options.client.mergePatch(
        Resources.Event,
        { namespace: previous.namespace, name: previous.name },
        { count: previous.count, lastTimestamp: this.timestamp() },
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private async create(
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<Seen> {
    const namespace = obj.metadata.namespace ?? 'default';
    const name = `${obj.metadata.name ?? 'object'}.${this.suffix()}`;
    const now = this.timestamp();
    await this.options.client.create(Resources.Event, {
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.options.component },
      reportingComponent: this.options.component,
      reportingInstance: this.options.instance ?? '',
    } as KubeObject);
    return { name, namespace, count: 1 };
  }

  private remember(key: string, entry: Seen): void {
    this.seen.delete(key);
    this.seen.set(key, entry);
    const limit = this.options.cacheSize ?? 4096;
    for (const oldest of this.seen.keys()) {
      if (this.seen.size <= limit) break;
      this.seen.delete(oldest);
    }
  }

  /** client-go names events `<object>.<hex nanoseconds>`; a sequence keeps ours unique. */
  private suffix(): string {
    this.sequence += 1;
    return (this.options.clock.now() * 1000 + (this.sequence % 1000)).toString(16);
  }

  private timestamp(): string {
    return new Date(this.options.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}
