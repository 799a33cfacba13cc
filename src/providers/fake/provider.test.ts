import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnySecretStore, FakeProvider } from '../../api/types.ts';
import { runProviderContract } from '../conformance.ts';
import {
  NoSecretError,
  ProviderError,
  StoreConfigError,
  type ProviderContext,
} from '../provider.ts';
import { convertKey, createFakeProvider } from './provider.ts';

function fakeStore(fake: FakeProvider, name = 'fake-store'): AnySecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name },
    spec: { provider: { fake } },
  };
}

const quiet = () => undefined;
const context: ProviderContext = {
  namespace: 'default',
  kube: {
    readSecretKey: () => Promise.reject(new Error('unused')),
    readConfigMapKey: () => Promise.reject(new Error('unused')),
    createServiceAccountToken: () => Promise.reject(new Error('unused')),
  },
  clock: { now: () => 0 },
  logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  fetch: () => Promise.reject(new Error('no network in the fake')),
};
const text = (b: Uint8Array) => new TextDecoder().decode(b);

runProviderContract('fake', {
  setup() {
    const fake: FakeProvider = { data: [] };
    return Promise.resolve({
      provider: createFakeProvider(),
      store: fakeStore(fake),
      context,
      seed(key, value) {
        fake.data.push({ key, value });
        return Promise.resolve();
      },
    });
  },
});

describe('fake provider (ESO fake_test.go)', () => {
  const docs: FakeProvider = {
    data: [
      { key: '/foo/bar', value: 'HELLO1', version: 'v1' },
      { key: '/foo/bar', value: 'HELLO2', version: 'v2' },
      { key: '/foo/baz', value: '{"john":"doe"}', version: 'v1' },
      { key: 'num', value: '{"n": 1.50, "o": {"a": "<"}}' },
      { key: 'bad', value: '-x' },
    ],
  };

  it('selects versions and applies gjson properties (docs example)', async () => {
    const c = await createFakeProvider().newClient(fakeStore(docs), context);
    assert.equal(text(await c.getSecret({ key: '/foo/bar', version: 'v1' })), 'HELLO1');
    assert.equal(text(await c.getSecret({ key: '/foo/bar', version: 'v2' })), 'HELLO2');
    await assert.rejects(c.getSecret({ key: '/foo/bar' }), NoSecretError);
    assert.equal(
      text(await c.getSecret({ key: '/foo/baz', version: 'v1', property: 'john' })),
      'doe',
    );
    await assert.rejects(
      c.getSecret({ key: '/foo/baz', version: 'v1', property: 'jane' }),
      NoSecretError,
    );
    const m = await c.getSecretMap({ key: '/foo/baz', version: 'v1' });
    assert.equal(text(m.get('john')!), 'doe');
  });

  it('getSecretMap keeps non-string members as raw JSON and rejects non-objects', async () => {
    const c = await createFakeProvider().newClient(fakeStore(docs), context);
    const m = await c.getSecretMap({ key: 'num' });
    assert.equal(text(m.get('n')!), '1.50');
    assert.equal(text(m.get('o')!), '{"a":"<"}');
    await assert.rejects(
      c.getSecretMap({ key: 'bad' }),
      /^ProviderError: unable to unmarshal secret/,
    );
  });

  it('find by name picks the highest version and converts keys', async () => {
    const c = await createFakeProvider().newClient(fakeStore(docs), context);
    const all = await c.getAllSecrets({ name: { regexp: '^/foo/' } });
    assert.deepEqual(Object.fromEntries([...all].map(([k, v]) => [k, text(v)])), {
      _foo_bar: 'HELLO2',
      _foo_baz: '{"john":"doe"}',
    });
    await assert.rejects(c.getAllSecrets({ tags: { a: 'b' } }), StoreConfigError);
  });

  it('pushed keys survive a new client; spec keys refuse pushes', async () => {
    const p = createFakeProvider();
    const store = fakeStore({ data: [{ key: 'spec', value: 'x' }] }, 'push-store');
    const c = await p.newClient(store, context);
    const data = new Map([['k', new TextEncoder().encode('pushed')]]);
    await c.pushSecret({ data }, { match: { secretKey: 'k', remoteRef: { remoteKey: 'mine' } } });
    await assert.rejects(
      c.pushSecret({ data }, { match: { secretKey: 'k', remoteRef: { remoteKey: 'spec' } } }),
      {
        message: 'key already exists',
      },
    );
    const again = await p.newClient(store, context);
    assert.equal(text(await again.getSecret({ key: 'mine' })), 'pushed');
    assert.equal(await again.secretExists({ remoteKey: 'mine' }), true);
  });

  it('validationResult drives validate; validateStore checks entries', async () => {
    const p = createFakeProvider();
    assert.equal(
      await (await p.newClient(fakeStore({ data: [], validationResult: 1 }), context)).validate(),
      'Unknown',
    );
    await assert.rejects(
      (await p.newClient(fakeStore({ data: [], validationResult: 2 }), context)).validate(),
      ProviderError,
    );
    assert.throws(() => p.validateStore(fakeStore({ data: [{ key: '', value: 'x' }] })), {
      message: 'key must be set in data 0',
    });
    assert.throws(() => p.validateStore(fakeStore({ data: [{ key: 'k', value: '' }] })), {
      message: 'at least one value must be set in data 0',
    });
  });

  it('convertKey follows ESO TestConvertKeys', () => {
    assert.equal(convertKey('foo$bar%baz*bing', 'Default'), 'foo_bar_baz_bing');
    assert.equal(convertKey('/foo/bar/baz/bing', undefined), '_foo_bar_baz_bing');
    assert.equal(convertKey('😀foo😁bar', 'Unicode'), '_U1f600_foo_U1f601_bar');
  });
});
