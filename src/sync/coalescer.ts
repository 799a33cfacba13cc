/**
 * Shares identical remote reads: while a read for a key is in flight, or until the entry ages
 * out, every caller gets the same result. One instance per refresh window (DESIGN.md: "one read
 * per (store, key, version) per refresh window"); the caller owns it, nothing here is global.
 *
 * A caller may accept an older settled result than the TTL (`maxAgeMs`): a periodic refresh
 * reuses what another reconcile read within its share window (ADR 0015). An entry is kept for the
 * longest age any caller has asked of its key, so memory holds only the keys read within the
 * longest window, and the values are dropped once no caller would take them.
 */
import { canonical } from './equality.ts';

export interface CoalescerOptions {
  /** Keep settled results this long (ms). 0 (default) shares only in-flight reads. */
  ttlMs?: number;
  now?: () => number;
}

export interface RunOptions {
  /** The oldest settled result (ms since it settled) this caller accepts; default the TTL. */
  maxAgeMs?: number;
}

interface Entry {
  promise: Promise<unknown>;
  settledAt?: number;
  /** How long the settled result is kept: the longest `maxAgeMs` asked of this key. */
  keepMs: number;
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

  /**
   * Runs `read` unless an equal read is in flight or settled within the caller's maximum age;
   * failures are never kept, and a fresh read replaces the kept result for every later caller.
   */
  run<T>(key: string, read: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    this.#sweep();
    const maxAgeMs = Math.max(this.#ttlMs, options.maxAgeMs ?? 0);
    const hit = this.#entries.get(key);
    if (hit) hit.keepMs = Math.max(hit.keepMs, maxAgeMs);
    if (hit && (hit.settledAt === undefined || this.#now() - hit.settledAt < maxAgeMs)) {
      return hit.promise as Promise<T>;
    }
    const entry: Entry = { promise: Promise.resolve(), keepMs: hit?.keepMs ?? maxAgeMs };
    const promise = read().then(
      (value) => {
        if (entry.keepMs > 0) entry.settledAt = this.#now();
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
   * Drops results no caller would take any more, at most once per TTL (or per second without
   * one), so a long-lived instance holds only the values of the current windows (they are
   * secret material: keep them no longer than needed).
   */
  #sweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < Math.max(this.#ttlMs, 1000)) return;
    this.#lastSweep = now;
    for (const [key, entry] of this.#entries)
      if (entry.settledAt !== undefined && now - entry.settledAt >= entry.keepMs)
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
