/**
 * ADR 0013: when this process next refreshes each object, so refreshes are spread. The first
 * sync this process makes of an object (it was just created, or the operator just started) is
 * followed by a refresh at a uniformly random point of the span: a thousand objects created
 * together, or found due together at start-up, are spread over one interval instead of
 * refreshing in step for hours. Every later refresh is planned at 80–100 % of the span after the
 * last (a 20 % spread, as wide as ±10 %, but never later than the interval).
 *
 * The span is the interval minus `leadMs`, the read-share window of ADR 0015: a periodic refresh
 * may take a value read up to `leadMs` earlier, so planning it that much early keeps ESO's
 * promise that a rotated value reaches the Secret within one refresh interval.
 *
 * The plan lives in memory only; after a restart, objects start over as "first".
 */

/** Later refreshes come at (1 − SPREAD … 1) × span after the previous one. */
const SPREAD = 0.2;

/** The span refreshes are planned in: the interval less the lead, never below 1 ms. */
function spanOf(intervalMs: number, leadMs: number): number {
  return Math.max(1, intervalMs - Math.max(0, leadMs));
}

/** The mean time between planned refreshes after the first: what the pacer should expect. */
export function meanRefreshPeriodMs(intervalMs: number, leadMs = 0): number {
  return spanOf(intervalMs, leadMs) * (1 - SPREAD / 2);
}

export class RefreshPlan {
  /** Planned time (ms epoch) of the next periodic refresh, by object key. */
  private readonly due = new Map<string, number>();

  /** `random` returns [0, 1); injected so tests can pin the spread. */
  constructor(private readonly random: () => number) {}

  /** The planned time of `key`'s next refresh, if this process has planned one. */
  dueAt(key: string): number | undefined {
    return this.due.get(key);
  }

  /**
   * Plans the refresh after a sync at `syncedAt` and returns its time. `leadMs` is how old a
   * value that refresh may reuse can be (ADR 0015); 0 when reads are not shared.
   */
  afterSync(key: string, syncedAt: number, intervalMs: number, leadMs = 0): number {
    const span = spanOf(intervalMs, leadMs);
    const fraction = this.due.has(key) ? 1 - SPREAD * this.random() : 1 - this.random();
    const at = syncedAt + Math.max(1, Math.round(span * fraction));
    this.due.set(key, at);
    return at;
  }

  /**
   * Keeps an unplanned object's own due time (refreshTime + interval − lead, seen when a start-up
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
