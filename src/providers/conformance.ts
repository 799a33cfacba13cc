/**
 * The one provider contract (STYLE.md, Hono-style): every provider runs this suite against its
 * real server or emulator. `setup` returns a store whose secrets `seed` can create; keys are
 * unique per run, so suites can share a server. Keys use only `[a-z0-9-]`, which every backend
 * accepts as a name (Kubernetes Secret names are DNS subdomains).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AnySecretStore } from '../api/types.ts';
import { NoSecretError, type Provider, type ProviderContext } from './provider.ts';

export interface ContractFixture {
  provider: Provider;
  store: AnySecretStore;
  context: ProviderContext;
  /** Creates `key` holding `value` (a JSON object text) in the store. */
  seed(key: string, value: string): Promise<void>;
  cleanup?(): Promise<void>;
}

export interface ContractOptions {
  setup(): Promise<ContractFixture>;
  /** Providers without PushSecret skip the write tests. */
  push?: boolean;
  /**
   * Providers that push one source key only into a named remote property (ESO's kubernetes
   * provider) name it; the pushed JSON is then read back as `<pushProperty>.k`.
   */
  pushProperty?: string;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Registers the contract's tests for one provider. */
export function runProviderContract(name: string, options: ContractOptions): void {
  describe(`provider contract: ${name}`, () => {
    let fx: ContractFixture;
    const prefix = `contract-${randomBytes(4).toString('hex')}`;
    const value = '{"password":"pw-1","user":"u"}';

    before(async () => {
      fx = await options.setup();
      await fx.seed(`${prefix}-a`, value);
      await fx.seed(`${prefix}-b`, '{"password":"pw-2","user":"v"}');
    });
    after(async () => {
      await fx.cleanup?.();
    });
    const client = () => fx.provider.newClient(fx.store, fx.context);

    it('validateStore accepts the store', () => {
      assert.ok(Array.isArray(fx.provider.validateStore(fx.store)));
    });

    it('getSecret returns the whole value', async () => {
      assert.equal(text(await (await client()).getSecret({ key: `${prefix}-a` })), value);
    });

    it('getSecret returns a property of a JSON value', async () => {
      assert.equal(
        text(await (await client()).getSecret({ key: `${prefix}-a`, property: 'user' })),
        'u',
      );
    });

    it('a missing secret is NoSecretError', async () => {
      await assert.rejects((await client()).getSecret({ key: `${prefix}-missing` }), NoSecretError);
    });

    it('getSecretMap returns the top-level members', async () => {
      const m = await (await client()).getSecretMap({ key: `${prefix}-b` });
      assert.deepEqual(Object.fromEntries([...m].map(([k, v]) => [k, text(v)])), {
        password: 'pw-2',
        user: 'v',
      });
    });

    it('getAllSecrets finds by name regexp', async () => {
      const all = await (await client()).getAllSecrets({ name: { regexp: `^${prefix}-` } });
      assert.deepEqual([...all.keys()].sort(), [`${prefix}-a`, `${prefix}-b`]);
      assert.equal(text(all.get(`${prefix}-a`) ?? new Uint8Array()), value);
    });

    it('validate reports Ready', async () => {
      assert.equal(await (await client()).validate(), 'Ready');
    });

    it(
      'pushSecret writes a value that secretExists and getSecret see',
      { skip: options.push === false },
      async () => {
        const c = await client();
        const remoteKey = `${prefix}-pushed`;
        const into = options.pushProperty;
        const remoteRef = into === undefined ? { remoteKey } : { remoteKey, property: into };
        assert.equal(await c.secretExists(remoteRef), false);
        const data = new Map([['cfg', new TextEncoder().encode('{"k":"v"}')]]);
        await c.pushSecret({ data }, { match: { secretKey: 'cfg', remoteRef } });
        assert.equal(await c.secretExists(remoteRef), true);
        // KV v1 keeps Vault's ownership marker inside the data, so compare the pushed member.
        const property = into === undefined ? 'k' : `${into}.k`;
        assert.equal(text(await c.getSecret({ key: remoteKey, property })), 'v');
        await c.close();
      },
    );
  });
}
