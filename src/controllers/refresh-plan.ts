/**
 * ADR 0013: when this process next refreshes each object, so refreshes are spread. The first
 * sync this process makes of an object (it was just created, or the operator just started) is
 * followed by a refresh at a uniformly random point of (0, interval]: a thousand objects created
 * together, or found due together at start-up, are spread over one interval instead of
 * refreshing in step for hours. Every later refresh is planned at interval ± 10 % from the last.
 *
 * The plan lives in memory only; after a restart, objects start over as "first".
 */
import { jitter } from '../sync/index.ts';

const JITTER_FRACTION = 0.1;

export class RefreshPlan {
  /** Planned time (ms epoch) of the next periodic refresh, by object key. */
  private readonly due = new Map<string, number>();

  /** `random` returns [0, 1); injected so tests can pin the spread. */
  constructor(private readonly random: () => number) {}

  /** The planned time of `key`'s next refresh, if this process has planned one. */
  dueAt(key: string): number | undefined {
    return this.due.get(key);
  }

  /** Plans the refresh after a sync at `syncedAt` and returns its time. */
  afterSync(key: string, syncedAt: number, intervalMs: number): number {
    const delay = this.due.has(key)
      ? jitter(intervalMs, this.random, JITTER_FRACTION)
      : Math.max(1, Math.round(intervalMs * (1 - this.random())));
    const at = syncedAt + delay;
    this.due.set(key, at);
    return at;
  }

  /**
   * Keeps an unplanned object's own due time (refreshTime + interval, seen when a start-up
   * reconcile found it not due), so its next refresh counts as planned, not as a first one.
   */
  adopt(key: string, dueAt: number): number {
    const planned = this.due.get(key);
    if (planned !== undefined) return planned;
    this.due.set(key, dueAt);
    return dueAt;
  }

  forget(key: string): void {
    this.due.delete(key);
  }
}
