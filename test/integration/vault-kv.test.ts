import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { NoSecretError, ProviderError, StoreConfigError } from '../../src/providers/provider.ts';
import { createVaultProvider } from '../../src/providers/vault/provider.ts';
import { TokenCache } from '../../src/providers/vault/token-cache.ts';
import {
  bao,
  context,
  enableKv,
  env,
  memoryKube,
  text,
  unique,
  vaultStore,
} from './vault-support.ts';

const kube = memoryKube({ 'apps/vault-token': { token: env.vaultToken } });
const tokens = new TokenCache({ clock: { now: () => Date.now() } });
const provider = createVaultProvider({ tokens });
const auth = { tokenSecretRef: { name: 'vault-token', key: 'token' } };
const v2 = unique('kv2');
const v1 = unique('kv1');

async function client(mount: string | undefined, version: 'v1' | 'v2', extra = {}) {
  return provider.newClient(
    vaultStore({
      server: env.vaultAddr,
      ...(mount ? { path: mount } : {}),
      version,
      auth,
      ...extra,
    }),
    context(kube),
  );
}

describe('vault KV reads against OpenBao', () => {
  before(async () => {
    await enableKv(v2, 2);
    await enableKv(v1, 1);
    await bao('POST', `${v2}/data/app/db`, {
      data: {
        user: 'admin',
        port: 5432,
        '<x>': 'a&b',
        'nested.bar': 'lit',
        nested: { foo: 'oke', bar: 'no' },
        list: [1, 'two'],
      },
    });
    await bao('POST', `${v2}/data/app/db`, { data: { user: 'admin2' } });
    await bao('POST', `${v2}/data/e2e`, {
      data: { foo: { nested: { bar: 'mysecret', baz: 'bang' } } },
    });
    await bao('POST', `${v2}/metadata/e2e`, { custom_metadata: { team: 'blue' } });
    await bao('POST', `${v1}/plain`, '{"a":"1","big":12345678901234567890}');
  });

  it('reads the whole secret as Go JSON and a property', async () => {
    const c = await client(v2, 'v2');
    assert.equal(text(await c.getSecret({ key: 'app/db' })), '{"user":"admin2"}');
    assert.equal(text(await c.getSecret({ key: `${v2}/data/app/db`, property: 'user' })), 'admin2');
    assert.equal(text(await c.getSecret({ key: `${v2}/app/db`, property: 'user' })), 'admin2');
  });

  it('reads an older version with Go escaping, exact keys before gjson, numbers verbatim', async () => {
    const c = await client(v2, 'v2');
    const all = text(await c.getSecret({ key: 'app/db', version: '1' }));
    assert.equal(
      all,
      '{"\\u003cx\\u003e":"a\\u0026b","list":[1,"two"],"nested":{"bar":"no","foo":"oke"},"nested.bar":"lit","port":5432,"user":"admin"}',
    );
    assert.equal(
      text(await c.getSecret({ key: 'app/db', version: '1', property: 'nested.bar' })),
      'lit',
    );
    assert.equal(
      text(await c.getSecret({ key: 'app/db', version: '1', property: 'nested.foo' })),
      'oke',
    );
    assert.equal(
      text(await c.getSecret({ key: 'app/db', version: '1', property: 'list.1' })),
      'two',
    );
    assert.equal(
      text(await c.getSecret({ key: 'app/db', version: '1', property: 'port' })),
      '5432',
    );
  });

  it('a missing property is an error, not NoSecretError', async () => {
    const c = await client(v2, 'v2');
    await assert.rejects(
      c.getSecret({ key: 'app/db', property: 'nop.doesnt.exist' }),
      (e: Error) => {
        assert.ok(e instanceof ProviderError && !(e instanceof NoSecretError));
        assert.equal(e.message, 'cannot find secret data for key: "nop.doesnt.exist"');
        return true;
      },
    );
  });

  it('missing secrets and destroyed or deleted versions are NoSecretError', async () => {
    const c = await client(v2, 'v2');
    await assert.rejects(c.getSecret({ key: 'app/none' }), NoSecretError);
    await bao('POST', `${v2}/data/gone`, { data: { a: '1' } });
    await bao('POST', `${v2}/data/gone`, { data: { a: '2' } });
    await bao('POST', `${v2}/delete/gone`, { versions: [2] });
    await bao('POST', `${v2}/destroy/gone`, { versions: [1] });
    await assert.rejects(c.getSecret({ key: 'gone' }), NoSecretError);
    await assert.rejects(c.getSecret({ key: 'gone', version: '1' }), NoSecretError);
  });

  it('extract flattens one level and JSON-encodes nested objects (e2e oracle)', async () => {
    const c = await client(v2, 'v2');
    const m = await c.getSecretMap({ key: 'e2e' });
    assert.deepEqual(
      [...m].map(([k, v]) => [k, text(v)]),
      [['foo', '{"nested":{"bar":"mysecret","baz":"bang"}}']],
    );
    const n = await c.getSecretMap({ key: 'e2e', property: 'foo.nested' });
    assert.deepEqual(Object.fromEntries([...n].map(([k, v]) => [k, text(v)])), {
      bar: 'mysecret',
      baz: 'bang',
    });
    assert.equal(
      text(await c.getSecret({ key: 'e2e', property: 'foo.nested' })),
      '{"bar":"mysecret","baz":"bang"}',
    );
  });

  it('metadataPolicy Fetch returns system keys overlaid by custom_metadata', async () => {
    const c = await client(v2, 'v2');
    const meta = JSON.parse(
      text(await c.getSecret({ key: 'e2e', metadataPolicy: 'Fetch' })),
    ) as Record<string, string>;
    assert.equal(meta.team, 'blue');
    assert.equal(meta.current_version, '1');
    assert.equal(meta.delete_version_after, '0s');
    assert.equal(
      text(await c.getSecret({ key: 'e2e', metadataPolicy: 'Fetch', property: 'team' })),
      'blue',
    );
    await assert.rejects(c.getSecret({ key: 'nope', metadataPolicy: 'Fetch' }), /secret not found/);
  });

  it('KV v1 reads data directly and rejects metadata and tags', async () => {
    const c = await client(v1, 'v1');
    assert.equal(text(await c.getSecret({ key: 'plain' })), '{"a":"1","big":12345678901234567890}');
    const m = await c.getSecretMap({ key: 'plain' });
    assert.equal(text(m.get('big')!), '12345678901234567000'); // float64, as ESO's json.Unmarshal
    await assert.rejects(c.getSecret({ key: 'plain', metadataPolicy: 'Fetch' }), StoreConfigError);
    await assert.rejects(
      c.getAllSecrets({ tags: { a: 'b' } }),
      /find by tag operations with kv version v1/,
    );
  });

  it('works without spec.path (mount in the key)', async () => {
    const c = await client(undefined, 'v2');
    assert.equal(text(await c.getSecret({ key: `${v2}/app/db`, property: 'user' })), 'admin2');
  });
});

