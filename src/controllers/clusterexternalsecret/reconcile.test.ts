import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnySecretStore } from '../../api/types.ts';
import type { KubeObject } from '../../kube/types.ts';
import { EsoResources } from '../kinds.ts';
import { TerminalError } from '../../runtime/manager.ts';
import { silentLogger } from '../../telemetry/logger.ts';
import { Registry } from 'prom-client';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { MemoryKube } from '../../../test/support/memory-kube.ts';
import { clusterExternalSecretMetrics } from './metrics.ts';
import type { ClusterExternalSecretObject, ExternalSecretObject } from './externalsecret.ts';
import { CES_FINALIZER, namespaceFinalizer } from './finalizers.ts';
import {
  ClusterExternalSecretReconciler,
  ProvisionConflictError,
  REASON_EXISTS,
} from './reconcile.ts';
import { namespaceMetadataOnly } from './targets.ts';

const CES_NAME = 'shared-db';
const NS_FINALIZER = namespaceFinalizer(CES_NAME);

function newCes(): ClusterExternalSecretObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterExternalSecret',
    metadata: { name: CES_NAME, uid: 'ces-uid' },
    spec: {
      externalSecretName: 'db',
      externalSecretMetadata: { labels: { team: 'a' }, annotations: { note: 'x' } },
      namespaceSelectors: [{ matchLabels: { ces: 'yes' } }],
      namespaces: ['by-name'],
      refreshTime: '1m',
      externalSecretSpec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'fake' },
        refreshInterval: '1h',
        data: [{ secretKey: 'PASSWORD', remoteRef: { key: 'db' } }],
      },
    },
  };
}

function harness() {
  const kube = new MemoryKube();
  const clock = new FakeClock();
  const registry = new Registry();
  const client = kube.client();
  const put = (plural: string, obj: KubeObject) =>
    kube.objects.set(
      `${plural}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name ?? ''}`,
      {
        ...obj,
        metadata: { resourceVersion: '1', ...obj.metadata },
      },
    );
  const namespace = (name: string, labels: Record<string, string> = {}) =>
    put('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: name, labels },
    });
  namespace('team-a', { ces: 'yes' });
  namespace('team-b', { ces: 'yes' });
  namespace('by-name');
  namespace('other', { ces: 'no' });
  put('clusterexternalsecrets', newCes());
  const stores = new Map<string, AnySecretStore>();
  const ces = () =>
    kube.objects.get(`clusterexternalsecrets/${CES_NAME}`) as
      ClusterExternalSecretObject | undefined;
  const reconciler = new ClusterExternalSecretReconciler({
    client,
    clusterExternalSecrets: { getByRef: () => structuredClone(ces()) },
    namespaces: {
      list: () =>
        [...kube.objects.entries()]
          .filter(([k]) => k.startsWith('namespaces/'))
          .map(([, ns]) => namespaceMetadataOnly(structuredClone(ns))),
    },
    clusterSecretStores: { getByRef: (ref) => stores.get(ref.name) },
    controllerClass: 'default',
    clock,
    logger: silentLogger(),
    metrics: clusterExternalSecretMetrics(registry),
  });
  const es = (ns: string, name = 'db') =>
    kube.objects.get(`externalsecrets/${ns}/${name}`) as ExternalSecretObject | undefined;
  const nsObj = (name: string) => kube.objects.get(`namespaces/${name}`);
  const editCes = (edit: (c: ClusterExternalSecretObject) => void) => {
    const current = ces();
    assert.ok(current);
    edit(current);
  };
  const run = () => reconciler.reconcile({ name: CES_NAME });
  const metric = async (pattern: RegExp) =>
    (await registry.metrics()).split('\n').filter((l) => pattern.test(l));
  return { kube, client, put, namespace, stores, ces, es, nsObj, editCes, run, metric };
}

