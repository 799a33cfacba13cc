/**
 * ServiceAccount tokens for the `kubernetes` provider's `auth.serviceAccount`, shared across
 * reconciles. ESO asks TokenRequest for a fresh one-hour token on every reconcile; at a short
 * refresh interval that is one API write per ExternalSecret per refresh. Here one token per
 * (namespace, ServiceAccount, audiences) is reused until half its lifetime has passed, and
 * dropped at once when the remote server answers 401 (the ServiceAccount was recreated, or the
 * token revoked), so the next reconcile mints a new one.
 */
import type { KubeClient } from '../../kube/client.ts';
import { KubeApiError } from '../../kube/errors.ts';
import { InterceptingKubeClient, type KubeCall } from '../../kube/intercepting.ts';
import type { Clock } from '../provider.ts';

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  audiences?: string[];
}

export interface ServiceAccountTokenCacheOptions {
  clock: Clock;
  /** Most tokens kept; the oldest is forgotten first. Default 1000. */
  maxEntries?: number;
}

interface Entry {
  token: Promise<string>;
  /** Clock time after which the token is replaced rather than reused. */
  reuseUntil: number;
}

/** The `exp` and `iat` claims of a JWT, read without verifying it (the API server issued it). */
function lifetimeOf(token: string): { iat: number; exp: number } | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof claims !== 'object' || claims === null) return undefined;
    const { iat, exp } = claims as { iat?: unknown; exp?: unknown };
    return typeof iat === 'number' && typeof exp === 'number' && exp > iat
      ? { iat, exp }
      : undefined;
  } catch {
    return undefined;
  }
}

export function serviceAccountKey(ref: ServiceAccountRef): string {
  return JSON.stringify([ref.namespace, ref.name, ref.audiences ?? []]);
}

export class ServiceAccountTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(private readonly options: ServiceAccountTokenCacheOptions) {
    this.maxEntries = options.maxEntries ?? 1000;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached token for `ref`, or a new one from `mint` (single-flight: concurrent callers
   * share one TokenRequest). `requestedSeconds` bounds reuse when the token carries no claims.
   */
  async get(
    ref: ServiceAccountRef,
    requestedSeconds: number,
    mint: () => Promise<string>,
  ): Promise<string> {
    const key = serviceAccountKey(ref);
    const now = this.options.clock.now();
    const cached = this.entries.get(key);
    if (cached !== undefined && now < cached.reuseUntil) return cached.token;
    const entry: Entry = { token: mint(), reuseUntil: now + (requestedSeconds * 1000) / 2 };
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.trim();
    try {
      const token = await entry.token;
      const life = lifetimeOf(token);
      // Half the lifetime the API server actually granted (it may cap the requested one).
      if (life !== undefined) entry.reuseUntil = now + ((life.exp - life.iat) * 1000) / 2;
      return token;
    } catch (e) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw e;
    }
  }

  /** Forgets the token of `ref` if it is still `token` (a newer one is kept). */
  async evict(ref: ServiceAccountRef, token: string): Promise<void> {
    const key = serviceAccountKey(ref);
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    const current = await entry.token.catch(() => undefined);
    if (current === token && this.entries.get(key) === entry) this.entries.delete(key);
  }

  private trim(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }
}

/**
 * The remote client, forgetting the cached token as soon as the remote server rejects it (401),
 * so the reconcile that failed is the only one that used it.
 */
export class ForgetTokenOnUnauthorized extends InterceptingKubeClient {
  constructor(
    inner: KubeClient,
    private readonly tokens: ServiceAccountTokenCache,
    private readonly issued: { ref: ServiceAccountRef; token: string },
  ) {
    super(inner);
  }

  protected async intercept<T>(_call: KubeCall, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 401)
        await this.tokens.evict(this.issued.ref, this.issued.token);
      throw e;
    }
  }
}
