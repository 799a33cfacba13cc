/**
 * Shares identical remote reads: while a read for a key is in flight, or until the entry ages
 * out, every caller gets the same result. One instance per refresh window (DESIGN.md: "one read
 * per (store, key, version) per refresh window"); the caller owns it, nothing here is global.
 */
import { canonical } from './equality.ts';

export interface CoalescerOptions {
  /** Keep settled results this long (ms). 0 (default) shares only in-flight reads. */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  promise: Promise<unknown>;
  settledAt?: number;
}

export class Coalescer {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(options: CoalescerOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 0;
    this.#now = options.now ?? Date.now;
  }

  /** Runs `read` unless an equal read is in flight or fresh; failures are never kept. */
  run<T>(key: string, read: () => Promise<T>): Promise<T> {
    this.#sweep();
    const hit = this.#entries.get(key);
    if (hit && (hit.settledAt === undefined || this.#now() - hit.settledAt < this.#ttlMs)) {
      return hit.promise as Promise<T>;
    }
    const entry: Entry = { promise: Promise.resolve() };
    const promise = read().then(
      (value) => {
        if (this.#ttlMs > 0) entry.settledAt = this.#now();
        else this.#forget(key, entry);
        return value;
      },
      (error: unknown) => {
        this.#forget(key, entry);
        throw error;
      },
    );
    entry.promise = promise;
    this.#entries.set(key, entry);
    return promise;
  }

  /** Number of entries held (in flight or fresh). */
  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  /**
   * Drops aged-out results at most once per TTL, so a long-lived instance holds only the last
   * window's values (they are secret material: keep them no longer than needed).
   */
  #sweep(): void {
    if (this.#ttlMs <= 0) return;
    const now = this.#now();
    if (now - this.#lastSweep < this.#ttlMs) return;
    this.#lastSweep = now;
    for (const [key, entry] of this.#entries)
      if (entry.settledAt !== undefined && now - entry.settledAt >= this.#ttlMs)
        this.#entries.delete(key);
  }

  #forget(key: string, entry: Entry): void {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
  }
}

/** The coalescing key of a read: operation, store, and every field that changes the answer. */
export function readKey(parts: { op: string; store: string; ref: object }): string {
  return JSON.stringify([parts.op, parts.store, canonical(parts.ref)]);
}