describe('ClusterExternalSecretReconciler', () => {
  it('creates an owned ExternalSecret in every selected namespace and reports them', async () => {
    const h = harness();
    assert.deepEqual(await h.run(), { requeueAfter: 60_000 });
    for (const ns of ['by-name', 'team-a', 'team-b']) {
      const es = h.es(ns);
      assert.ok(es, `ExternalSecret in ${ns}`);
      assert.deepEqual(es.metadata.labels, { team: 'a' });
      assert.deepEqual(es.metadata.annotations, { note: 'x' });
      assert.deepEqual(es.metadata.ownerReferences, [
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ClusterExternalSecret',
          name: CES_NAME,
          uid: 'ces-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      assert.deepEqual(es.spec, newCes().spec.externalSecretSpec);
      assert.ok(h.nsObj(ns)?.metadata.finalizers?.includes(NS_FINALIZER));
    }
    assert.equal(h.es('other'), undefined);
    assert.equal(h.nsObj('other')?.metadata.finalizers, undefined);
    assert.deepEqual(h.ces()?.metadata.finalizers, [CES_FINALIZER]);
    assert.deepEqual(h.ces()?.status, {
      externalSecretName: 'db',
      provisionedNamespaces: ['by-name', 'team-a', 'team-b'],
      conditions: [{ type: 'Ready', status: 'True' }],
    });
  });

  it('writes nothing on a pass where nothing changed', async () => {
    const h = harness();
    await h.run();
    h.kube.writes.length = 0;
    await h.run();
    assert.deepEqual(h.kube.writes, []);
  });

  it('defaults the refresh to one hour and the ExternalSecret name to the CES name', async () => {
    const h = harness();
    h.editCes((c) => {
      delete c.spec.refreshTime;
      delete c.spec.externalSecretName;
    });
    assert.deepEqual(await h.run(), { requeueAfter: 3_600_000 });
    assert.ok(h.es('team-a', CES_NAME));
    assert.equal(h.ces()?.status?.externalSecretName, CES_NAME);
  });

  it('propagates a spec and metadata change, replacing labels and annotations', async () => {
    const h = harness();
    await h.run();
    h.editCes((c) => {
      c.spec.externalSecretSpec.refreshInterval = '5m';
      c.spec.externalSecretMetadata = { labels: { team: 'b' } };
      c.metadata.annotations = { 'external-secrets.io/force-sync': '1' };
    });
    h.kube.writes.length = 0;
    await h.run();
    assert.equal(h.kube.writes.filter((w) => w.startsWith('update externalsecrets/')).length, 3);
    const es = h.es('team-a');
    assert.ok(es);
    assert.equal(es.spec.refreshInterval, '5m');
    assert.deepEqual(es.metadata.labels, { team: 'b' });
    assert.deepEqual(es.metadata.annotations, { 'external-secrets.io/force-sync': '1' });
  });

  it('removes the ExternalSecret and the namespace finalizer when a namespace stops matching', async () => {
    const h = harness();
    await h.run();
    const teamB = h.nsObj('team-b') as KubeObject;
    teamB.metadata.labels = { ces: 'no' };
    await h.run();
    assert.equal(h.es('team-b'), undefined);
    assert.deepEqual(h.nsObj('team-b')?.metadata.finalizers, []);
    assert.deepEqual(h.ces()?.status?.provisionedNamespaces, ['by-name', 'team-a']);
  });

  it('never overwrites an ExternalSecret it does not own and reports the namespace', async () => {
    const h = harness();
    const foreign: ExternalSecretObject = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'team-a', labels: { mine: 'yes' } },
      spec: { refreshInterval: '10s' },
    };
    h.put('externalsecrets', foreign);
    await h.run();
    assert.deepEqual(h.es('team-a')?.metadata.labels, { mine: 'yes' });
    assert.equal(h.es('team-a')?.spec.refreshInterval, '10s');
    assert.equal(h.nsObj('team-a')?.metadata.finalizers, undefined);
    assert.deepEqual(h.ces()?.status, {
      externalSecretName: 'db',
      failedNamespaces: [{ namespace: 'team-a', reason: REASON_EXISTS }],
      provisionedNamespaces: ['by-name', 'team-b'],
      conditions: [{ type: 'Ready', status: 'False', message: 'one or more namespaces failed' }],
    });
  });

  it('deletes the old ExternalSecrets when externalSecretName is renamed', async () => {
    const h = harness();
    await h.run();
    h.editCes((c) => (c.spec.externalSecretName = 'db2'));
    await h.run();
    assert.equal(h.es('team-a'), undefined);
    assert.ok(h.es('team-a', 'db2'));
    assert.equal(h.ces()?.status?.externalSecretName, 'db2');
  });

  it('on deletion removes its ExternalSecrets and finalizers, then lets the CES go', async () => {
    const h = harness();
    await h.run();
    await h.client.delete(EsoResources.ClusterExternalSecret, { name: CES_NAME });
    assert.ok(h.ces()?.metadata.deletionTimestamp);
    assert.equal(await h.run(), undefined);
    for (const ns of ['by-name', 'team-a', 'team-b']) {
      assert.equal(h.es(ns), undefined);
      assert.deepEqual(h.nsObj(ns)?.metadata.finalizers, []);
    }
    assert.equal(h.ces(), undefined);
  });

  it('releases a terminating namespace instead of provisioning it', async () => {
    const h = harness();
    await h.run();
    const ns = h.nsObj('team-b') as KubeObject;
    ns.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    await h.run();
    // With its last finalizer gone, the namespace is deleted.
    assert.equal(h.nsObj('team-b'), undefined);
    assert.deepEqual(h.ces()?.status?.provisionedNamespaces, ['by-name', 'team-a']);
  });

  it('fails the whole CES as namespace "unknown" for a selector that cannot be evaluated', async () => {
    const h = harness();
    h.editCes(
      (c) => (c.spec.namespaceSelectors = [{ matchExpressions: [{ key: 'a', operator: 'Near' }] }]),
    );
    await assert.rejects(h.run(), TerminalError);
    const failed = h.ces()?.status?.failedNamespaces?.[0];
    assert.ok(failed);
    assert.equal(failed.namespace, 'unknown');
    assert.match(failed.reason ?? '', /Unsupported value: "Near"/);
    assert.equal(h.ces()?.status?.conditions?.[0]?.status, 'False');
  });

  it('leaves a CES whose ClusterSecretStore has another controller class alone', async () => {
    const h = harness();
    h.stores.set('fake', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'fake' },
      spec: { controller: 'someone-else', provider: { fake: { data: [] } } },
    });
    assert.equal(await h.run(), undefined);
    assert.deepEqual(h.kube.writes, []);
  });

  it('recreates an ExternalSecret deleted behind its back', async () => {
    const h = harness();
    await h.run();
    h.kube.objects.delete('externalsecrets/team-a/db');
    await h.run();
    assert.ok(h.es('team-a'));
  });

  it('reports a 409 in the status and throws so the manager retries soon', async () => {
    const h = harness();
    await h.run();
    h.editCes((c) => (c.spec.externalSecretSpec.refreshInterval = '2h'));
    // Another writer bumped the ExternalSecret after we read it: our PUT carries a stale version.
    const kube = h.kube;
    const realUpdate = h.client.update.bind(h.client);
    h.client.update = async (type, obj) => {
      const stored = kube.objects.get('externalsecrets/team-a/db');
      if (obj.metadata.namespace === 'team-a' && stored)
        stored.metadata = { ...stored.metadata, resourceVersion: 'bumped' };
      return realUpdate(type, obj);
    };
    await assert.rejects(h.run(), ProvisionConflictError);
    const failed = h.ces()?.status?.failedNamespaces ?? [];
    assert.deepEqual(
      failed.map((f) => f.namespace),
      ['team-a'],
    );
    assert.match(failed[0]?.reason ?? '', /^could not create or update ExternalSecret: .*409/);
  });

  it('exports the Ready condition and reconcile duration, and forgets a deleted CES', async () => {
    const h = harness();
    await h.run();
    assert.deepEqual(await h.metric(/^clusterexternalsecret_status_condition\{/), [
      `clusterexternalsecret_status_condition{name="${CES_NAME}",namespace="",condition="Ready",status="True"} 1`,
      `clusterexternalsecret_status_condition{name="${CES_NAME}",namespace="",condition="Ready",status="False"} 0`,
    ]);
    assert.equal((await h.metric(/^clusterexternalsecret_reconcile_duration\{/)).length, 1);
    h.kube.objects.delete(`clusterexternalsecrets/${CES_NAME}`);
    await h.run();
    assert.deepEqual(await h.metric(/^clusterexternalsecret_/), []);
  });
});
