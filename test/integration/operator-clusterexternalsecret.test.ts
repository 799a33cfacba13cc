/**
 * `ferry operator` as a real process against the real kube-apiserver (+ controller-manager): a
 * ClusterExternalSecret selecting namespaces by a label stamps ExternalSecrets that sync Secrets
 * from a `fake` ClusterSecretStore; labelling a namespace adds one, unlabelling removes it, a spec
 * change propagates, a foreign ExternalSecret of the same name is reported and left alone, and
 * deleting the CES removes what it created. refreshTime is 1h, so every step here is driven by the
 * watches, not the periodic re-evaluation.
 *
 * Isolation: the operator runs cluster-wide (a CES is cluster-scoped), with a unique controller
 * class; every ExternalSecret here names a ClusterSecretStore of that class, so other tests'
 * operators leave them (and this CES) alone, and the selector uses a label key of this run.
 *
 * ferry-test: cluster-wide (the runner runs this file alone, so this operator never meets another
 * file's ExternalSecrets before their stores are cached).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  uniqueName,
} from '../support/kube.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';

type Obj = KubeObject & Record<string, unknown>;
interface Secret extends KubeObject {
  data?: Record<string, string>;
}
interface CesStatus {
  externalSecretName?: string;
  provisionedNamespaces?: string[];
  failedNamespaces?: { namespace: string; reason?: string }[];
  conditions?: { type: string; status: string; message?: string }[];
}
interface EsObj extends KubeObject {
  spec: { data?: { secretKey: string }[]; refreshInterval?: string };
}

const ES = EsoResources.ExternalSecret;
const CES = EsoResources.ClusterExternalSecret;
const CSS = EsoResources.ClusterSecretStore;

const klass = uniqueName('ferry-ces');
const storeName = uniqueName('fake-ces');
const cesName = uniqueName('ces');
const esName = 'shared-db';
const labelKey = `${uniqueName('ces-test')}.ferry.dev/select`;
const canary = `canary-${uniqueName('v')}`;
const namespaceFinalizer = `externalsecrets.external-secrets.io/ces-${cesName}`;

let client: KubeClient;
let operator: OperatorProcess;
const namespaces: string[] = [];
let nsA: string;
let nsB: string;
let nsForeign: string;

const decode = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString();

async function labelled(prefix: string, on: boolean): Promise<string> {
  const name = await createNamespace(client, prefix);
  namespaces.push(name);
  if (on) await setLabel(name, 'yes');
  return name;
}

async function setLabel(ns: string, value: string | null): Promise<void> {
  await client.mergePatch(
    Resources.Namespace,
    { name: ns },
    { metadata: { labels: { [labelKey]: value } } },
  );
}

function ces(secretKey: string): Obj {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterExternalSecret',
    metadata: { name: cesName },
    spec: {
      externalSecretName: esName,
      externalSecretMetadata: { labels: { 'ferry.dev/from': 'ces' } },
      namespaceSelectors: [{ matchLabels: { [labelKey]: 'yes' } }],
      refreshTime: '1h',
      externalSecretSpec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: storeName },
        target: { name: 'db-credentials' },
        data: [{ secretKey, remoteRef: { key: 'db/password' } }],
      },
    },
  };
}

const getCes = () => client.get<Obj & { status?: CesStatus }>(CES, { name: cesName });
const getEs = (ns: string) => client.get<EsObj>(ES, { namespace: ns, name: esName });
const getSecret = (ns: string) =>
  client.get<Secret>(Resources.Secret, { namespace: ns, name: 'db-credentials' });

async function secretValue(ns: string, key: string): Promise<string | undefined> {
  const secret = await getSecret(ns);
  const value = secret?.data?.[key];
  return value === undefined ? undefined : decode(value);
}

async function statusWhere(what: string, probe: (s: CesStatus) => boolean): Promise<CesStatus> {
  return eventually(what, async () => {
    const status = (await getCes())?.status;
    return status && probe(status) ? status : undefined;
  });
}

const provisioned = (s: CesStatus) => (s.provisionedNamespaces ?? []).join(',');

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  await client.create(CSS, {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: storeName },
    spec: {
      controller: klass,
      provider: { fake: { data: [{ key: 'db/password', value: canary }] } },
    },
  });
  [nsA, nsB, nsForeign] = [
    await labelled('ces-a', true),
    await labelled('ces-b', true),
    await labelled('ces-foreign', true),
  ];
  // Someone else's ExternalSecret with the name the CES will use.
  await client.create(ES, {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: esName, namespace: nsForeign, labels: { owner: 'someone-else' } },
    spec: {
      refreshInterval: '7m',
      secretStoreRef: { kind: 'ClusterSecretStore', name: storeName },
      target: { name: 'theirs' },
      data: [{ secretKey: 'theirs', remoteRef: { key: 'db/password' } }],
    },
  });
  operator = await startOperator({ args: [`--controller-class=${klass}`] });
  // Once the store is Ready every operator has seen it, so other classes leave the CES alone.
  await eventually('store Ready', async () => {
    const store = await client.get<Obj & { status?: CesStatus }>(CSS, { name: storeName });
    return (
      store?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') || undefined
    );
  });
});

after(async () => {
  // Delete the CES while the operator runs, so it releases the namespaces' finalizers.
  await client.delete(CES, { name: cesName }).catch(() => undefined);
  await eventually('CES gone', async () => ((await getCes()) ? undefined : true), 30_000).catch(
    () => undefined,
  );
  const code = await operator.stop();
  for (const ns of namespaces) {
    // Never leave a namespace stuck Terminating in the shared environment.
    const live = await client.get(Resources.Namespace, { name: ns });
    const left = (live?.metadata.finalizers ?? []).filter((f) => f !== namespaceFinalizer);
    if (live?.metadata.finalizers?.includes(namespaceFinalizer))
      await client.mergePatch(
        Resources.Namespace,
        { name: ns },
        { metadata: { finalizers: left } },
      );
    await deleteNamespace(client, ns);
  }
  await client.delete(CSS, { name: storeName }).catch(() => undefined);
  assert.equal(code, 0, 'graceful shutdown exits 0');
});

describe('ferry operator: ClusterExternalSecret', () => {
  it('stamps owned ExternalSecrets into the selected namespaces and they sync', async () => {
    await client.create(CES, ces('password'));
    for (const ns of [nsA, nsB]) {
      assert.equal(
        await eventually(`Secret in ${ns}`, () => secretValue(ns, 'password'), 60_000),
        canary,
      );
      const es = await getEs(ns);
      assert.ok(es);
      assert.equal(es.metadata.labels?.['ferry.dev/from'], 'ces');
      assert.deepEqual(
        es.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller]),
        [['ClusterExternalSecret', cesName, true]],
      );
      const namespace = await client.get(Resources.Namespace, { name: ns });
      assert.ok(namespace?.metadata.finalizers?.includes(namespaceFinalizer));
    }
    const status = await statusWhere(
      'status lists both',
      (s) => provisioned(s) === [nsA, nsB].sort().join(','),
    );
    assert.equal(status.externalSecretName, esName);
    const cesObj = await getCes();
    assert.ok(
      cesObj?.metadata.finalizers?.includes(
        'externalsecrets.external-secrets.io/clusterexternalsecret-cleanup',
      ),
    );
  });

  it('reports a foreign ExternalSecret of the same name and leaves it untouched', async () => {
    const status = await statusWhere('foreign namespace failed', (s) =>
      (s.failedNamespaces ?? []).some((f) => f.namespace === nsForeign),
    );
    assert.deepEqual(status.failedNamespaces, [
      { namespace: nsForeign, reason: 'external secret already exists in namespace' },
    ]);
    assert.deepEqual(status.conditions, [
      { type: 'Ready', status: 'False', message: 'one or more namespaces failed' },
    ]);
    const failing = new RegExp(
      `^clusterexternalsecret_status_condition\\{name="${cesName}".*status="False"`,
    );
    await eventually('Ready=False metric', async () =>
      (await operator.metric(failing)) === 1 ? true : undefined,
    );
    const foreign = await getEs(nsForeign);
    assert.ok(foreign);
    assert.equal(foreign.metadata.labels?.['owner'], 'someone-else');
    assert.equal(foreign.spec.refreshInterval, '7m');
    assert.equal(foreign.metadata.ownerReferences, undefined);
  });

  it('adds a namespace as soon as it is labelled', async () => {
    const nsC = await labelled('ces-c', false);
    await setLabel(nsC, 'yes');
    assert.equal(
      await eventually('Secret in the new namespace', () => secretValue(nsC, 'password'), 60_000),
      canary,
    );
    await statusWhere('status lists the new namespace', (s) => provisioned(s).includes(nsC));
  });

  it('a pass with nothing to change writes neither ExternalSecrets nor the status', async () => {
    const writes =
      /^ferry_kube_requests_total\{verb="(update|create|delete)",kind="ExternalSecret"\}|^ferry_kube_requests_total\{verb="mergePatch",kind="ClusterExternalSecret"\}/;
    const passes = /^controller_runtime_reconcile_total\{controller="clusterexternalsecret"/;
    const before = await operator.metric(writes);
    const passesBefore = await operator.metric(passes);
    assert.ok(before > 0, 'the pattern matches the creates and status patches so far');
    // An annotation that does not propagate: it re-queues the CES and changes nothing else.
    await client.mergePatch(
      CES,
      { name: cesName },
      { metadata: { annotations: { 'ferry.dev/poke': '1' } } },
    );
    await eventually('a CES pass', async () =>
      (await operator.metric(passes)) > passesBefore ? true : undefined,
    );
    assert.equal(await operator.metric(writes), before);
  });

  it('removes the ExternalSecret and its finalizer when a namespace is unlabelled', async () => {
    await setLabel(nsB, null);
    await eventually(
      'ExternalSecret removed',
      async () => ((await getEs(nsB)) ? undefined : true),
      60_000,
    );
    await statusWhere('status drops the namespace', (s) => !provisioned(s).includes(nsB));
    const ns = await client.get(Resources.Namespace, { name: nsB });
    assert.ok(!ns?.metadata.finalizers?.includes(namespaceFinalizer));
  });

  it('propagates a spec change to every ExternalSecret', async () => {
    const current = await getCes();
    assert.ok(current);
    await client.mergePatch(
      CES,
      { name: cesName },
      {
        spec: {
          externalSecretSpec: {
            data: [{ secretKey: 'PASSWORD', remoteRef: { key: 'db/password' } }],
          },
        },
      },
    );
    assert.equal(
      await eventually('new key in nsA', () => secretValue(nsA, 'PASSWORD'), 60_000),
      canary,
    );
    const es = await getEs(nsA);
    assert.deepEqual(
      es?.spec.data?.map((d) => d.secretKey),
      ['PASSWORD'],
    );
  });

  it('deleting the CES removes its ExternalSecrets but not the foreign one', async () => {
    await client.delete(CES, { name: cesName });
    await eventually('CES gone', async () => ((await getCes()) ? undefined : true), 60_000);
    for (const ns of namespaces.filter((n) => n !== nsForeign)) {
      await eventually(
        `ExternalSecret gone in ${ns}`,
        async () => ((await getEs(ns)) ? undefined : true),
        60_000,
      );
      const live = await client.get(Resources.Namespace, { name: ns });
      assert.ok(
        !live?.metadata.finalizers?.includes(namespaceFinalizer),
        `finalizer left on ${ns}`,
      );
    }
    assert.equal((await getEs(nsForeign))?.metadata.labels?.['owner'], 'someone-else');
  });

  it('never shows the secret value in the operator output', () => {
    assert.ok(!operator.output().includes(canary));
  });
});
