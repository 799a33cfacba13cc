import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createKubeAccess } from '../../src/providers/kube-access.ts';
import { ProviderError, StoreConfigError } from '../../src/providers/provider.ts';
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

const mount = unique('authkv');
const policy = unique('read');

function counted() {
  const logins: string[] = [];
  const tokens = new TokenCache({
    clock: { now: () => Date.now() },
    onLogin: (m) => logins.push(m),
  });
  return { logins, tokens, provider: createVaultProvider({ tokens }) };
}

before(async () => {
  await enableKv(mount, 2);
  await bao('POST', `${mount}/data/app`, { data: { password: 'canary-s3cr3t' } });
  await bao('PUT', `sys/policies/acl/${policy}`, {
    policy: `path "${mount}/*" { capabilities = ["read", "list"] }`,
  });
});

describe('appRole auth', () => {
  const path = unique('approle');
  let roleId = '';
  let secretId = '';
  before(async () => {
    await bao('POST', `sys/auth/${path}`, { type: 'approle' });
    await bao('POST', `auth/${path}/role/app`, { token_policies: [policy], token_ttl: '1h' });
    roleId = ((await bao('GET', `auth/${path}/role/app/role-id`)) as { data: { role_id: string } })
      .data.role_id;
    secretId = (
      (await bao('POST', `auth/${path}/role/app/secret-id`)) as { data: { secret_id: string } }
    ).data.secret_id;
  });

  it('100 getSecret calls through 100 newClient() log in exactly once', async () => {
    const { logins, provider } = counted();
    const kube = memoryKube({ 'apps/approle': { secret: secretId } });
    const store = vaultStore({
      server: env.vaultAddr,
      path: mount,
      auth: { appRole: { path, roleId, secretRef: { name: 'approle', key: 'secret' } } },
    });
    const values = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const c = await provider.newClient(store, context(kube));
        const v = text(await c.getSecret({ key: 'app', property: 'password' }));
        await c.close();
        return v;
      }),
    );
    assert.equal(new Set(values).size, 1);
    assert.deepEqual(logins, ['appRole']);
  });

  it('re-logs in once when Vault answers 403 to a revoked token', async () => {
    const { logins, tokens, provider } = counted();
    const kube = memoryKube({ 'apps/approle': { secret: secretId } });
    const store = vaultStore({
      server: env.vaultAddr,
      path: mount,
      auth: { appRole: { path, roleId, secretRef: { name: 'approle', key: 'secret' } } },
    });
    const c = await provider.newClient(store, context(kube));
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    // revoke every token of the role behind the cache's back
    await bao('POST', `auth/token/revoke-orphan`, { token: '' }).catch(() => undefined);
    await bao('POST', `sys/leases/revoke-prefix/auth/${path}/login`, {});
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    assert.deepEqual(logins, ['appRole', 'appRole']);
    assert.equal(tokens.size, 1);
  });

  it('renews with renew-self after two thirds of the TTL instead of logging in', async () => {
    let now = Date.now();
    const logins: string[] = [];
    const renewals: string[] = [];
    const tokens = new TokenCache({
      clock: { now: () => now },
      onLogin: (m) => logins.push(m),
      onRenew: (m) => renewals.push(m),
    });
    const provider = createVaultProvider({ tokens });
    const kube = memoryKube({ 'apps/approle': { secret: secretId } });
    const store = vaultStore({
      server: env.vaultAddr,
      path: mount,
      auth: { appRole: { path, roleId, secretRef: { name: 'approle', key: 'secret' } } },
    });
    const ctx = { ...context(kube), clock: { now: () => now } };
    const c = await provider.newClient(store, ctx);
    now += 41 * 60_000; // 41 of 60 minutes
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    assert.deepEqual(logins, ['appRole']);
    assert.deepEqual(renewals, ['appRole']);
  });

  it('a referent ClusterSecretStore logs in per ExternalSecret namespace and validates as Unknown', async () => {
    const { logins, provider } = counted();
    const kube = memoryKube({
      'team-a/approle': { secret: secretId },
      'team-b/approle': { secret: secretId },
    });
    const store = vaultStore({
      server: env.vaultAddr,
      path: mount,
      auth: { appRole: { path, roleId, secretRef: { name: 'approle', key: 'secret' } } },
    });
    const cluster = {
      ...store,
      kind: 'ClusterSecretStore' as const,
      metadata: { name: unique('cluster') },
    };
    const validating = await provider.newClient(cluster, context(kube, { namespace: '' }));
    assert.equal(await validating.validate(), 'Unknown');
    assert.deepEqual(logins, []);
    for (const namespace of ['team-a', 'team-b', 'team-a']) {
      const c = await provider.newClient(cluster, context(kube, { namespace }));
      assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    }
    assert.deepEqual(logins, ['appRole', 'appRole']);
  });

  it('a wrong secret_id fails with status and without the credential', async () => {
    const { provider } = counted();
    const kube = memoryKube({ 'apps/approle': { secret: 'canary-wrong-secret-id' } });
    const store = vaultStore({
      server: env.vaultAddr,
      path: mount,
      auth: { appRole: { path, roleId, secretRef: { name: 'approle', key: 'secret' } } },
    });
    await assert.rejects(provider.newClient(store, context(kube)), (e: Error) => {
      assert.ok(e instanceof ProviderError);
      assert.match(e.message, new RegExp(`^vault: POST auth/${path}/login: 400 `));
      assert.ok(!e.message.includes('canary'));
      return true;
    });
  });
});

