/**
 * TLS against a second, private OpenBao started with -dev-tls: caBundle (PEM and base64),
 * caProvider, a wrong CA, and cert auth with an openssl-made client certificate.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Agent, fetch as undiciFetch } from 'undici';
import { ProviderError } from '../../src/providers/provider.ts';
import { createVaultProvider } from '../../src/providers/vault/provider.ts';
import { TokenCache } from '../../src/providers/vault/token-cache.ts';
import { freePort } from '../env/testenv.ts';
import { context, env, memoryKube, text, vaultStore } from './vault-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferry-bao-tls-'));
const rootToken = 'ferry-tls-root';
let server: ChildProcess | undefined;
let addr = '';
let ca = '';

async function tlsBao(method: string, path: string, body?: unknown): Promise<void> {
  const res = await undiciFetch(`${addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': rootToken, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    dispatcher: new Agent({ connect: { ca } }),
  });
  if (!res.ok)
    throw new Error(`setup ${method} ${path}: ${String(res.status)} ${await res.text()}`);
}

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${r.stderr.toString()}`);
}

describe('Vault over TLS (private OpenBao -dev-tls)', () => {
  before(async () => {
    const port = await freePort();
    addr = `https://127.0.0.1:${String(port)}`;
    server = spawn(
      env.binaries.bao,
      [
        'server',
        '-dev',
        '-dev-tls',
        `-dev-tls-cert-dir=${dir}`,
        `-dev-root-token-id=${rootToken}`,
        `-dev-listen-address=127.0.0.1:${String(port)}`,
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        ca = readFileSync(join(dir, 'vault-ca.pem'), 'utf8');
        await tlsBao('GET', 'sys/health');
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await tlsBao('POST', 'secret/data/tls', { data: { value: 'over-tls' } });
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'client.key',
      '-out',
      'client.crt',
      '-days',
      '1',
      '-subj',
      '/CN=ferry-client',
    ]);
    await tlsBao('POST', 'sys/auth/cert', { type: 'cert' });
    await tlsBao('PUT', 'sys/policies/acl/tls-read', {
      policy: 'path "secret/*" { capabilities = ["read"] }',
    });
    await tlsBao('POST', 'auth/cert/certs/ferry', {
      certificate: readFileSync(join(dir, 'client.crt'), 'utf8'),
      token_policies: ['tls-read'],
    });
  });

  after(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const kube = () =>
    memoryKube({
      'apps/root': { token: rootToken },
      'apps/ca': { 'ca.crt': ca },
      'apps/client': {
        'tls.crt': readFileSync(join(dir, 'client.crt'), 'utf8'),
        'tls.key': readFileSync(join(dir, 'client.key'), 'utf8'),
      },
    });
  const provider = () =>
    createVaultProvider({ tokens: new TokenCache({ clock: { now: () => Date.now() } }) });
  const tokenAuth = { tokenSecretRef: { name: 'root', key: 'token' } };

  it('trusts caBundle given as PEM or as base64 of PEM', async () => {
    for (const caBundle of [ca, Buffer.from(ca).toString('base64')]) {
      const c = await provider().newClient(
        vaultStore({ server: addr, path: 'secret', caBundle, auth: tokenAuth }),
        context(kube()),
      );
      assert.equal(text(await c.getSecret({ key: 'tls', property: 'value' })), 'over-tls');
    }
  });

  it('trusts a caProvider Secret', async () => {
    const c = await provider().newClient(
      vaultStore({
        server: addr,
        path: 'secret',
        caProvider: { type: 'Secret', name: 'ca', key: 'ca.crt' },
        auth: tokenAuth,
      }),
      context(kube()),
    );
    assert.equal(text(await c.getSecret({ key: 'tls', property: 'value' })), 'over-tls');
  });

  it('refuses the server without its CA, as a connection failure', async () => {
    const c = await provider().newClient(
      vaultStore({ server: addr, path: 'secret', auth: tokenAuth }, undefined, { maxRetries: 0 }),
      context(kube()),
    );
    await assert.rejects(
      c.getSecret({ key: 'tls' }),
      (e: Error) => e instanceof ProviderError && /connection failed/.test(e.message),
    );
  });

  it('a broken client certificate is a configuration error that does not echo the key', async () => {
    const k = kube();
    k.secrets['apps/client'] = { 'tls.crt': 'not a cert', 'tls.key': 'canary-not-a-key' };
    const store = vaultStore({
      server: addr,
      caBundle: ca,
      tls: { certSecretRef: { name: 'client' }, keySecretRef: { name: 'client' } },
    });
    await assert.rejects(provider().newClient(store, context(k)), (e: Error) => {
      assert.match(e.message, /^error from Client TLS Auth: "/);
      assert.ok(!e.message.includes('canary'));
      return true;
    });
  });

  it('cert auth logs in with the client certificate', async () => {
    const logins: string[] = [];
    const p = createVaultProvider({
      tokens: new TokenCache({ clock: { now: () => Date.now() }, onLogin: (m) => logins.push(m) }),
    });
    const store = vaultStore({
      server: addr,
      path: 'secret',
      caBundle: ca,
      auth: {
        cert: {
          vaultRole: 'ferry',
          clientCert: { name: 'client', key: 'tls.crt' },
          secretRef: { name: 'client', key: 'tls.key' },
        },
      },
    });
    const c = await p.newClient(store, context(kube()));
    assert.equal(text(await c.getSecret({ key: 'tls', property: 'value' })), 'over-tls');
    assert.deepEqual(logins, ['cert']);
  });
});
