import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AnySecretStore, VaultProvider } from '../../api/types.ts';
import { parseJson, type JsonObject } from '../../secretdata/gojson.ts';
import { StoreConfigError, type ProviderContext } from '../provider.ts';
import { planAuth, selectAuthMethod } from './auth/methods.ts';
import { credentialKey, validateVaultStore } from './provider.ts';
import { formatFloatF, secretValue } from './read.ts';

function store(vault: VaultProvider, kind: AnySecretStore['kind'] = 'SecretStore'): AnySecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: { name: 's', ...(kind === 'SecretStore' ? { namespace: 'team' } : {}) },
    spec: { provider: { vault } },
  };
}

function ctx(namespace = 'apps') {
  const reads: string[] = [];
  const tokenRequests: unknown[] = [];
  const quiet = () => undefined;
  const c: ProviderContext = {
    namespace,
    kube: {
      readSecretKey: (r) => {
        reads.push(`${r.namespace}/${r.name}/${r.key}`);
        return Promise.resolve(new TextEncoder().encode(` v-${r.key} `));
      },
      readConfigMapKey: () => Promise.reject(new Error('unused')),
      createServiceAccountToken: (r) => {
        tokenRequests.push(r);
        return Promise.resolve('sa-jwt');
      },
    },
    clock: { now: () => 0 },
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    fetch: () => Promise.reject(new Error('no network')),
  };
  return { c, reads, tokenRequests };
}

const S = 'http://127.0.0.1:8200';

describe('validateVaultStore', () => {
  const bad: [VaultProvider, RegExp][] = [
    [{ server: 'nope' }, /invalid server URL/],
    [
      { server: S, version: 'v1', checkAndSet: { required: true } },
      /checkAndSet is not supported with Vault KV version v1/,
    ],
    [
      { server: S, auth: { appRole: { path: 'approle', secretRef: { name: 'x', key: 'k' } } } },
      /neither `roleId` nor `roleRef` was supplied/,
    ],
    [{ server: S, auth: {} }, /no valid auth method specified/],
    [
      { server: S, auth: { cert: { clientCert: { name: 'c' } } } },
      /both ClientTLS.ClientCert and ClientTLS.SecretRef/,
    ],
    [
      { server: S, tls: { certSecretRef: { name: 'c' } } },
      /both tls.certSecretRef and tls.keySecretRef/,
    ],
    [
      { server: S, auth: { tokenSecretRef: { name: 't', key: 'k', namespace: 'other' } } },
      /namespace should either be empty or match/,
    ],
  ];
  for (const [spec, re] of bad) {
    it(`rejects ${re.source}`, () => {
      assert.throws(
        () => validateVaultStore(store(spec)),
        (e: Error) => e instanceof StoreConfigError && re.test(e.message),
      );
    });
  }
  it('accepts a good store and warns about plain http to a remote host and v1 without path', () => {
    assert.deepEqual(
      validateVaultStore(
        store({ server: S, path: 'secret', auth: { tokenSecretRef: { name: 't', key: 'k' } } }),
      ),
      [],
    );
    const w = validateVaultStore(store({ server: 'http://vault.example:8200', version: 'v1' }));
    assert.equal(w.length, 2);
  });
  it('a ClusterSecretStore may name other namespaces', () => {
    assert.deepEqual(
      validateVaultStore(
        store(
          {
            server: S,
            path: 'p',
            auth: { tokenSecretRef: { name: 't', key: 'k', namespace: 'x' } },
          },
          'ClusterSecretStore',
        ),
      ),
      [],
    );
  });
});

