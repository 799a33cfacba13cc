import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnySecretStore } from '../api/types.ts';
import { StoreConfigError } from './provider.ts';
import { createDefaultRegistry } from './registry.ts';

function store(provider: AnySecretStore['spec']['provider']): AnySecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: 's', namespace: 'n' },
    spec: { provider },
  };
}

describe('ProviderRegistry', () => {
  const registry = createDefaultRegistry({ clock: { now: () => 0 } });

  it('serves vault, openBao, kubernetes and fake by their spec key', () => {
    assert.deepEqual(registry.keys(), ['vault', 'openBao', 'kubernetes', 'fake']);
    assert.equal(
      registry.forStore(store({ vault: { server: 'http://127.0.0.1:8200' } })).key,
      'vault',
    );
    assert.equal(
      registry.forStore(store({ openBao: { server: 'http://127.0.0.1:8200' } })).key,
      'openBao',
    );
    assert.equal(registry.forStore(store({ fake: { data: [] } })).key, 'fake');
    assert.equal(registry.forStore(store({ kubernetes: {} })).key, 'kubernetes');
  });

  it('openBao stores validate with the same rules as vault', () => {
    const p = registry.forStore(store({ openBao: { server: 'nope' } }));
    assert.throws(
      () => p.validateStore(store({ openBao: { server: 'nope' } })),
      /invalid server URL/,
    );
  });

  it('rejects zero, several or unknown providers', () => {
    assert.throws(
      () => registry.forStore(store({})),
      (e: Error) =>
        e instanceof StoreConfigError && /exactly one backend specified, found 0/.test(e.message),
    );
    assert.throws(
      () => registry.forStore(store({ fake: { data: [] }, vault: { server: 'x' } })),
      /found 2/,
    );
    assert.throws(
      () => registry.forStore(store({ doppler: {} })),
      /provider "doppler" is not supported by Ferry/,
    );
  });
});
