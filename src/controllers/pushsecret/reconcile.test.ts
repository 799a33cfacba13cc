import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryKube } from '../../../test/support/memory-kube.ts';
import type { AnySecretStore, PushSecretData, StoreKind } from '../../api/types.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { Resources, type KubeObject } from '../../kube/types.ts';
import {
  ProviderError,
  type Provider,
  type PushSource,
  type SecretsClient,
} from '../../providers/provider.ts';
import { ProviderRegistry } from '../../providers/registry.ts';
import { TerminalError } from '../../runtime/manager.ts';
import { goTemplateEngine } from '../../sync/index.ts';
import { silentLogger } from '../../telemetry/logger.ts';
import { EsoResources } from '../kinds.ts';
import { PUSH_SECRET_FINALIZER, PushSecretReconciler, type PushSecretObject } from './reconcile.ts';

const CANARY = 'canary-push-value-7f3a';
const decoder = new TextDecoder();

/** A provider whose remote side is a map; `foreign` keys were not written by us. */
function remoteProvider() {
  const remote = new Map<string, string>();
  const foreign = new Set<string>();
  const calls: string[] = [];
  const sources: PushSource[] = [];
  const client: SecretsClient = {
    getSecret: () => Promise.reject(new Error('unused')),
    getSecretMap: () => Promise.reject(new Error('unused')),
    getAllSecrets: () => Promise.reject(new Error('unused')),
    pushSecret(source: PushSource, data: PushSecretData) {
      const key = data.match.remoteRef.remoteKey;
      calls.push(`push ${key}`);
      sources.push(source);
      if (foreign.has(key))
        return Promise.reject(new ProviderError('secret not managed by external-secrets'));
      const value = data.match.secretKey
        ? decoder.decode(source.data.get(data.match.secretKey))
        : JSON.stringify(
            Object.fromEntries([...source.data].map(([k, v]) => [k, decoder.decode(v)])),
          );
      remote.set(key, value);
      return Promise.resolve();
    },
    deleteSecret(ref) {
      calls.push(`delete ${ref.remoteKey}`);
      if (!foreign.has(ref.remoteKey)) remote.delete(ref.remoteKey);
      return Promise.resolve();
    },
    secretExists: (ref) => Promise.resolve(remote.has(ref.remoteKey)),
    validate: () => Promise.resolve('Ready'),
    close: () => Promise.resolve(),
  };
  const provider: Provider = {
    key: 'fake',
    capabilities: () => 'ReadWrite',
    validateStore: () => [],
    newClient: () => Promise.resolve(client),
  };
  return { remote, foreign, calls, sources, registry: new ProviderRegistry().register(provider) };
}

