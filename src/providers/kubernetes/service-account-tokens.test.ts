import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeClient } from '../../kube/client.ts';
import { KubeApiError } from '../../kube/errors.ts';
import { Resources } from '../../kube/types.ts';
import {
  ForgetTokenOnUnauthorized,
  ServiceAccountTokenCache,
  type ServiceAccountRef,
} from './service-account-tokens.ts';

const ref: ServiceAccountRef = { namespace: 'apps', name: 'reader' };
const HOUR = 3600;

/** A JWT-shaped token (unsigned; the cache only reads its claims). */
function jwt(iat: number, exp: number, n: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ iat, exp, jti: n })}.sig`;
}

function setup(lifetimeS?: number) {
  let now = 0;
  let minted = 0;
  const cache = new ServiceAccountTokenCache({ clock: { now: () => now }, maxEntries: 3 });
  const mint = () => {
    minted++;
    return Promise.resolve(
      lifetimeS === undefined
        ? `opaque-${String(minted)}`
        : jwt(now / 1000, now / 1000 + lifetimeS, minted),
    );
  };
  return {
    cache,
    mint,
    minted: () => minted,
    advance: (ms: number) => (now += ms),
  };
}

describe('ServiceAccountTokenCache', () => {
  it('reuses one token until half the requested lifetime, then mints another', async () => {
    const t = setup();
    const first = await t.cache.get(ref, HOUR, t.mint);
    t.advance(29 * 60_000);
    assert.equal(await t.cache.get(ref, HOUR, t.mint), first);
    assert.equal(t.minted(), 1);
    t.advance(2 * 60_000);
    assert.notEqual(await t.cache.get(ref, HOUR, t.mint), first);
    assert.equal(t.minted(), 2);
  });

  it('uses the lifetime the API server granted when the token carries iat/exp', async () => {
    const t = setup(600); // capped to 10 minutes although an hour was asked
    const first = await t.cache.get(ref, HOUR, t.mint);
    t.advance(4 * 60_000);
    assert.equal(await t.cache.get(ref, HOUR, t.mint), first);
    t.advance(2 * 60_000);
    assert.notEqual(await t.cache.get(ref, HOUR, t.mint), first);
  });

  it('shares one TokenRequest among concurrent callers', async () => {
    const t = setup();
    const tokens = await Promise.all([1, 2, 3].map(() => t.cache.get(ref, HOUR, t.mint)));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(t.minted(), 1);
  });

  it('keys by namespace, name and audiences', async () => {
    const t = setup();
    await t.cache.get(ref, HOUR, t.mint);
    await t.cache.get({ ...ref, namespace: 'other' }, HOUR, t.mint);
    await t.cache.get({ ...ref, audiences: ['vault'] }, HOUR, t.mint);
    assert.equal(t.minted(), 3);
  });

  it('does not keep a failed TokenRequest', async () => {
    const t = setup();
    await assert.rejects(
      t.cache.get(ref, HOUR, () => Promise.reject(new Error('forbidden'))),
      /forbidden/,
    );
    assert.equal(t.cache.size, 0);
    await t.cache.get(ref, HOUR, t.mint);
    assert.equal(t.minted(), 1);
  });

  it('evicts only the token it is told about', async () => {
    const t = setup();
    const first = await t.cache.get(ref, HOUR, t.mint);
    await t.cache.evict(ref, 'some-older-token');
    assert.equal(await t.cache.get(ref, HOUR, t.mint), first);
    await t.cache.evict(ref, first);
    assert.notEqual(await t.cache.get(ref, HOUR, t.mint), first);
  });

  it('keeps at most maxEntries tokens, forgetting the oldest', async () => {
    const t = setup();
    for (const name of ['a', 'b', 'c', 'd']) await t.cache.get({ ...ref, name }, HOUR, t.mint);
    assert.equal(t.cache.size, 3);
    await t.cache.get({ ...ref, name: 'a' }, HOUR, t.mint);
    assert.equal(t.minted(), 5);
  });
});

describe('ForgetTokenOnUnauthorized', () => {
  function failingClient(code: number): KubeClient {
    return {
      get: () => Promise.reject(new KubeApiError(code, 'get secrets apps/db', { code })),
    } as unknown as KubeClient;
  }

  for (const [code, forgotten] of [
    [401, true],
    [403, false],
  ] as const) {
    it(`${String(code)} ${forgotten ? 'forgets' : 'keeps'} the token and rethrows`, async () => {
      const t = setup();
      const token = await t.cache.get(ref, HOUR, t.mint);
      const client = new ForgetTokenOnUnauthorized(failingClient(code), t.cache, { ref, token });
      await assert.rejects(
        client.get(Resources.Secret, { namespace: 'apps', name: 'db' }),
        (e: unknown) => e instanceof KubeApiError && e.code === code,
      );
      assert.equal((await t.cache.get(ref, HOUR, t.mint)) !== token, forgotten);
    });
  }
});
