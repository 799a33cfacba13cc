/**
 * ADR 0010: a sync or push that changes nothing but `status.refreshTime` writes nothing. Its
 * refresh time is kept here, in memory, so the next "is a refresh due?" decision still sees it.
 */
import { canonical } from '../sync/equality.ts';

interface WithRefreshTime {
  status?: { refreshTime?: string | null } | undefined;
}

export class RefreshMemory {
  /** refreshTime of unchanged syncs (not written), by object key. */
  private readonly times = new Map<string, string>();

  /** The object as if its unwritten refresh times had been written. */
  apply<T extends WithRefreshTime>(key: string, obj: T): T {
    const remembered = this.times.get(key);
    const current = obj.status?.refreshTime ?? '';
    if (!remembered || remembered <= current) return obj;
    return { ...obj, status: { ...obj.status, refreshTime: remembered } };
  }

  /**
   * Whether `next` differs from `current` in anything but refreshTime. When it does not, the
   * refresh time of `next` is remembered instead of written.
   */
  needsWrite(
    key: string,
    current: object | undefined,
    next: { refreshTime?: string | null },
  ): boolean {
    const same =
      JSON.stringify(canonical({ ...current, refreshTime: undefined })) ===
      JSON.stringify(canonical({ ...next, refreshTime: undefined }));
    if (same && next.refreshTime) this.times.set(key, next.refreshTime);
    return !same;
  }

  /** After a status write (which carries the refresh time) or the object's deletion. */
  forget(key: string): void {
    this.times.delete(key);
  }
}
