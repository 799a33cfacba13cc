import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NoSecretError, ProviderError } from '../../src/providers/provider.ts';
import { createVaultProvider } from '../../src/providers/vault/provider.ts';
import { TokenCache } from '../../src/providers/vault/token-cache.ts';
import { freePort } from '../env/testenv.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
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

const CANARY = 'canary-7f3a9c1e';
const mount = unique('faults');
const kube = memoryKube({ 'apps/vault-token': { token: env.vaultToken } });
const errors: string[] = [];
let proxy: FaultProxy;

async function client(retry = { maxRetries: 0, retryInterval: '10ms' }, timeoutMs = 2000) {
  const provider = createVaultProvider({
    tokens: new TokenCache({ clock: { now: () => Date.now() } }),
    timeoutMs,
  });
  const store = vaultStore(
    {
      server: proxy.url,
      path: mount,
      auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } },
    },
    undefined,
    retry,
  );
  return provider.newClient(store, context(kube));
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ProviderError, `expected ProviderError, got ${String(e)}`);
    errors.push(e.message, String(e.stack));
    return e;
  }
  assert.fail('expected a failure');
}

describe('Vault provider behind a fault-injecting proxy', () => {
  before(async () => {
    await enableKv(mount, 2);
    await bao('POST', `${mount}/data/app`, { data: { password: CANARY } });
    proxy = await startFaultProxy(env.vaultAddr);
  });
  after(async () => {
    await proxy.close();
    for (const m of errors)
      assert.ok(!m.includes(CANARY), `an error message leaked the value: ${m}`);
  });

  it('reads through the proxy with latency', async () => {
    proxy.faults = { latencyMs: 150 };
    const c = await client();
    const started = Date.now();
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), CANARY);
    assert.ok(Date.now() - started >= 150);
    proxy.faults = {};
  });

  it('a 503 becomes a retryable ProviderError with the status', async () => {
    const c = await client();
    proxy.faults = { status: { code: 503, count: 1, body: '{"errors":["Vault is sealed"]}' } };
    const e = await failure(c.getSecret({ key: 'app' }));
    assert.equal(e.message, `vault: GET ${mount}/data/app: 503 Vault is sealed`);
    assert.equal(e.details.status, 503);
    assert.equal(e.details.retryable, true);
  });

  it('retrySettings retry 5xx and then succeed', async () => {
    const c = await client({ maxRetries: 2, retryInterval: '10ms' });
    proxy.faults = { status: { code: 502, count: 2 } };
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), CANARY);
  });

  it('dropped connections are connection failures, retried when configured', async () => {
    const c = await client();
    proxy.faults = { drop: 1 };
    const e = await failure(c.getSecret({ key: 'app' }));
    assert.match(e.message, new RegExp(`^vault: GET ${mount}/data/app: connection failed`));
    const r = await client({ maxRetries: 1, retryInterval: '10ms' });
    proxy.faults = { drop: 1 };
    assert.equal(text(await r.getSecret({ key: 'app', property: 'password' })), CANARY);
  });

  it('timeouts are connection failures naming the request', async () => {
    const c = await client(undefined, 100);
    proxy.faults = { latencyMs: 400 };
    const e = await failure(c.getSecret({ key: 'app' }));
    assert.match(e.message, /connection failed: timeout/);
    proxy.faults = {};
  });

  it('a 403 names the path and status; the store token is never retried as a login', async () => {
    const bad = memoryKube({ 'apps/vault-token': { token: 'canary-7f3a9c1e-token' } });
    const provider = createVaultProvider({
      tokens: new TokenCache({ clock: { now: () => Date.now() } }),
    });
    const store = vaultStore({
      server: proxy.url,
      path: mount,
      auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } },
    });
    const c = await provider.newClient(store, context(bad));
    const e = await failure(c.getSecret({ key: 'app' }));
    assert.equal(e.message, `vault: GET ${mount}/data/app: 403 permission denied`);
    const v = await failure(c.validate());
    assert.match(v.message, /^invalid vault credentials: vault: GET auth\/token\/lookup-self: 403/);
  });

  it('unreachable servers and wrong mounts fail validate() clearly', async () => {
    const c = await client();
    await assert.rejects(c.getSecret({ key: 'missing' }), NoSecretError);
    assert.equal(await c.validate(), 'Ready');
    const provider = createVaultProvider({
      tokens: new TokenCache({ clock: { now: () => Date.now() } }),
    });
    const wrong = await provider.newClient(
      vaultStore({
        server: env.vaultAddr,
        path: unique('nomount'),
        auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } },
      }),
      context(kube),
    );
    const w = await failure(wrong.validate());
    assert.match(w.message, /mount "nomount-[0-9a-f]+" does not exist/);
    const v1 = await provider.newClient(
      vaultStore({
        server: env.vaultAddr,
        path: mount,
        version: 'v1',
        auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } },
      }),
      context(kube),
    );
    const k = await failure(v1.validate());
    assert.match(k.message, /is KV v2 but the store says version v1/);
    const down = await provider.newClient(
      vaultStore(
        {
          server: `http://127.0.0.1:${String(await freePort())}`,
          path: mount,
          auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } },
        },
        undefined,
        { maxRetries: 0 },
      ),
      context(kube),
    );
    const d = await failure(down.validate());
    assert.match(
      d.message,
      /^invalid vault credentials: vault: GET auth\/token\/lookup-self: connection failed: ECONNREFUSED/,
    );
  });
});