describe('vault find against OpenBao', () => {
  const mount = unique('find');
  before(async () => {
    await enableKv(mount, 2);
    for (const [k, tags] of [
      ['secret1', { foo: 'bar' }],
      ['secret2', { foo: 'baz' }],
      ['tag', { foo: 'baz' }],
      ['path/1', { foo: 'baz' }],
      ['path/2', {}],
      ['path/deep/3', {}],
    ] as const) {
      await bao('POST', `${mount}/data/${k}`, { data: { name: k } });
      await bao('POST', `${mount}/metadata/${k}`, { custom_metadata: tags });
    }
    await bao('POST', `${mount}/data/secret3`, { data: { x: '1' } });
    await bao('DELETE', `${mount}/data/secret3`);
  });

  it('finds by name regexp (unanchored), skipping deleted versions', async () => {
    const c = await client(mount, 'v2');
    const got = await c.getAllSecrets({ name: { regexp: 'secret.*' } });
    assert.deepEqual([...got.keys()].sort(), ['secret1', 'secret2']);
    assert.equal(text(got.get('secret1')!), '{"name":"secret1"}');
  });

  it('finds by tags; name wins over tags', async () => {
    const c = await client(mount, 'v2');
    assert.deepEqual([...(await c.getAllSecrets({ tags: { foo: 'baz' } })).keys()].sort(), [
      'path/1',
      'secret2',
      'tag',
    ]);
    assert.deepEqual(
      [...(await c.getAllSecrets({ name: { regexp: '^tag$' }, tags: { foo: 'nope' } })).keys()],
      ['tag'],
    );
  });

  it('path restricts the listing and names keep the path prefix', async () => {
    const c = await client(mount, 'v2');
    assert.deepEqual([...(await c.getAllSecrets({ path: 'path' })).keys()].sort(), [
      'path/1',
      'path/2',
      'path/deep/3',
    ]);
    assert.deepEqual(
      [...(await c.getAllSecrets({ path: 'path', tags: { foo: 'baz' } })).keys()],
      ['path/1'],
    );
  });

  it('bad regexps are configuration errors with ESO text', async () => {
    const c = await client(mount, 'v2');
    await assert.rejects(
      c.getAllSecrets({ name: { regexp: '(' } }),
      /could not compile find.name.regexp \[\(\]/,
    );
  });
});

describe('vault PushSecret against OpenBao', () => {
  const mount = unique('push');
  const mount1 = unique('push1');
  before(async () => {
    await enableKv(mount, 2);
    await enableKv(mount1, 1);
    await bao('POST', `${mount}/data/foreign`, { data: { a: 'b' } });
  });
  const src = (o: Record<string, string>) => ({
    data: new Map(Object.entries(o).map(([k, v]) => [k, new TextEncoder().encode(v)])),
  });

  it('writes whole JSON objects and marks them managed', async () => {
    const c = await client(mount, 'v2');
    await c.pushSecret(src({ cfg: '{"user":"u","pass":"p"}' }), {
      match: { secretKey: 'cfg', remoteRef: { remoteKey: 'app/cfg' } },
    });
    assert.equal(text(await c.getSecret({ key: 'app/cfg' })), '{"pass":"p","user":"u"}');
    const meta = (await bao('GET', `${mount}/metadata/app/cfg`)) as {
      data: { custom_metadata: Record<string, string>; current_version: number };
    };
    assert.deepEqual(meta.data.custom_metadata, { 'managed-by': 'external-secrets' });
    await c.pushSecret(src({ cfg: '{"user":"u","pass":"p"}' }), {
      match: { secretKey: 'cfg', remoteRef: { remoteKey: 'app/cfg' } },
    });
    const again = (await bao('GET', `${mount}/metadata/app/cfg`)) as typeof meta;
    assert.equal(again.data.current_version, 1, 'an equal push writes nothing');
    assert.equal(await c.secretExists({ remoteKey: 'app/cfg', property: 'user' }), true);
    assert.equal(await c.secretExists({ remoteKey: 'app/cfg', property: 'nope' }), false);
    assert.equal(await c.secretExists({ remoteKey: 'app/none' }), false);
  });

  it('merges property pushes and pushes whole Secrets without a secretKey', async () => {
    const c = await client(mount, 'v2');
    await c.pushSecret(src({ pw: 'hunter2' }), {
      match: { secretKey: 'pw', remoteRef: { remoteKey: 'app/props', property: 'password' } },
    });
    await c.pushSecret(src({ u: 'bob' }), {
      match: { secretKey: 'u', remoteRef: { remoteKey: 'app/props', property: 'user' } },
    });
    assert.equal(
      text(await c.getSecret({ key: 'app/props' })),
      '{"password":"hunter2","user":"bob"}',
    );
    await c.pushSecret(src({ a: '<1>', b: '2' }), {
      match: { remoteRef: { remoteKey: 'app/whole' } },
    });
    assert.equal(text(await c.getSecret({ key: 'app/whole', property: 'a' })), '<1>');
  });

  it('refuses unmanaged secrets and non-JSON values without leaking them', async () => {
    const c = await client(mount, 'v2');
    await assert.rejects(
      c.pushSecret(src({ x: '{"a":"c"}' }), {
        match: { secretKey: 'x', remoteRef: { remoteKey: 'foreign' } },
      }),
      {
        message: 'secret not managed by external-secrets',
      },
    );
    await assert.rejects(
      c.pushSecret(src({ x: 'canary-abc123' }), {
        match: { secretKey: 'x', remoteRef: { remoteKey: 'app/bad' } },
      }),
      (e: Error) => {
        assert.equal(e.message, 'error unmarshalling vault secret: invalid JSON format');
        return true;
      },
    );
  });

  it('check-and-set sends cas 0 for new and current_version for existing secrets', async () => {
    const c = await client(mount, 'v2', { checkAndSet: { required: true } });
    await bao('POST', `${mount}/config`, { cas_required: true });
    await c.pushSecret(src({ x: '{"v":"1"}' }), {
      match: { secretKey: 'x', remoteRef: { remoteKey: 'cas' } },
    });
    await c.pushSecret(src({ x: '{"v":"2"}' }), {
      match: { secretKey: 'x', remoteRef: { remoteKey: 'cas' } },
    });
    assert.equal(text(await c.getSecret({ key: 'cas', property: 'v' })), '2');
    await bao('POST', `${mount}/config`, { cas_required: false });
  });

  it('deletes only managed secrets; property deletes keep the rest', async () => {
    const c = await client(mount, 'v2');
    await c.deleteSecret({ remoteKey: 'app/props', property: 'user' });
    assert.equal(text(await c.getSecret({ key: 'app/props' })), '{"password":"hunter2"}');
    await c.deleteSecret({ remoteKey: 'app/props', property: 'password' });
    await assert.rejects(c.getSecret({ key: 'app/props' }), NoSecretError);
    await c.deleteSecret({ remoteKey: 'foreign' });
    assert.equal(text(await c.getSecret({ key: 'foreign', property: 'a' })), 'b');
    await c.deleteSecret({ remoteKey: 'never-existed' });
  });

  it('KV v1 embeds custom_metadata in the data', async () => {
    const c = await client(mount1, 'v1');
    await c.pushSecret(src({ x: '{"k":"v"}' }), {
      match: { secretKey: 'x', remoteRef: { remoteKey: 'one' } },
    });
    const raw = (await bao('GET', `${mount1}/one`)) as { data: Record<string, unknown> };
    assert.deepEqual(raw.data, { k: 'v', custom_metadata: { 'managed-by': 'external-secrets' } });
    await c.pushSecret(src({ y: 'w' }), {
      match: { secretKey: 'y', remoteRef: { remoteKey: 'one', property: 'k2' } },
    });
    await c.deleteSecret({ remoteKey: 'one', property: 'k' });
    await c.deleteSecret({ remoteKey: 'one', property: 'k2' });
    await assert.rejects(c.getSecret({ key: 'one' }), NoSecretError);
  });
});
