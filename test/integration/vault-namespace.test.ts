import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createVaultProvider } from '../../src/providers/vault/provider.ts';
import { TokenCache } from '../../src/providers/vault/token-cache.ts';
import { bao, context, env, memoryKube, text, unique, vaultStore } from './vault-support.ts';

/** OpenBao namespaces: X-Vault-Namespace for data, and the auth.namespace switch for login. */
async function inNamespace(
  ns: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const res = await fetch(`${env.vaultAddr}/v1/${path}`, {
    method,
    headers: {
      'X-Vault-Token': env.vaultToken,
      'X-Vault-Namespace': ns,
      'Content-Type': 'application/json',
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok)
    throw new Error(`setup ${method} ${ns}/${path}: ${String(res.status)} ${await res.text()}`);
}

describe('Vault namespaces (OpenBao)', () => {
  const ns = unique('ns');
  const up = unique('up');
  const policy = unique('nsread');
  before(async () => {
    await bao('POST', `sys/namespaces/${ns}`, {});
    await inNamespace(ns, 'POST', 'sys/mounts/kv', { type: 'kv', options: { version: '2' } });
    await inNamespace(ns, 'POST', 'kv/data/app', { data: { where: 'child' } });
    // a user of the root namespace whose root-namespace policy reaches into the child namespace
    await bao('PUT', `sys/policies/acl/${policy}`, {
      policy: `path "${ns}/kv/*" { capabilities = ["read"] }`,
    });
    await bao('POST', `sys/auth/${up}`, { type: 'userpass' });
    await bao('POST', `auth/${up}/users/carol`, { password: 'pw-carol', token_policies: [policy] });
  });

  it('spec.namespace sends X-Vault-Namespace on reads', async () => {
    const kube = memoryKube({ 'apps/root': { token: env.vaultToken } });
    const provider = createVaultProvider({
      tokens: new TokenCache({ clock: { now: () => Date.now() } }),
    });
    const c = await provider.newClient(
      vaultStore({
        server: env.vaultAddr,
        namespace: ns,
        path: 'kv',
        auth: { tokenSecretRef: { name: 'root', key: 'token' } },
      }),
      context(kube),
    );
    assert.equal(text(await c.getSecret({ key: 'app', property: 'where' })), 'child');
  });

  it('auth.namespace switches namespace for the login only', async () => {
    const logins: string[] = [];
    const provider = createVaultProvider({
      tokens: new TokenCache({ clock: { now: () => Date.now() }, onLogin: (m) => logins.push(m) }),
    });
    const kube = memoryKube({ 'apps/pw': { password: 'pw-carol' } });
    const store = vaultStore({
      server: env.vaultAddr,
      namespace: ns,
      path: 'kv',
      auth: {
        namespace: '',
        userPass: { path: up, username: 'carol', secretRef: { name: 'pw', key: 'password' } },
      },
    });
    const c = await provider.newClient(store, context(kube));
    assert.equal(text(await c.getSecret({ key: 'app', property: 'where' })), 'child');
    assert.deepEqual(logins, ['userPass']);
    // without the switch the login goes to the child namespace, where the userpass mount does not exist
    const wrong = vaultStore({
      server: env.vaultAddr,
      namespace: ns,
      path: 'kv',
      auth: {
        userPass: { path: up, username: 'carol', secretRef: { name: 'pw', key: 'password' } },
      },
    });
    await assert.rejects(
      provider.newClient(wrong, context(kube)),
      new RegExp(`vault: POST auth/${up}/login/carol: \\d{3}`),
    );
  });
});