describe('userPass and ldap auth', () => {
  const path = unique('userpass');
  before(async () => {
    await bao('POST', `sys/auth/${path}`, { type: 'userpass' });
    await bao('POST', `auth/${path}/users/alice`, {
      password: 'pw-alice',
      token_policies: [policy],
    });
  });

  it('userPass logs in with the password from the Secret', async () => {
    const { provider, logins } = counted();
    const kube = memoryKube({ 'apps/up': { password: 'pw-alice' } });
    const store = vaultStore({
      server: env.vaultAddr,
      path: mount,
      auth: { userPass: { path, username: 'alice', secretRef: { name: 'up', key: 'password' } } },
    });
    const c = await provider.newClient(store, context(kube));
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    assert.deepEqual(logins, ['userPass']);
    assert.equal(await c.validate(), 'Ready');
  });

  it('ldap sends POST auth/<path>/login/<username> {password} (OpenBao has no ldap plugin: a userpass mount checks the shape)', async () => {
    const ldap = unique('ldap');
    await bao('POST', `sys/auth/${ldap}`, { type: 'userpass' });
    await bao('POST', `auth/${ldap}/users/bob`, { password: 'pw-bob', token_policies: [policy] });
    const { provider, logins } = counted();
    const kube = memoryKube({ 'apps/ld': { password: 'pw-bob' } });
    const store = vaultStore({
      server: env.vaultAddr,
      path: mount,
      auth: { ldap: { path: ldap, username: 'bob', secretRef: { name: 'ld', key: 'password' } } },
    });
    const c = await provider.newClient(store, context(kube));
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    assert.deepEqual(logins, ['ldap']);
    kube.secrets['apps/ld'] = { password: 'canary-ldap-wrong' };
    const bad = vaultStore({
      server: env.vaultAddr,
      path: mount,
      auth: { ldap: { path: ldap, username: 'bob', secretRef: { name: 'ld', key: 'password' } } },
    });
    await assert.rejects(provider.newClient(bad, context(kube)), (e: Error) => {
      assert.match(e.message, new RegExp(`^vault: POST auth/${ldap}/login/bob: 400 invalid`));
      assert.ok(!e.message.includes('canary'));
      return true;
    });
  });

  it("iam and gcp are refused clearly; no auth method is ESO's message", async () => {
    const { provider } = counted();
    const kube = memoryKube();
    await assert.rejects(
      provider.newClient(
        vaultStore({ server: env.vaultAddr, auth: { iam: { vaultRole: 'x' } } }),
        context(kube),
      ),
      (e: Error) =>
        e instanceof StoreConfigError && /auth method iam is not supported yet/.test(e.message),
    );
    await assert.rejects(
      provider.newClient(
        vaultStore({ server: env.vaultAddr, auth: { gcp: { role: 'x' } } }),
        context(kube),
      ),
      /auth method gcp is not supported yet/,
    );
    await assert.rejects(
      provider.newClient(vaultStore({ server: env.vaultAddr, auth: {} }), context(kube)),
      {
        message: 'cannot initialize Vault client: no valid auth method specified',
      },
    );
  });
});

