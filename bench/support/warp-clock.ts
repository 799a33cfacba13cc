/**
 * A clock that runs in real time but can jump ahead: benchmarks measure real latencies (provider
 * delay, CPU) and still reach "an hour later, every refresh is due" without waiting an hour.
 * `warp(ms)` moves now() forward and fires every timer that fell due, in time order.
 */
import type { Clock, TimerHandle } from '../../src/runtime/clock.ts';

interface Pending {
  at: number;
  callback: () => void;
  real: NodeJS.Timeout;
}

export class WarpClock implements Clock {
  private skew = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  now(): number {
    return Date.now() + this.skew;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const delay = Math.max(0, ms);
    const real = setTimeout(() => {
      this.fire(id);
    }, delay);
    real.unref(); // like systemClock(): a pending timer never keeps the process alive
    this.pending.set(id, { at: this.now() + delay, callback, real });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    const p = this.pending.get(handle as number);
    if (!p) return;
    clearTimeout(p.real);
    this.pending.delete(handle as number);
  }

  /** Jumps `ms` ahead; timers now due fire at once, earliest first. */
  warp(ms: number): void {
    this.skew += ms;
    const now = this.now();
    const due = [...this.pending.entries()]
      .filter(([, p]) => p.at <= now)
      .sort(([ia, a], [ib, b]) => a.at - b.at || ia - ib);
    for (const [id] of due) this.fire(id);
  }

  /** Timers still pending. */
  get size(): number {
    return this.pending.size;
  }

  private fire(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.real);
    this.pending.delete(id);
    p.callback();
  }
}