function harness(spec: Partial<PushSecretObject['spec']> = {}) {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  const kube = new MemoryKube();
  const ns = 'n';
  kube.objects.set(`secrets/${ns}/source`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'source', namespace: ns },
    data: { password: Buffer.from(CANARY).toString('base64') },
  } as KubeObject);
  const ps: PushSecretObject = {
    apiVersion: 'external-secrets.io/v1alpha1',
    kind: 'PushSecret',
    metadata: { name: 'push', namespace: ns, uid: 'u1', generation: 1, resourceVersion: '1' },
    spec: {
      refreshInterval: '1m',
      secretStoreRefs: [{ name: 'store', kind: 'SecretStore' }],
      selector: { secret: { name: 'source' } },
      data: [{ match: { secretKey: 'password', remoteRef: { remoteKey: 'app/db' } } }],
      deletionPolicy: 'Delete',
      ...spec,
    },
  };
  kube.objects.set(`pushsecrets/${ns}/push`, ps);
  const stores: AnySecretStore[] = [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'store', namespace: ns, labels: { team: 'a' } },
      spec: { provider: { fake: { data: [] } } },
    },
  ];
  const events: string[] = [];
  const provider = remoteProvider();
  const reconciler = new PushSecretReconciler({
    client: kube.client(),
    pushSecrets: {
      getByRef: (ref) =>
        kube.objects.get(`pushsecrets/${ref.namespace ?? ''}/${ref.name}`) as
          PushSecretObject | undefined,
    },
    stores: {
      get: (kind: StoreKind, namespace: string, name: string) =>
        stores.find(
          (s) =>
            s.kind === kind &&
            s.metadata.name === name &&
            (kind === 'ClusterSecretStore' || s.metadata.namespace === namespace),
        ),
      list: (kind: StoreKind, namespace: string) =>
        stores.filter(
          (s) =>
            s.kind === kind &&
            (kind === 'ClusterSecretStore' || s.metadata.namespace === namespace),
        ),
    },
    registry: provider.registry,
    engine: goTemplateEngine(),
    kube: {} as never,
    recorder: {
      event: (_o: KubeObject, type: string, reason: string, message: string) => {
        events.push(`${type}/${reason}: ${message}`);
        return Promise.resolve();
      },
    } as unknown as EventRecorder,
    clock,
    logger: silentLogger(),
    fetch: globalThis.fetch,
  });
  const current = () => kube.objects.get(`pushsecrets/${ns}/push`) as PushSecretObject | undefined;
  return {
    kube,
    stores,
    events,
    ...provider,
    reconciler,
    current,
    ready: () => current()?.status?.conditions?.find((c) => c.type === 'Ready'),
    edit(change: (p: PushSecretObject) => void) {
      const p = current();
      assert.ok(p);
      change(p);
      p.metadata.generation = (p.metadata.generation ?? 0) + 1;
    },
    setSource(value: string) {
      const s = kube.objects.get(`secrets/${ns}/source`) as KubeObject & {
        data: Record<string, string>;
      };
      s.data['password'] = Buffer.from(value).toString('base64');
    },
    advance: (ms: number) => (now += ms),
  };
}

const request = { namespace: 'n', name: 'push' };

function noCanary(h: ReturnType<typeof harness>): void {
  const seen = JSON.stringify([h.events, h.current()?.status]);
  assert.ok(!seen.includes(CANARY), 'the source value leaked into status or events');
}

