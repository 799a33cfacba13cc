/**
 * Vault tokens shared across clients (better than ESO, eso.md §4.6 / perf-reliability §1.4):
 * one login per (store, credentials), reused by every client, renewed with renew-self once two
 * thirds of its TTL have passed, replaced by a fresh login when renewal fails or Vault answers
 * 403. Renewal is lazy (on use), so the cache owns no timers. Static tokens never enter it.
 */
import type { Clock } from '../provider.ts';

export interface VaultToken {
  token: string;
  /** Auth method that produced it (metric label). */
  method: string;
  renewable: boolean;
  /** Lease duration in ms; 0 means the token does not expire. */
  ttlMs: number;
  /** Clock time when the TTL started counting. */
  issuedAt: number;
}

export interface TokenCacheOptions {
  clock: Clock;
  /** Called after every successful login (ferry_vault_logins_total). */
  onLogin?: (method: string) => void;
  /** Called after every successful renewal. */
  onRenew?: (method: string) => void;
  /** Fraction of the TTL after which a token is renewed; default 2/3. */
  renewAt?: number;
  /** Most tokens kept; the least recently stored is forgotten first (not revoked). Default 10000. */
  maxEntries?: number;
}

export interface TokenSource {
  login(): Promise<VaultToken>;
  /** renew-self; resolves to the renewed token, or rejects. */
  renew(token: VaultToken): Promise<VaultToken>;
}

export class TokenCache {
  private readonly entries = new Map<string, Promise<VaultToken>>();
  private readonly renewAt: number;

  constructor(private readonly options: TokenCacheOptions) {
    this.renewAt = options.renewAt ?? 2 / 3;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached token for `key`, logging in or renewing first when needed (single-flight). */
  async get(key: string, source: TokenSource): Promise<VaultToken> {
    const pending = this.entries.get(key);
    if (pending === undefined) return this.track(key, this.login(source));
    let current: VaultToken;
    try {
      current = await pending;
    } catch {
      return this.get(key, source); // the failed login removed itself; try once more fresh
    }
    if (this.entries.get(key) !== pending) return this.get(key, source); // someone refreshed meanwhile
    if (!this.dueForRefresh(current)) return current;
    const next =
      this.expired(current) || !current.renewable
        ? this.login(source)
        : this.renewOrLogin(source, current);
    return this.track(key, next);
  }

  /** Drops `token` (after a 403) so the next `get` logs in again; a newer token is kept. */
  async invalidate(key: string, token: string): Promise<void> {
    const pending = this.entries.get(key);
    if (pending === undefined) return;
    const current = await pending.catch(() => undefined);
    if (this.entries.get(key) === pending && (current === undefined || current.token === token)) {
      this.entries.delete(key);
    }
  }

  /** Forgets every token (e.g. on shutdown); tokens are not revoked. */
  clear(): void {
    this.entries.clear();
  }

  private track(key: string, p: Promise<VaultToken>): Promise<VaultToken> {
    this.entries.delete(key); // re-insert at the end: Map order is our recency order
    this.entries.set(key, p);
    const max = this.options.maxEntries ?? 10_000;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
    }
    p.catch(() => {
      if (this.entries.get(key) === p) this.entries.delete(key);
    });
    return p;
  }

  private async login(source: TokenSource): Promise<VaultToken> {
    const token = await source.login();
    this.options.onLogin?.(token.method);
    return token;
  }

  private async renewOrLogin(source: TokenSource, current: VaultToken): Promise<VaultToken> {
    try {
      const renewed = await source.renew(current);
      this.options.onRenew?.(renewed.method);
      // Vault caps renewals at max_ttl; a renewal that no longer extends the lease is a dead end.
      if (renewed.ttlMs > 0 && !this.dueForRefresh(renewed)) return renewed;
    } catch {
      // fall through to a fresh login
    }
    return this.login(source);
  }

  private dueForRefresh(t: VaultToken): boolean {
    return t.ttlMs > 0 && this.options.clock.now() >= t.issuedAt + t.ttlMs * this.renewAt;
  }

  private expired(t: VaultToken): boolean {
    return t.ttlMs > 0 && this.options.clock.now() >= t.issuedAt + t.ttlMs;
  }
}
