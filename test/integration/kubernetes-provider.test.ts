/**
 * The kubernetes provider against the real API server: each auth method the server supports
 * (a TokenRequest token in a Secret, the provider's own TokenRequest for a ServiceAccount, an
 * inline kubeconfig), RBAC that denies, ESO's value shapes (whole Secret as JSON, property,
 * `key.path`, metadata Fetch, extract, find by name and by labels), PushSecret and DeleteSecret.
 * Client-certificate auth uses a certificate signed by the test API server's client CA
 * (`--client-ca-file`); cert-auth.test.ts covers the TLS details against an in-process server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { AnySecretStore } from '../../src/api/types.ts';
import {
  NoSecretError,
  ProviderError,
  StoreConfigError,
  type SecretsClient,
} from '../../src/providers/provider.ts';
import { createKubernetesProvider } from '../../src/providers/kubernetes/provider.ts';
import { ServiceAccountTokenCache } from '../../src/providers/kubernetes/service-account-tokens.ts';
import {
  admin,
  caBundle,
  decoded,
  env,
  getSecret,
  grantSecrets,
  kubernetesStore,
  operatorContext,
  putSecret,
  remoteFixture,
  text,
  tokenStore,
  untilReadable,
  type RemoteFixture,
} from './kubernetes-support.ts';
import { Resources } from '../../src/kube/types.ts';
import { createTestCa, loadTestCa } from '../support/pki.ts';
import { eventually, uniqueName } from '../support/kube.ts';

const provider = createKubernetesProvider();
const canary = 'canary-9f2c1e-value';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function neverLeaks(error: unknown): true {
  const cause = (error as Error).cause;
  const all = `${String(error)} ${cause instanceof Error ? cause.message : ''}`;
  assert.ok(!all.includes(canary), 'a Secret value reached an error message');
  return true;
}

describe('kubernetes provider: reading with a token (TokenRequest token in a Secret)', () => {
  let fx: RemoteFixture;
  let client: SecretsClient;

  before(async () => {
    fx = await remoteFixture(['get', 'list']);
    await putSecret(fx.remote, 'db', {
      data: {
        username: 'app',
        password: canary,
        'file.png': 'png-bytes',
        cfg: '{"nested":{"port":5432},"host":"db.local"}',
        html: '<a&b>',
      },
      labels: { team: 'payments', tier: 'db' },
      annotations: { owner: '{"name":"ops"}' },
    });
    await putSecret(fx.remote, 'binary', {
      data: { raw: new Uint8Array([0x61, 0xff, 0xe2, 0x82]) },
    });
    await putSecret(fx.remote, 'api-one', { data: { k: '1' }, labels: { team: 'payments' } });
    await putSecret(fx.remote, 'api-two', { data: { k: '2' }, labels: { team: 'search' } });
    client = await provider.newClient(tokenStore(fx), fx.context);
    await untilReadable(() => client.getSecret({ key: 'db', property: 'username' }));
  });
  after(() => fx.cleanup());

  it('validate is Ready when RBAC grants get on the remote Secrets', async () => {
    assert.equal(await client.validate(), 'Ready');
  });

  it('no property returns the whole data map as Go JSON of strings, HTML unescaped', async () => {
    assert.equal(
      text(await client.getSecret({ key: 'db' })),
      `{"cfg":"{\\"nested\\":{\\"port\\":5432},\\"host\\":\\"db.local\\"}","file.png":"png-bytes","html":"<a&b>","password":"${canary}","username":"app"}`,
    );
  });

  it('invalid UTF-8 becomes one U+FFFD per bad byte, as Go writes it', async () => {
    assert.equal(text(await client.getSecret({ key: 'binary' })), '{"raw":"a\ufffd\ufffd\ufffd"}');
  });

  it('property: a key with a dot wins, else key.gjsonPath', async () => {
    assert.equal(text(await client.getSecret({ key: 'db', property: 'file.png' })), 'png-bytes');
    assert.equal(text(await client.getSecret({ key: 'db', property: 'cfg.nested.port' })), '5432');
    assert.equal(text(await client.getSecret({ key: 'db', property: 'cfg.host' })), 'db.local');
  });

  it('property values are the stored bytes', async () => {
    const raw = await client.getSecret({ key: 'binary', property: 'raw' });
    assert.deepEqual([...raw], [0x61, 0xff, 0xe2, 0x82]);
  });

  it('a missing property names the property and the Secret', async () => {
    await assert.rejects(
      client.getSecret({ key: 'db', property: 'nope' }),
      (e: Error) =>
        e instanceof ProviderError &&
        e.message === 'property nope does not exist in data of secret "db"' &&
        neverLeaks(e),
    );
  });

  it('a missing Secret is NoSecretError for getSecret and extract', async () => {
    await assert.rejects(client.getSecret({ key: 'absent' }), NoSecretError);
    await assert.rejects(client.getSecretMap({ key: 'absent' }), NoSecretError);
  });

  it('metadataPolicy Fetch reads labels and annotations', async () => {
    const fetch = { key: 'db', metadataPolicy: 'Fetch' as const };
    assert.equal(
      text(await client.getSecret(fetch)),
      '{"annotations":{"owner":"{\\"name\\":\\"ops\\"}"},"labels":{"team":"payments","tier":"db"}}',
    );
    assert.equal(text(await client.getSecret({ ...fetch, property: 'labels.team' })), 'payments');
    assert.equal(
      text(await client.getSecret({ ...fetch, property: 'annotations.owner.name' })),
      'ops',
    );
    const map = await client.getSecretMap(fetch);
    assert.equal(text(map.get('labels') ?? enc('')), '{"team":"payments","tier":"db"}');
  });

  it('extract returns the data map; with a property, the JSON members as Go JSON', async () => {
    const all = await client.getSecretMap({ key: 'db' });
    assert.deepEqual([...all.keys()].sort(), ['cfg', 'file.png', 'html', 'password', 'username']);
    assert.equal(text(all.get('password') ?? enc('')), canary);
    const cfg = await client.getSecretMap({ key: 'db', property: 'cfg' });
    assert.deepEqual(Object.fromEntries([...cfg].map(([k, v]) => [k, text(v)])), {
      host: '"db.local"',
      nested: '{"port":5432}',
    });
  });

  it('find by name regexp returns each Secret as JSON', async () => {
    const found = await client.getAllSecrets({ name: { regexp: '^api-' } });
    assert.deepEqual(Object.fromEntries([...found].map(([k, v]) => [k, text(v)])), {
      'api-one': '{"k":"1"}',
      'api-two': '{"k":"2"}',
    });
  });

  it('find by tags selects by labels and wins over name', async () => {
    const found = await client.getAllSecrets({
      tags: { team: 'payments' },
      name: { regexp: 'two' },
    });
    assert.deepEqual([...found.keys()].sort(), ['api-one', 'db']);
  });

  it('a bad tag is a configuration error naming the tag', async () => {
    await assert.rejects(
      client.getAllSecrets({ tags: { 'bad key!': 'x' } }),
      (e: Error) => e instanceof StoreConfigError && /key "bad key!"/.test(e.message),
    );
  });

  it('a read-only identity cannot push: the API server says forbidden', async () => {
    await assert.rejects(
      client.pushSecret(
        { data: new Map([['a', enc(canary)]]) },
        { match: { remoteRef: { remoteKey: 'pushed' } } },
      ),
      (e: Error) =>
        e instanceof ProviderError &&
        /cannot create Secret .*forbidden/.test(e.message) &&
        neverLeaks(e),
    );
  });
});

describe('kubernetes provider: RBAC that denies', () => {
  let fx: RemoteFixture;
  let client: SecretsClient;

  before(async () => {
    fx = await remoteFixture([]);
    await putSecret(fx.remote, 'db', { data: { password: canary } });
    client = await provider.newClient(tokenStore(fx), fx.context);
  });
  after(() => fx.cleanup());

  it('getSecret fails with the forbidden reason and no value', async () => {
    await assert.rejects(
      client.getSecret({ key: 'db' }),
      (e: Error) =>
        e instanceof ProviderError &&
        e.details.status === 403 &&
        e.message.includes(`cannot get Secret ${fx.remote}/db`) &&
        e.message.includes(`system:serviceaccount:${fx.apps}:${fx.serviceAccount}`) &&
        e.message.includes('cannot get resource "secrets"') &&
        neverLeaks(e),
    );
  });

  it('validate fails: the reviews find no get on secrets', async () => {
    await assert.rejects(
      client.validate(),
      (e: Error) =>
        e instanceof ProviderError && /client is not allowed to get secrets/.test(e.message),
    );
  });

  it('find by name fails with the list denial', async () => {
    await assert.rejects(client.getAllSecrets({ name: { regexp: '.' } }), (e: Error) =>
      /unable to list secrets in namespace .*forbidden/.test(e.message),
    );
  });
});

describe('kubernetes provider: serviceAccount auth (the provider asks TokenRequest)', () => {
  let fx: RemoteFixture;

  before(async () => {
    fx = await remoteFixture(['get', 'list']);
    await putSecret(fx.remote, 'db', { data: { password: 'from-sa' } });
  });
  after(() => fx.cleanup());

  const saStore = (audiences?: string[]): AnySecretStore =>
    kubernetesStore(fx.apps, {
      server: { url: env.kubeServer, caBundle },
      auth: { serviceAccount: { name: fx.serviceAccount, ...(audiences ? { audiences } : {}) } },
      remoteNamespace: fx.remote,
    });

  it('reads as the ServiceAccount', async () => {
    const client = await provider.newClient(saStore(), fx.context);
    await untilReadable(() => client.getSecret({ key: 'db' }));
    assert.equal(text(await client.getSecret({ key: 'db', property: 'password' })), 'from-sa');
    assert.equal(await client.validate(), 'Ready');
  });

  it('a token for another audience is rejected by the API server (401)', async () => {
    const client = await provider.newClient(saStore(['not-this-apiserver']), fx.context);
    await assert.rejects(
      client.getSecret({ key: 'db' }),
      (e: Error) => e instanceof ProviderError && e.details.status === 401,
    );
  });

  it('a missing ServiceAccount fails while preparing auth', async () => {
    const store = kubernetesStore(fx.apps, {
      server: { url: env.kubeServer, caBundle },
      auth: { serviceAccount: { name: 'no-such-sa' } },
      remoteNamespace: fx.remote,
    });
    await assert.rejects(provider.newClient(store, fx.context), (e: Error) =>
      /^failed to prepare auth: could not fetch Auth.ServiceAccount: cannot create service account token: .*no-such-sa/.test(
        e.message,
      ),
    );
  });

  it('with a token cache: one TokenRequest for many reconciles; a recreated ServiceAccount costs one 401', async () => {
    const cached = createKubernetesProvider({
      serviceAccountTokens: new ServiceAccountTokenCache({ clock: { now: () => Date.now() } }),
    });
    let minted = 0;
    const kube = fx.context.kube;
    const context = {
      ...fx.context,
      kube: {
        ...kube,
        createServiceAccountToken: (ref: Parameters<typeof kube.createServiceAccountToken>[0]) => {
          minted++;
          return kube.createServiceAccountToken(ref);
        },
      },
    };
    const read = async () =>
      text(
        await (
          await cached.newClient(saStore(), context)
        ).getSecret({
          key: 'db',
          property: 'password',
        }),
      );
    for (let i = 0; i < 3; i++) assert.equal(await read(), 'from-sa');
    assert.equal(minted, 1);
    // A new ServiceAccount of the same name has a new uid: the cached token no longer authenticates.
    await admin.delete(Resources.ServiceAccount, { namespace: fx.apps, name: fx.serviceAccount });
    await admin.create(Resources.ServiceAccount, {
      metadata: { name: fx.serviceAccount, namespace: fx.apps },
    });
    // The API server caches token authentications for a few seconds: poll until it refuses.
    await eventually('the old token refused with 401', async () => {
      try {
        await read();
        return undefined;
      } catch (e) {
        if (e instanceof ProviderError && e.details.status === 401) return true;
        throw e;
      }
    });
    assert.equal(minted, 1);
    await untilReadable(read);
    assert.equal(await read(), 'from-sa');
    assert.equal(minted, 2, 'the 401 dropped the token; one new TokenRequest');
  });

  it('a referent ClusterSecretStore validates as Unknown without a namespace', async () => {
    const store: AnySecretStore = {
      ...saStore(),
      kind: 'ClusterSecretStore',
      metadata: { name: 'referent' },
    };
    const client = await provider.newClient(store, operatorContext(''));
    assert.equal(await client.validate(), 'Unknown');
    await assert.rejects(client.getSecret({ key: 'db' }), StoreConfigError);
    // From an ExternalSecret's namespace the same store reads as that namespace's ServiceAccount.
    const used = await provider.newClient(store, operatorContext(fx.apps));
    assert.equal(text(await used.getSecret({ key: 'db', property: 'password' })), 'from-sa');
  });
});

describe('kubernetes provider: client certificate auth (the API server trusts the test client CA)', () => {
  let fx: RemoteFixture;
  const user = uniqueName('ferry-cert-user');

  const certStore = (secret: string): AnySecretStore =>
    kubernetesStore(fx.apps, {
      server: { url: env.kubeServer, caBundle },
      auth: {
        cert: {
          clientCert: { name: secret, key: 'tls.crt' },
          clientKey: { name: secret, key: 'tls.key' },
        },
      },
      remoteNamespace: fx.remote,
    });

  before(async () => {
    fx = await remoteFixture([]);
    await grantSecrets(fx.remote, { kind: 'User', name: user }, ['get', 'list']);
    await putSecret(fx.remote, 'db', { data: { password: canary } });
    const trusted = loadTestCa(
      readFileSync(env.kubeClientCaFile, 'utf8'),
      readFileSync(env.kubeClientCaKeyFile, 'utf8'),
    ).issue({ commonName: user });
    await putSecret(fx.apps, 'trusted-cert', {
      data: { 'tls.crt': trusted.cert, 'tls.key': trusted.key },
    });
    const stranger = createTestCa('not-trusted').issue({ commonName: user });
    await putSecret(fx.apps, 'stranger-cert', {
      data: { 'tls.crt': stranger.cert, 'tls.key': stranger.key },
    });
  });
  after(() => fx.cleanup());

  it('reads as the user the certificate names, and validates Ready', async () => {
    const client = await provider.newClient(certStore('trusted-cert'), fx.context);
    await untilReadable(() => client.getSecret({ key: 'db' }));
    assert.equal(text(await client.getSecret({ key: 'db', property: 'password' })), canary);
    assert.equal(await client.validate(), 'Ready');
  });

  it('a certificate from a CA the API server does not trust is refused (401), no value leaks', async () => {
    const client = await provider.newClient(certStore('stranger-cert'), fx.context);
    await assert.rejects(
      client.getSecret({ key: 'db', property: 'password' }),
      (e: Error) => e instanceof ProviderError && e.details.status === 401 && neverLeaks(e),
    );
  });
});

describe('kubernetes provider: authRef (a kubeconfig in a Secret)', () => {
  let fx: RemoteFixture;

  before(async () => {
    fx = await remoteFixture(['get']);
    await putSecret(fx.remote, 'db', { data: { password: 'via-kubeconfig' } });
  });
  after(() => fx.cleanup());

  async function kubeconfigStore(user: string): Promise<AnySecretStore> {
    const token = decoded(await getSecret(fx.apps, fx.tokenSecret)).token ?? '';
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: remote\n  cluster:\n    server: ${env.kubeServer}\n    certificate-authority-data: ${caBundle}`,
      'users:',
      `- name: reader\n  user:\n${user.replace('TOKEN', token)}`,
      'contexts:',
      '- name: remote\n  context: {cluster: remote, user: reader}',
      'current-context: remote',
    ].join('\n');
    const name = `kubeconfig-${String(Math.random()).slice(2, 8)}`;
    await putSecret(fx.apps, name, { data: { config: kubeconfig } });
    return kubernetesStore(fx.apps, {
      authRef: { name, key: 'config' },
      remoteNamespace: fx.remote,
    });
  }

  it('reads with the kubeconfig identity', async () => {
    const client = await provider.newClient(await kubeconfigStore('    token: TOKEN'), fx.context);
    await untilReadable(() => client.getSecret({ key: 'db' }));
    assert.equal(
      text(await client.getSecret({ key: 'db', property: 'password' })),
      'via-kubeconfig',
    );
  });

  it('refuses exec plugins and file references', async () => {
    const exec = await kubeconfigStore(
      '    exec:\n      command: /bin/sh\n      apiVersion: client.authentication.k8s.io/v1',
    );
    await assert.rejects(
      provider.newClient(exec, fx.context),
      (e: Error) => e instanceof StoreConfigError && /uses users\[\]\.user\.exec/.test(e.message),
    );
    const file = await kubeconfigStore('    token-file: /etc/passwd');
    await assert.rejects(provider.newClient(file, fx.context), /uses users\[\]\.user\.token-file/);
  });
});

describe('kubernetes provider: PushSecret and DeleteSecret', () => {
  let fx: RemoteFixture;
  let client: SecretsClient;
  const source = {
    data: new Map([
      ['user', enc('app')],
      ['pass', enc(canary)],
    ]),
    type: 'Opaque',
    labels: { app: 'web' },
    annotations: { note: 'from-source' },
  };

  before(async () => {
    fx = await remoteFixture(['get', 'list', 'create', 'update', 'delete']);
    client = await provider.newClient(tokenStore(fx), fx.context);
    await untilReadable(() => client.secretExists({ remoteKey: 'x' }));
  });
  after(() => fx.cleanup());

  it('no property pushes the whole source, with its labels and annotations', async () => {
    await client.pushSecret(source, { match: { remoteRef: { remoteKey: 'whole' } } });
    const pushed = await getSecret(fx.remote, 'whole');
    assert.ok(pushed);
    assert.deepEqual(decoded(pushed), { user: 'app', pass: canary });
    assert.equal(pushed.metadata.labels?.app, 'web');
    assert.equal(pushed.metadata.annotations?.note, 'from-source');
  });

  it('a property receives one key and keeps the other remote keys; unchanged pushes write nothing', async () => {
    await putSecret(fx.remote, 'shared', { data: { other: 'kept' }, labels: { remote: 'yes' } });
    const data = {
      match: { secretKey: 'pass', remoteRef: { remoteKey: 'shared', property: 'p' } },
    };
    await client.pushSecret(source, data);
    const first = await getSecret(fx.remote, 'shared');
    assert.ok(first);
    assert.deepEqual(decoded(first), { other: 'kept', p: canary });
    assert.deepEqual(first.metadata.labels, { remote: 'yes', app: 'web' });
    await client.pushSecret(source, data);
    const second = await getSecret(fx.remote, 'shared');
    assert.equal(second?.metadata.resourceVersion, first.metadata.resourceVersion);
  });

  it('a property without secretKey receives the whole source as JSON', async () => {
    await client.pushSecret(source, {
      match: { remoteRef: { remoteKey: 'json', property: 'all' } },
    });
    assert.equal(
      decoded(await getSecret(fx.remote, 'json')).all,
      `{"pass":"${canary}","user":"app"}`,
    );
  });

  it('PushSecretMetadata replaces labels; remoteNamespace needs a ClusterSecretStore', async () => {
    const metadata = {
      apiVersion: 'kubernetes.external-secrets.io/v1alpha1',
      kind: 'PushSecretMetadata',
      spec: { sourceMergePolicy: 'Replace', labels: { only: 'this' } },
    };
    await client.pushSecret(source, { match: { remoteRef: { remoteKey: 'meta' } }, metadata });
    const pushed = await getSecret(fx.remote, 'meta');
    assert.deepEqual(pushed?.metadata.labels, { only: 'this' });
    await assert.rejects(
      client.pushSecret(source, {
        match: { remoteRef: { remoteKey: 'meta' } },
        metadata: { ...metadata, spec: { remoteNamespace: 'elsewhere' } },
      }),
      /remoteNamespace override is only supported with ClusterSecretStore/,
    );
  });

  it('a secretKey without a property is refused before any write', async () => {
    await assert.rejects(
      client.pushSecret(source, {
        match: { secretKey: 'pass', remoteRef: { remoteKey: 'nokey' } },
      }),
      /requires property in RemoteRef/,
    );
    assert.equal(await getSecret(fx.remote, 'nokey'), undefined);
  });

  it('deleteSecret removes a property, then the Secret with its last key; absent is fine', async () => {
    await putSecret(fx.remote, 'two-keys', { data: { a: '1', b: '2' } });
    await client.deleteSecret({ remoteKey: 'two-keys', property: 'a' });
    assert.deepEqual(decoded(await getSecret(fx.remote, 'two-keys')), { b: '2' });
    assert.equal(await client.secretExists({ remoteKey: 'two-keys', property: 'a' }), false);
    await client.deleteSecret({ remoteKey: 'two-keys', property: 'b' });
    assert.equal(await getSecret(fx.remote, 'two-keys'), undefined);
    await client.deleteSecret({ remoteKey: 'two-keys' });
    await client.deleteSecret({ remoteKey: 'whole' });
    assert.equal(
      await admin.get(Resources.Secret, { namespace: fx.remote, name: 'whole' }),
      undefined,
    );
  });
});
