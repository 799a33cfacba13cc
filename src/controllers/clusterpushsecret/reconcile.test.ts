import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryKube } from '../../../test/support/memory-kube.ts';
import type { AnySecretStore } from '../../api/types.ts';
import type { EventRecorder } from '../../kube/events.ts';
import type { KubeObject } from '../../kube/types.ts';
import { silentLogger } from '../../telemetry/logger.ts';
import type { ClusterPushSecretObject, PushSecretObject } from './desired.ts';
import { ClusterPushSecretReconciler, targetNamespaces } from './reconcile.ts';

function namespace(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function harness() {
  const kube = new MemoryKube();
  const namespaces = [
    namespace('a', { push: 'yes' }),
    namespace('b', { push: 'yes' }),
    namespace('c', { push: 'no' }),
  ];
  const cps: ClusterPushSecretObject = {
    apiVersion: 'external-secrets.io/v1alpha1',
    kind: 'ClusterPushSecret',
    metadata: { name: 'cps', uid: 'cps-uid', generation: 1 },
    spec: {
      refreshTime: '1m',
      namespaceSelectors: [{ matchLabels: { push: 'yes' } }],
      pushSecretMetadata: { labels: { team: 'x' } },
      pushSecretSpec: {
        secretStoreRefs: [{ name: 'store', kind: 'SecretStore' }],
        selector: { secret: { name: 'source' } },
        data: [{ match: { secretKey: 'k', remoteRef: { remoteKey: 'r' } } }],
      },
    },
  };
  kube.objects.set('clusterpushsecrets/cps', cps);
  const events: string[] = [];
  const clusterStores: AnySecretStore[] = [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'theirs' },
      spec: { controller: 'other', provider: { fake: { data: [] } } },
    },
  ];
  const reconciler = new ClusterPushSecretReconciler({
    client: kube.client(),
    clusterPushSecrets: {
      getByRef: (ref) =>
        kube.objects.get(`clusterpushsecrets/${ref.name}`) as ClusterPushSecretObject,
    },
    namespaces: { list: () => namespaces },
    clusterSecretStores: {
      getByRef: (ref) => clusterStores.find((c) => c.metadata.name === ref.name),
    },
    controllerClass: 'mine',
    recorder: {
      event: (_o: KubeObject, type: string, reason: string, message: string) => {
        events.push(`${type}/${reason}: ${message}`);
        return Promise.resolve();
      },
    } as unknown as EventRecorder,
    clock: { now: () => 0 },
    logger: silentLogger(),
  });
  const current = () => kube.objects.get('clusterpushsecrets/cps') as ClusterPushSecretObject;
  const pushSecret = (ns: string, name = 'cps') =>
    kube.objects.get(`pushsecrets/${ns}/${name}`) as PushSecretObject | undefined;
  return { kube, namespaces, reconciler, current, pushSecret, events };
}

const request = { name: 'cps' };

describe('ClusterPushSecretReconciler', () => {
  it('creates an owned PushSecret in each selected namespace and reports them', async () => {
    const h = harness();
    const result = await h.reconciler.reconcile(request);
    assert.equal(result?.requeueAfter, 60_000);
    const a = h.pushSecret('a');
    assert.ok(a);
    assert.deepEqual(a.metadata.labels, { team: 'x' });
    assert.deepEqual(a.metadata.ownerReferences, [
      {
        apiVersion: 'external-secrets.io/v1alpha1',
        kind: 'ClusterPushSecret',
        name: 'cps',
        uid: 'cps-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.equal(a.spec.data?.[0]?.match.remoteRef.remoteKey, 'r');
    assert.ok(h.pushSecret('b'));
    assert.equal(h.pushSecret('c'), undefined);
    const status = h.current().status;
    assert.ok(status);
    assert.deepEqual(status.provisionedNamespaces, ['a', 'b']);
    assert.equal(status.pushSecretName, 'cps');
    assert.deepEqual(status.conditions, [{ type: 'Ready', status: 'True' }]);
  });

  it('writes nothing when nothing changed', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    h.kube.writes.length = 0;
    await h.reconciler.reconcile(request);
    assert.deepEqual(h.kube.writes, []);
  });

  it('deletes the PushSecret of a namespace that stopped matching', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    const b = h.namespaces[1];
    assert.ok(b);
    b.metadata.labels = {};
    await h.reconciler.reconcile(request);
    assert.equal(h.pushSecret('b'), undefined);
    assert.deepEqual(h.current().status?.provisionedNamespaces, ['a']);
  });

  it('fails a namespace holding a PushSecret it does not own, and leaves that one alone', async () => {
    const h = harness();
    h.kube.objects.set('pushsecrets/a/cps', {
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'PushSecret',
      metadata: { name: 'cps', namespace: 'a', resourceVersion: '1' },
      spec: { secretStoreRefs: [], selector: { secret: { name: 'mine' } } },
    } as PushSecretObject);
    await h.reconciler.reconcile(request);
    assert.equal(h.pushSecret('a')?.spec.selector.secret?.name, 'mine');
    const status = h.current().status;
    assert.ok(status);
    assert.deepEqual(status.failedNamespaces, [
      { namespace: 'a', reason: 'push secret already exists in namespace' },
    ]);
    assert.deepEqual(status.conditions, [
      { type: 'Ready', status: 'False', message: 'one or more namespaces failed' },
    ]);
    assert.deepEqual(status.provisionedNamespaces, ['b']);
  });

  it('replaces PushSecrets when pushSecretName changes', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    h.current().spec.pushSecretName = 'renamed';
    await h.reconciler.reconcile(request);
    assert.equal(h.pushSecret('a'), undefined);
    assert.ok(h.pushSecret('a', 'renamed'));
    assert.equal(h.current().status?.pushSecretName, 'renamed');
  });

  it('keeps a PushSecret finalizer when updating its spec', async () => {
    const h = harness();
    await h.reconciler.reconcile(request);
    const a = h.pushSecret('a');
    assert.ok(a);
    a.metadata.finalizers = ['pushsecret.externalsecrets.io/finalizer'];
    h.current().spec.pushSecretSpec.deletionPolicy = 'Delete';
    await h.reconciler.reconcile(request);
    assert.equal(h.pushSecret('a')?.spec.deletionPolicy, 'Delete');
    assert.deepEqual(h.pushSecret('a')?.metadata.finalizers, [
      'pushsecret.externalsecrets.io/finalizer',
    ]);
  });

  it('leaves a ClusterPushSecret using only the stores of another controller class alone', async () => {
    const h = harness();
    h.current().spec.pushSecretSpec.secretStoreRefs = [
      { name: 'theirs', kind: 'ClusterSecretStore' },
    ];
    assert.equal(await h.reconciler.reconcile(request), undefined);
    assert.deepEqual(h.kube.writes, []);
  });

  it('selects namespaces matching any selector, once each', () => {
    const all = [namespace('x', { a: '1' }), namespace('y', { b: '1' }), namespace('z', {})];
    assert.deepEqual(
      targetNamespaces(all, [
        { matchLabels: { a: '1' } },
        { matchExpressions: [{ key: 'b', operator: 'Exists' }] },
        { matchLabels: { a: '1' } },
      ]),
      ['x', 'y'],
    );
    assert.deepEqual(targetNamespaces(all, undefined), []);
  });
});
