/**
 * A manual clock for unit tests: time moves only when the test calls `advance`, and due timers
 * fire in time order, so queue and backoff behaviour is checked without sleeping.
 */
import type { Clock, TimerHandle } from '../../src/runtime/clock.ts';

interface Pending {
  id: number;
  at: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.pending.set(id, { id, at: this.current + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle as number);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.pending.delete(next.id);
      this.current = next.at;
      next.callback();
    }
    this.current = target;
  }

  /** Delays of the timers still pending, relative to now (for assertions). */
  pendingDelays(): number[] {
    return [...this.pending.values()].map((p) => p.at - this.current).sort((a, b) => a - b);
  }

  private nextDue(target: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending.values()) {
      if (p.at <= target && (!best || p.at < best.at || (p.at === best.at && p.id < best.id)))
        best = p;
    }
    return best;
  }
}
