import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExternalSecretSpec } from '../api/types.ts';
import { assembleProviderData } from './assemble.ts';
import { Coalescer } from './coalescer.ts';
import { fetchProviderData } from './fetch.ts';
import { goTemplateEngine } from './template/default-engine.ts';
import { externalSecret, memoryClient } from './testing.ts';

const engine = goTemplateEngine();
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

const store = {
  'db/creds': { user: 'admin', password: 'Zm9vYmFy' },
  'app/one': 'one-value',
  'app/two': 'two-value',
  'with/slash': { 'a/b': 'x' },
  binary: 'a\u0000b',
};

async function assemble(spec: ExternalSecretSpec) {
  const es = externalSecret(spec);
  const { client } = memoryClient(store);
  const fetched = await fetchProviderData(es, { clientFor: () => Promise.resolve(client) });
  const out = assembleProviderData(es, fetched, engine);
  return {
    data: Object.fromEntries([...out.data].map(([k, v]) => [k, dec(v)])),
    events: out.events,
  };
}

describe('data assembly (eso.md §9.2-§9.4, §9.10)', () => {
  it('dataFrom entries merge in order, then data[] overrides', async () => {
    const { data } = await assemble({
      dataFrom: [
        { extract: { key: 'db/creds' } },
        {
          extract: { key: 'db/creds' },
          rewrite: [{ regexp: { source: 'user', target: 'password' } }],
        },
      ],
      data: [{ secretKey: 'user', remoteRef: { key: 'app/one' } }],
    });
    assert.deepEqual(data, { user: 'one-value', password: 'admin' });
  });

  it('extract converts keys only without a rewrite', async () => {
    assert.deepEqual((await assemble({ dataFrom: [{ extract: { key: 'with/slash' } }] })).data, {
      a_b: 'x',
    });
    await assert.rejects(
      assemble({
        dataFrom: [
          { extract: { key: 'with/slash' }, rewrite: [{ regexp: { source: 'zzz', target: '' } }] },
        ],
      }),
      /error processing spec.dataFrom\[0\].extract, err: invalid secret keys \(TIP: use rewrite or conversionStrategy to change keys\): key has invalid character \//,
    );
  });

  it('extract decodes values with its decodingStrategy', async () => {
    const { data } = await assemble({
      dataFrom: [{ extract: { key: 'db/creds', decodingStrategy: 'Auto' } }],
    });
    assert.equal(data.password, 'foobar');
  });

  it('data[] ignores conversionStrategy and applies decodingStrategy', async () => {
    const { data } = await assemble({
      data: [
        {
          secretKey: 'p',
          remoteRef: {
            key: 'db/creds',
            property: 'password',
            decodingStrategy: 'Base64',
            conversionStrategy: 'Unicode',
          },
        },
      ],
    });
    assert.deepEqual(data, { p: 'foobar' });
  });

  it('find converts names and feeds the same pipeline', async () => {
    const { data } = await assemble({ dataFrom: [{ find: { name: { regexp: '^app/' } } }] });
    assert.deepEqual(data, { app_one: 'one-value', app_two: 'two-value' });
  });

  it('a data[] decoding failure is wrapped with its index and remote key', async () => {
    await assert.rejects(
      assemble({
        data: [{ secretKey: 'x', remoteRef: { key: 'app/one', decodingStrategy: 'Base64' } }],
      }),
      /^SyncError: error processing spec.data\[0\] \(key: app\/one\), err: error applying decoding strategy Base64 to data: illegal base64 data at input byte 3$/,
    );
  });

  it('nullBytePolicy Fail rejects NUL bytes naming the key', async () => {
    await assert.rejects(
      assemble({
        data: [{ secretKey: 'bin', remoteRef: { key: 'binary', nullBytePolicy: 'Fail' } }],
      }),
      /fetched secret value for key "bin" contains null bytes; use a text-safe format/,
    );
    assert.equal(
      (await assemble({ data: [{ secretKey: 'bin', remoteRef: { key: 'binary' } }] })).data.bin,
      'a\u0000b',
    );
  });

  it('a missing remote secret is an error under deletionPolicy Retain', async () => {
    await assert.rejects(
      assemble({ data: [{ secretKey: 'x', remoteRef: { key: 'nope' } }] }),
      /error processing spec.data\[0\] \(key: nope\), err: Secret does not exist/,
    );
  });

  it('a missing remote secret is skipped with MissingProviderSecret under Delete/Merge', async () => {
    const { data, events } = await assemble({
      target: { deletionPolicy: 'Delete' },
      dataFrom: [{ extract: { key: 'nope' } }],
      data: [
        { secretKey: 'x', remoteRef: { key: 'gone' } },
        { secretKey: 'y', remoteRef: { key: 'app/one' } },
      ],
    });
    assert.deepEqual(data, { y: 'one-value' });
    assert.deepEqual(events, [
      {
        type: 'Normal',
        reason: 'MissingProviderSecret',
        message: 'secret does not exist at provider using spec.dataFrom[0]',
      },
      {
        type: 'Normal',
        reason: 'MissingProviderSecret',
        message: 'secret does not exist at provider using spec.dataFrom[0] (key=gone)',
      },
    ]);
  });

  it('a generatorRef without a generator is an error naming dataFrom sourceRef', async () => {
    await assert.rejects(
      assemble({ dataFrom: [{ sourceRef: { generatorRef: { kind: 'Password', name: 'p' } } }] }),
      /error processing spec.dataFrom\[0\].sourceRef.generatorRef, err: generator Password\/p is not supported/,
    );
  });
});