describe('PushSecretReconciler', () => {
  it('pushes the key, records it in syncedPushSecrets and adds the Delete finalizer', async () => {
    const h = harness();
    const result = await h.reconciler.reconcile(request);
    assert.equal(result?.requeueAfter, 60_000);
    assert.equal(h.remote.get('app/db'), CANARY);
    const ps = h.current();
    assert.ok(ps?.status);
    assert.deepEqual(ps.metadata.finalizers, [PUSH_SECRET_FINALIZER]);
    assert.deepEqual(Object.keys(ps.status.syncedPushSecrets?.['SecretStore/store'] ?? {}), [
      'app/db',
    ]);
    assert.equal(h.ready()?.status, 'True');
    assert.equal(h.ready()?.reason, 'Synced');
    assert.equal(h.ready()?.message, 'PushSecret synced successfully');
    assert.match(ps.status.syncedResourceVersion ?? '', /^1-/);
    assert.deepEqual(h.events, ['Normal/Synced: PushSecret synced successfully']);
    noCanary(h);
  });

  it('skips before the interval, then an unchanged refresh pushes again without API writes', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    h.kube.writes.length = 0;
    h.calls.length = 0;
    h.advance(10_000);
    const skipped = await h.reconciler.reconcile(request);
    assert.equal(skipped?.requeueAfter, 55_000);
    assert.deepEqual(h.calls, []);
    h.advance(61_000);
    const again = await h.reconciler.reconcile(request);
    assert.equal(again?.requeueAfter, 60_000);
    assert.deepEqual(h.calls, ['push app/db']);
    assert.deepEqual(h.kube.writes, []);
    assert.equal(h.events.length, 1);
  });

  it('pushes a changed source value at the next refresh', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    h.setSource('rotated-value');
    h.advance(61_000);
    await h.reconciler.reconcile(request);
    assert.equal(h.remote.get('app/db'), 'rotated-value');
  });

  it('reports a refused push as Errored without the value and retries with backoff', async () => {
    const h = harness();
    h.foreign.add('app/db');
    await assert.rejects(h.reconciler.reconcile(request), (e: Error) => {
      assert.ok(!(e instanceof TerminalError));
      return true;
    });
    assert.equal(h.ready()?.status, 'False');
    assert.equal(h.ready()?.reason, 'Errored');
    assert.equal(
      h.ready()?.message,
      'set secret failed: could not write remote ref password to target secretstore store: secret not managed by external-secrets',
    );
    assert.ok(h.events.some((e) => e.startsWith('Warning/Errored: set secret failed')));
    noCanary(h);
    h.kube.writes.length = 0;
    await assert.rejects(h.reconciler.reconcile(request));
    assert.deepEqual(h.kube.writes, [], 'the same failure again writes nothing');
  });

  it('deletes the remote secret of an entry removed from the spec (deletionPolicy Delete)', async () => {
    const h = harness({
      data: [
        { match: { secretKey: 'password', remoteRef: { remoteKey: 'app/db' } } },
        { match: { secretKey: 'password', remoteRef: { remoteKey: 'app/copy' } } },
      ],
    });
    await h.reconciler.reconcile(request);
    assert.ok(h.remote.has('app/copy'));
    h.edit((p) => (p.spec.data = p.spec.data?.slice(0, 1)));
    await h.reconciler.reconcile(request);
    assert.ok(!h.remote.has('app/copy'));
    assert.ok(h.remote.has('app/db'));
    assert.deepEqual(
      Object.keys(h.current()?.status?.syncedPushSecrets?.['SecretStore/store'] ?? {}),
      ['app/db'],
    );
  });

  it('keeps remote secrets of removed entries with deletionPolicy None and adds no finalizer', async () => {
    const h = harness({ deletionPolicy: 'None' });
    await h.reconciler.reconcile(request);
    assert.equal(h.current()?.metadata.finalizers, undefined);
    h.edit(
      (p) =>
        (p.spec.data = [{ match: { secretKey: 'password', remoteRef: { remoteKey: 'other' } } }]),
    );
    await h.reconciler.reconcile(request);
    assert.ok(h.remote.has('app/db'));
    assert.ok(h.remote.has('other'));
  });

  it('deletes every pushed secret when the PushSecret is deleted, then drops the finalizer', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    await h.kube.client().delete(EsoResources.PushSecret, request);
    assert.ok(h.current()?.metadata.deletionTimestamp);
    await h.reconciler.reconcile(request);
    assert.ok(!h.remote.has('app/db'));
    assert.equal(h.current(), undefined, 'the object is gone once the finalizer is removed');
  });

  it('lets a deleted PushSecret go when its store no longer exists, with a warning', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    h.stores.length = 0;
    await h.kube.client().delete(EsoResources.PushSecret, request);
    await h.reconciler.reconcile(request);
    assert.equal(h.current(), undefined, 'the finalizer was released');
    assert.ok(h.remote.has('app/db'), 'nothing could be deleted from a store that is gone');
    assert.ok(
      h.events.includes(
        'Warning/Errored: store SecretStore/store no longer exists: the secrets pushed to it were not deleted',
      ),
    );
  });

  it('cleans up the providers when the named source Secret is deleted (SourceDeleted)', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    await h.kube.client().delete(Resources.Secret, { namespace: 'n', name: 'source' });
    h.advance(61_000);
    assert.equal(await h.reconciler.reconcile(request), undefined);
    assert.ok(!h.remote.has('app/db'));
    assert.equal(h.ready()?.reason, 'SourceDeleted');
    assert.deepEqual(h.current()?.status?.syncedPushSecrets, {});
  });

  it('leaves existing remote secrets alone with updatePolicy IfNotExists', async () => {
    const h = harness({ updatePolicy: 'IfNotExists' });
    h.remote.set('app/db', 'already-there');
    await h.reconciler.reconcile(request);
    assert.equal(h.remote.get('app/db'), 'already-there');
    assert.equal(
      h.ready()?.message,
      'PushSecret synced successfully. Existing secrets in providers unchanged.',
    );
  });

  it('pushes a rendered template key', async () => {
    const h = harness({
      template: { data: { dsn: 'postgres://app:{{ .password }}@db' } },
      data: [{ match: { secretKey: 'dsn', remoteRef: { remoteKey: 'app/dsn' } } }],
    });
    await h.reconciler.reconcile(request);
    assert.equal(h.remote.get('app/dsn'), `postgres://app:${CANARY}@db`);
  });

  it('hands the provider the source metadata with the template type and labels merged in', async () => {
    const h = harness({
      template: {
        type: 'kubernetes.io/basic-auth',
        metadata: { labels: { team: '{{ "a" | upper }}' } },
      },
    });
    const secret = h.kube.objects.get('secrets/n/source');
    assert.ok(secret);
    secret.metadata.labels = { origin: 'src' };
    await h.reconciler.reconcile(request);
    const pushed = h.sources[0];
    assert.equal(pushed?.type, 'kubernetes.io/basic-auth');
    assert.deepEqual(pushed.labels, { origin: 'src', team: 'A' });
  });

  it('reports generatorRef as not supported and does not retry', async () => {
    const h = harness({
      selector: { generatorRef: { kind: 'Password', name: 'gen' } },
    });
    await assert.rejects(h.reconciler.reconcile(request), TerminalError);
    assert.match(h.ready()?.message ?? '', /generatorRef is not supported by Ferry/);
  });

  it('reports a missing store with ESO wording', async () => {
    const h = harness({ secretStoreRefs: [{ name: 'missing', kind: 'SecretStore' }] });
    await assert.rejects(h.reconciler.reconcile(request));
    assert.equal(
      h.ready()?.message,
      'could not get SecretStore "missing", secretstores.external-secrets.io "missing" not found',
    );
  });

  it('pushes to every store a label selector picks and expands dataTo per key', async () => {
    const h = harness({
      secretStoreRefs: [{ labelSelector: { matchLabels: { team: 'a' } }, kind: 'SecretStore' }],
      data: [],
      dataTo: [
        {
          storeRef: { labelSelector: { matchLabels: { team: 'a' } } },
          rewrite: [{ regexp: { source: '^(.*)$', target: 'bulk/$1' } }],
        },
      ],
    });
    await h.reconciler.reconcile(request);
    assert.equal(h.remote.get('bulk/password'), CANARY);
  });

  it('pushes from every Secret a label selector picks (last one wins per remote key)', async () => {
    const h = harness({
      selector: { secret: { selector: { matchLabels: { push: 'yes' } } } },
      data: [{ match: { secretKey: 'password', remoteRef: { remoteKey: 'app/db' } } }],
    });
    const sources: [string, string][] = [
      ['b-source', 'from-b'],
      ['a-source', 'from-a'],
    ];
    for (const [name, value] of sources)
      h.kube.objects.set(`secrets/n/${name}`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'n', labels: { push: 'yes' } },
        data: { password: Buffer.from(value).toString('base64') },
      } as KubeObject);
    await h.reconciler.reconcile(request);
    assert.deepEqual(h.calls, ['push app/db', 'push app/db']);
    assert.equal(h.remote.get('app/db'), 'from-b');
  });

  it('leaves a PushSecret whose stores belong to another controller class untouched', async () => {
    const h = harness();
    const store = h.stores[0];
    assert.ok(store);
    store.spec.controller = 'other';
    assert.equal(await h.reconciler.reconcile(request), undefined);
    assert.deepEqual(h.kube.writes, []);
    assert.deepEqual(h.calls, []);
  });
});