describe('auth plans', () => {
  it('follows ESO order when several methods are set', () => {
    assert.equal(
      selectAuthMethod({ jwt: { path: 'jwt' }, appRole: { path: 'a', secretRef: {} } }),
      'appRole',
    );
  });

  it('appRole trims roleId, resolves refs in the SecretStore namespace and defaults the mount', async () => {
    const { c, reads } = ctx();
    const plan = await planAuth({
      store: store({
        server: S,
        auth: {
          appRole: {
            path: '',
            roleRef: { name: 'r', key: 'id' },
            secretRef: { name: 's', key: 'sid' },
          },
        },
      }),
      spec: {
        server: S,
        auth: {
          appRole: {
            path: '',
            roleRef: { name: 'r', key: 'id' },
            secretRef: { name: 's', key: 'sid' },
          },
        },
      },
      context: c,
    });
    assert.deepEqual(plan, {
      kind: 'login',
      method: 'appRole',
      path: 'auth/approle/login',
      body: { role_id: 'v-id', secret_id: ' v-sid ' },
    });
    assert.deepEqual(reads, ['team/r/id', 'team/s/sid']);
  });

  it('a ClusterSecretStore resolves namespace-less refs in the ExternalSecret namespace', async () => {
    const { c, reads } = ctx('apps');
    const spec: VaultProvider = {
      server: S,
      auth: { userPass: { path: 'up', username: 'a b', secretRef: { name: 'p', key: 'pw' } } },
    };
    const plan = await planAuth({ store: store(spec, 'ClusterSecretStore'), spec, context: c });
    assert.equal(plan.kind === 'login' && plan.path, 'auth/up/login/a%20b');
    assert.deepEqual(reads, ['apps/p/pw']);
  });

  it('kubernetes auth: TokenRequest (600 s), secretRef key token, or the mounted token file', async () => {
    const { c, tokenRequests } = ctx();
    const k = (kubernetes: NonNullable<VaultProvider['auth']>['kubernetes']): VaultProvider => ({
      server: S,
      auth: { kubernetes },
    });
    const sa = k({
      mountPath: 'kubernetes',
      role: 'r',
      serviceAccountRef: { name: 'app', audiences: ['vault'] },
    });
    assert.deepEqual(await planAuth({ store: store(sa), spec: sa, context: c }), {
      kind: 'login',
      method: 'kubernetes',
      path: 'auth/kubernetes/login',
      body: { role: 'r', jwt: 'sa-jwt' },
    });
    assert.deepEqual(tokenRequests, [
      { namespace: 'team', name: 'app', audiences: ['vault'], expirationSeconds: 600 },
    ]);
    const sec = k({ mountPath: 'k8s', role: 'r', secretRef: { name: 'tok' } });
    const p2 = await planAuth({ store: store(sec), spec: sec, context: c });
    assert.equal(p2.kind === 'login' && (p2.body as { jwt: string }).jwt, ' v-token ');
    const dir = mkdtempSync(join(tmpdir(), 'ferry-sa-'));
    writeFileSync(join(dir, 'token'), 'file-jwt\n');
    const file = k({ mountPath: 'k8s', role: 'r' });
    const p3 = await planAuth({
      store: store(file),
      spec: file,
      context: c,
      serviceAccountTokenPath: join(dir, 'token'),
    });
    assert.equal(p3.kind === 'login' && (p3.body as { jwt: string }).jwt, 'file-jwt');
    await assert.rejects(
      planAuth({
        store: store(file),
        spec: file,
        context: c,
        serviceAccountTokenPath: join(dir, 'none'),
      }),
      /cannot read Kubernetes service account token from file system: ENOENT/,
    );
  });

  it('jwt with kubernetesServiceAccountToken defaults audiences to vault and 600 s', async () => {
    const { c, tokenRequests } = ctx();
    const spec: VaultProvider = {
      server: S,
      auth: {
        jwt: {
          path: '',
          role: 'r',
          kubernetesServiceAccountToken: { serviceAccountRef: { name: 'app' } },
        },
      },
    };
    const plan = await planAuth({ store: store(spec), spec, context: c });
    assert.equal(plan.kind === 'login' && plan.path, 'auth/jwt/login');
    assert.deepEqual(tokenRequests, [
      { namespace: 'team', name: 'app', audiences: ['vault'], expirationSeconds: 600 },
    ]);
  });

  it('cert auth posts the role name, or no body without vaultRole', async () => {
    const { c } = ctx();
    const spec: VaultProvider = { server: S, auth: { cert: { vaultRole: 'web' } } };
    assert.deepEqual(await planAuth({ store: store(spec), spec, context: c }), {
      kind: 'login',
      method: 'cert',
      path: 'auth/cert/login',
      body: { name: 'web' },
    });
  });
});

describe('credentialKey', () => {
  it('separates namespaces only for referent ClusterSecretStore auth', () => {
    const referent: VaultProvider = {
      server: S,
      auth: { appRole: { path: 'a', roleId: 'r', secretRef: { name: 's', key: 'k' } } },
    };
    const fixed: VaultProvider = {
      server: S,
      auth: {
        appRole: { path: 'a', roleId: 'r', secretRef: { name: 's', key: 'k', namespace: 'ops' } },
      },
    };
    const key = (spec: VaultProvider, ns: string) =>
      credentialKey(store(spec, 'ClusterSecretStore'), spec, ctx(ns).c);
    assert.notEqual(key(referent, 'a'), key(referent, 'b'));
    assert.equal(key(fixed, 'a'), key(fixed, 'b'));
  });
});

describe('value conversion', () => {
  it('formatFloatF matches strconv.FormatFloat(f, f, -1, 64)', () => {
    assert.equal(formatFloatF(1e21), '1000000000000000000000');
    assert.equal(formatFloatF(1.5e-7), '0.00000015');
    assert.equal(formatFloatF(2.1234534153423423), '2.1234534153423423');
    assert.equal(formatFloatF(-1.25e22), '-12500000000000000000000');
  });

  it('secretValue: exact key beats gjson; nil is empty; slices are JSON (ESO TestGetSecret)', () => {
    const data = parseJson(
      '{"nested.bar":"lit","nested":{"bar":"x","foo":"oke"},"nil":null,"list":["a","b"],"n":42}',
    ) as JsonObject;
    assert.equal(secretValue(data, 'nested.bar'), 'lit');
    assert.equal(secretValue(data, 'nested.foo'), 'oke');
    assert.equal(secretValue(data, 'nil'), '');
    assert.equal(secretValue(data, 'list'), '["a","b"]');
    assert.equal(secretValue(data, 'n'), '42');
    assert.throws(() => secretValue(data, 'nop.doesnt.exist'), {
      message: 'cannot find secret data for key: "nop.doesnt.exist"',
    });
  });
});