describe('fetch orchestration', () => {
  it('identical reads in one refresh window are made once', async () => {
    const { client, reads } = memoryClient(store);
    const coalescer = new Coalescer({ ttlMs: 60_000 });
    const spec: ExternalSecretSpec = {
      data: [
        { secretKey: 'a', remoteRef: { key: 'app/one' } },
        { secretKey: 'b', remoteRef: { key: 'app/one' } },
      ],
    };
    const deps = { clientFor: () => Promise.resolve(client), coalescer };
    await fetchProviderData(externalSecret(spec), deps);
    await fetchProviderData(externalSecret(spec, { name: 'other' }), deps);
    assert.deepEqual(reads, ['app/one']);
  });

  it('a ClusterSecretStore read is shared within a namespace, never across namespaces', async () => {
    const { client, reads } = memoryClient(store);
    const coalescer = new Coalescer({ ttlMs: 60_000 });
    const spec: ExternalSecretSpec = {
      secretStoreRef: { name: 'shared', kind: 'ClusterSecretStore' },
      data: [{ secretKey: 'a', remoteRef: { key: 'app/one' } }],
    };
    const deps = { clientFor: () => Promise.resolve(client), coalescer };
    await fetchProviderData(externalSecret(spec, { name: 'x', namespace: 'team-a' }), deps);
    await fetchProviderData(externalSecret(spec, { name: 'y', namespace: 'team-a' }), deps);
    assert.deepEqual(reads, ['app/one'], 'shared within team-a');
    // team-b may be denied by the store's conditions or use other referent credentials: its read
    // must reach the store (and its checks) itself.
    await fetchProviderData(externalSecret(spec, { name: 'x', namespace: 'team-b' }), deps);
    assert.deepEqual(reads, ['app/one', 'app/one']);
  });

  it('reads with a different version or store are not shared', async () => {
    const { client, reads } = memoryClient(store);
    const es = externalSecret({
      data: [
        { secretKey: 'a', remoteRef: { key: 'app/one' } },
        { secretKey: 'b', remoteRef: { key: 'app/one', version: '2' } },
        {
          secretKey: 'c',
          remoteRef: { key: 'app/one' },
          sourceRef: { storeRef: { name: 'other' } },
        },
      ],
    });
    await fetchProviderData(es, { clientFor: () => Promise.resolve(client) });
    assert.equal(reads.length, 3);
  });

  it('sourceRef.storeRef overrides spec.secretStoreRef and kind defaults to SecretStore', async () => {
    const asked: string[] = [];
    const { client } = memoryClient(store);
    const es = externalSecret({
      secretStoreRef: { name: 'main' },
      data: [
        { secretKey: 'a', remoteRef: { key: 'app/one' } },
        {
          secretKey: 'b',
          remoteRef: { key: 'app/two' },
          sourceRef: { storeRef: { name: 'cluster', kind: 'ClusterSecretStore' } },
        },
      ],
    });
    await fetchProviderData(es, {
      clientFor: (ref) => {
        asked.push(`${ref.kind}/${ref.name}`);
        return Promise.resolve(client);
      },
    });
    assert.deepEqual(asked, ['SecretStore/main', 'ClusterSecretStore/cluster']);
  });

  it('a failed read is not kept by the coalescer', async () => {
    const failing = new Set(['app/one']);
    const { client, reads } = memoryClient(store, failing);
    const coalescer = new Coalescer({ ttlMs: 60_000 });
    const es = externalSecret({ data: [{ secretKey: 'a', remoteRef: { key: 'app/one' } }] });
    const first = await fetchProviderData(es, {
      clientFor: () => Promise.resolve(client),
      coalescer,
    });
    assert.equal(first.data[0]?.ok, false);
    failing.clear();
    const second = await fetchProviderData(es, {
      clientFor: () => Promise.resolve(client),
      coalescer,
    });
    assert.equal(second.data[0]?.ok, true);
    assert.equal(reads.length, 2);
  });
});