describe('Kubernetes and JWT auth with a real kube-apiserver', () => {
  const kc = new KubeConfig();
  kc.loadFromFile(env.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const ns = unique('vault-auth');
  const k8sPath = unique('k8s');
  const jwtPath = unique('jwt');

  before(async () => {
    await core.createNamespace({ body: { metadata: { name: ns } } });
    for (const name of ['reviewer', 'app']) {
      await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name } } });
    }
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: `${ns}-reviewer` },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'system:auth-delegator',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'reviewer', namespace: ns }],
      },
    });
    const reviewer = await core.createNamespacedServiceAccountToken({
      name: 'reviewer',
      namespace: ns,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    await bao('POST', `sys/auth/${k8sPath}`, { type: 'kubernetes' });
    await bao('POST', `auth/${k8sPath}/config`, {
      kubernetes_host: env.kubeServer,
      kubernetes_ca_cert: readFileSync(env.kubeCaFile, 'utf8'),
      token_reviewer_jwt: reviewer.status?.token,
    });
    await bao('POST', `auth/${k8sPath}/role/app`, {
      bound_service_account_names: ['app'],
      bound_service_account_namespaces: [ns],
      token_policies: [policy],
    });

    await bao('POST', `sys/auth/${jwtPath}`, { type: 'jwt' });
    await bao('POST', `auth/${jwtPath}/config`, {
      jwt_validation_pubkeys: [readFileSync(join(dirname(env.kubeCaFile), 'sa.pub'), 'utf8')],
      bound_issuer: env.kubeServer,
    });
    await bao('POST', `auth/${jwtPath}/role/app`, {
      role_type: 'jwt',
      bound_audiences: ['vault'],
      user_claim: 'sub',
      bound_subject: `system:serviceaccount:${ns}:app`,
      token_policies: [policy],
    });
  });

  function k8sStore(auth: object) {
    const store = vaultStore({ server: env.vaultAddr, path: mount, auth });
    store.metadata.namespace = ns;
    return store;
  }

  it('kubernetes auth logs in with a TokenRequest token of the app ServiceAccount', async () => {
    const { provider, logins } = counted();
    const store = k8sStore({
      kubernetes: { mountPath: k8sPath, role: 'app', serviceAccountRef: { name: 'app' } },
    });
    const c = await provider.newClient(store, context(createKubeAccess(kc), { namespace: ns }));
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    assert.deepEqual(logins, ['kubernetes']);
    assert.equal(await c.validate(), 'Ready');
  });

  it('createKubeAccess reads store credentials from a real Secret and names missing keys', async () => {
    await core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: 'vault-token' }, stringData: { token: env.vaultToken } },
    });
    const { provider } = counted();
    const kube = createKubeAccess(kc);
    const c = await provider.newClient(
      k8sStore({ tokenSecretRef: { name: 'vault-token', key: 'token' } }),
      context(kube, { namespace: ns }),
    );
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    await assert.rejects(kube.readSecretKey({ namespace: ns, name: 'vault-token', key: 'nope' }), {
      message: `cannot find secret data for key: "nope" in Secret ${ns}/vault-token`,
    });
    await assert.rejects(kube.readSecretKey({ namespace: ns, name: 'absent', key: 'token' }), {
      message: `cannot get Secret ${ns}/absent: not found`,
    });
  });

  it('kubernetes auth rejects a ServiceAccount the role does not bind', async () => {
    const { provider } = counted();
    const store = k8sStore({
      kubernetes: { mountPath: k8sPath, role: 'app', serviceAccountRef: { name: 'reviewer' } },
    });
    await assert.rejects(
      provider.newClient(store, context(createKubeAccess(kc), { namespace: ns })),
      (e: Error) => {
        assert.ok(e instanceof ProviderError);
        assert.match(e.message, new RegExp(`^vault: POST auth/${k8sPath}/login: 403`));
        return true;
      },
    );
  });

  it('jwt auth logs in with a TokenRequest JWT checked against the API server key', async () => {
    const { provider, logins } = counted();
    const store = k8sStore({
      jwt: {
        path: jwtPath,
        role: 'app',
        kubernetesServiceAccountToken: { serviceAccountRef: { name: 'app' } },
      },
    });
    const c = await provider.newClient(store, context(createKubeAccess(kc), { namespace: ns }));
    assert.equal(text(await c.getSecret({ key: 'app', property: 'password' })), 'canary-s3cr3t');
    assert.deepEqual(logins, ['jwt']);
  });

  it('jwt auth without a token source is a configuration error', async () => {
    const { provider } = counted();
    const store = k8sStore({ jwt: { path: jwtPath, role: 'app' } });
    await assert.rejects(
      provider.newClient(store, context(memoryKube())),
      /neither `secretRef` nor `kubernetesServiceAccountToken`/,
    );
  });
});
