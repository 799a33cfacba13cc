import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenCache, type TokenSource, type VaultToken } from './token-cache.ts';

function setup(ttlMs: number, renewable = true) {
  let now = 0;
  let n = 0;
  const calls: string[] = [];
  const cache = new TokenCache({
    clock: { now: () => now },
    onLogin: (m) => calls.push(`login:${m}`),
    onRenew: () => calls.push('renew'),
  });
  const source: TokenSource = {
    login: () =>
      Promise.resolve({
        token: `t${String(++n)}`,
        method: 'appRole',
        renewable,
        ttlMs,
        issuedAt: now,
      }),
    renew: (t: VaultToken) => Promise.resolve({ ...t, issuedAt: now }),
  };
  return { cache, source, calls, advance: (ms: number) => (now += ms) };
}

describe('TokenCache', () => {
  it('logs in once for concurrent callers', async () => {
    const { cache, source, calls } = setup(3600_000);
    const got = await Promise.all(Array.from({ length: 50 }, () => cache.get('k', source)));
    assert.equal(new Set(got.map((t) => t.token)).size, 1);
    assert.deepEqual(calls, ['login:appRole']);
  });

  it('renews after two thirds of the TTL, not before', async () => {
    const { cache, source, calls, advance } = setup(90_000);
    await cache.get('k', source);
    advance(59_000);
    await cache.get('k', source);
    assert.deepEqual(calls, ['login:appRole']);
    advance(2_000);
    assert.equal((await cache.get('k', source)).token, 't1');
    assert.deepEqual(calls, ['login:appRole', 'renew']);
  });

  it('logs in again when the token is not renewable or expired', async () => {
    const { cache, source, calls, advance } = setup(90_000, false);
    await cache.get('k', source);
    advance(61_000);
    assert.equal((await cache.get('k', source)).token, 't2');
    assert.deepEqual(calls, ['login:appRole', 'login:appRole']);
  });

  it('falls back to a login when renewal fails or no longer extends the lease', async () => {
    const { cache, source, calls, advance } = setup(90_000);
    await cache.get('k', { ...source, renew: () => Promise.reject(new Error('403')) });
    advance(61_000);
    assert.equal(
      (await cache.get('k', { ...source, renew: () => Promise.reject(new Error('403')) })).token,
      't2',
    );
    advance(61_000);
    const capped = {
      ...source,
      renew: (t: VaultToken) => Promise.resolve({ ...t, ttlMs: 1000, issuedAt: 0 }),
    };
    assert.equal((await cache.get('k', capped)).token, 't3');
    assert.deepEqual(calls, ['login:appRole', 'login:appRole', 'renew', 'login:appRole']);
  });

  it('non-expiring tokens are reused forever; invalidate forces a login', async () => {
    const { cache, source, calls, advance } = setup(0);
    await cache.get('k', source);
    advance(10 ** 9);
    assert.equal((await cache.get('k', source)).token, 't1');
    await cache.invalidate('k', 'other');
    assert.equal((await cache.get('k', source)).token, 't1');
    await cache.invalidate('k', 't1');
    assert.equal((await cache.get('k', source)).token, 't2');
    assert.equal(calls.length, 2);
  });

  it('a failed login is not cached', async () => {
    const { cache, source } = setup(1000);
    await assert.rejects(
      cache.get('k', { ...source, login: () => Promise.reject(new Error('bad credentials')) }),
    );
    assert.equal(cache.size, 0);
    assert.equal((await cache.get('k', source)).token, 't1');
  });

  it('forgets the least recently stored token beyond maxEntries', async () => {
    let n = 0;
    const cache = new TokenCache({ clock: { now: () => 0 }, maxEntries: 2 });
    const source: TokenSource = {
      login: () =>
        Promise.resolve({
          token: `t${String(++n)}`,
          method: 'm',
          renewable: false,
          ttlMs: 0,
          issuedAt: 0,
        }),
      renew: (t) => Promise.resolve(t),
    };
    await cache.get('a', source);
    await cache.get('b', source);
    await cache.get('c', source);
    assert.equal(cache.size, 2);
    assert.equal((await cache.get('a', source)).token, 't4');
    assert.equal((await cache.get('c', source)).token, 't3');
  });
});
