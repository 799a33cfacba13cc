/**
 * The operator, run with nothing but the Helm chart's RBAC (its ServiceAccount's own token), syncs
 * the seed's ExternalSecrets; and that ServiceAccount cannot do what the operator has no use for.
 *
 * ferry-test: cluster-wide (the operator watches every namespace with the default class; the
 * runner runs this file alone).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { buildCrds } from '../../src/api/crds.ts';
import { loadTestEnv, readTools, repoRoot, type TestEnv } from '../env/testenv.ts';
import type { KubeObject, ResourceType } from '../../src/kube/types.ts';
import { eventually, testKubeClient, uniqueName } from '../support/kube.ts';

const CRD: ResourceType = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
};
import { bao, enableKv } from './vault-support.ts';

let env: TestEnv;
let admin: k8s.KubernetesObjectApi;
let kc: k8s.KubeConfig;
let operator: ChildProcess | undefined;
let output = '';
let tmp = '';
let saToken = '';
const release = uniqueName('rbac');
const releaseNs = uniqueName('ferry-sys');
const appNs = uniqueName('rbac-app');
const mount = uniqueName('kv');
const store = uniqueName('vault-backend');
const klass = uniqueName('ferry');
const canary = `canary-${uniqueName('v')}`;

function objects(text: string): k8s.KubernetesObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as k8s.KubernetesObject | null)
    .filter((o): o is k8s.KubernetesObject => o !== null);
}

async function applyAll(items: readonly k8s.KubernetesObject[]): Promise<void> {
  for (const item of items) {
    await admin.patch(
      item,
      undefined,
      undefined,
      'ferry-tests',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
  }
}

function seedExternalSecrets(): k8s.KubernetesObject[] {
  const docs = ['external-secrets.yaml', 'external-secrets-files.yaml'].flatMap((f) =>
    objects(readFileSync(join(repoRoot, 'deploy/manifests', f), 'utf8')),
  );
  return docs.map((doc) => {
    const es = structuredClone(doc) as k8s.KubernetesObject & {
      spec: { secretStoreRef: { name: string }; data: { remoteRef: { key: string } }[] };
    };
    es.metadata = { ...(es.metadata as object), namespace: appNs };
    es.spec.secretStoreRef.name = store;
    for (const d of es.spec.data)
      d.remoteRef.key = d.remoteRef.key.replace(/^secret\//, `${mount}/`);
    return es;
  });
}

async function canI(
  verb: string,
  resource: string,
  group = '',
  namespace = appNs,
): Promise<boolean> {
  const user = new k8s.KubeConfig();
  user.loadFromOptions({
    clusters: [{ name: 'c', server: env.kubeServer, caFile: env.kubeCaFile }],
    users: [{ name: 'sa', token: saToken }],
    contexts: [{ name: 'c', cluster: 'c', user: 'sa' }],
    currentContext: 'c',
  });
  const review = await user.makeApiClient(k8s.AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { verb, resource, group, namespace } } },
  });
  return review.status?.allowed === true;
}

before(async () => {
  env = loadTestEnv();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(env.kubeconfig);
  admin = k8s.KubernetesObjectApi.makeApiClient(kc);
  tmp = mkdtempSync(join(tmpdir(), 'ferry-rbac-'));
  const core = kc.makeApiClient(k8s.CoreV1Api);
  for (const name of [releaseNs, appNs])
    await core.createNamespace({ body: { metadata: { name } } });
  // Through our KubeClient: client-node's model serializer would drop the schemas' x-kubernetes-* fields.
  const kube = testKubeClient();
  for (const crd of buildCrds() as (KubeObject & Record<string, unknown>)[]) {
    await kube.apply(CRD, crd, { fieldManager: 'ferry-tests', force: true });
  }

  // The chart's ServiceAccount and RBAC, exactly as rendered; the Deployment is replaced by a process.
  const rendered = objects(
    execFileSync(
      readTools().helm,
      ['template', release, join(repoRoot, 'deploy/charts/ferry'), '-n', releaseNs],
      {
        encoding: 'utf8',
      },
    ),
  ).filter((o) => o.kind !== 'Deployment' && o.kind !== 'Service');
  await applyAll(
    rendered.map((o) => ({
      ...o,
      metadata: { ...(o.metadata as object), namespace: o.metadata?.namespace ?? releaseNs },
    })),
  );
  const sa = rendered.find((o) => o.kind === 'ServiceAccount')?.metadata?.name ?? '';
  const tr = await core.createNamespacedServiceAccountToken({
    name: sa,
    namespace: releaseNs,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  saToken = tr.status?.token ?? '';
  const kubeconfig = join(tmp, 'kubeconfig');
  const ca = readFileSync(env.kubeCaFile).toString('base64');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${env.kubeServer}", certificate-authority-data: ${ca}}\nusers:\n- name: sa\n  user: {token: "${saToken}"}\ncontexts:\n- name: c\n  context: {cluster: c, user: sa}\ncurrent-context: c\n`,
    { mode: 0o600 },
  );

  await enableKv(mount, 2);
  await bao('POST', `${mount}/data/demo-app/secrets`, {
    data: { database_password: canary, api_key: 'k' },
  });
  await bao('POST', `${mount}/data/demo-app/config`, {
    data: { app_name: 'a', debug_mode: 'true', max_connections: '1' },
  });
  await bao('POST', `${mount}/data/demo-app/tls-files`, {
    data: { 'tls.crt': 'C', 'tls.key': 'K' },
  });
  await bao('POST', `${mount}/data/demo-app/config-files`, { data: { 'database.conf': 'x=1\n' } });
  await applyAll([
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'vault-token', namespace: releaseNs },
      stringData: { token: env.vaultToken },
    } as k8s.KubernetesObject,
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: store },
      spec: {
        controller: klass,
        provider: {
          vault: {
            server: env.vaultAddr,
            path: mount,
            version: 'v2',
            auth: { tokenSecretRef: { name: 'vault-token', namespace: releaseNs, key: 'token' } },
          },
        },
        conditions: [{ namespaces: [appNs] }],
      },
    } as k8s.KubernetesObject,
    ...seedExternalSecrets(),
  ]);

  operator = spawn(
    process.execPath,
    [
      join(repoRoot, 'bin/ferry.js'),
      'operator',
      `--kubeconfig=${kubeconfig}`,
      '--metrics-addr=127.0.0.1:0',
      '--live-addr=127.0.0.1:0',
      `--controller-class=${klass}`,
      '--enable-leader-election',
      `--leader-election-id=${release}`,
      `--leader-election-namespace=${releaseNs}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  operator.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  operator.stderr?.on('data', (b: Buffer) => (output += b.toString()));
});

after(async () => {
  operator?.kill('SIGTERM');
  if (operator) await new Promise((resolve) => operator?.once('exit', resolve));
  rmSync(tmp, { recursive: true, force: true });
  const core = kc.makeApiClient(k8s.CoreV1Api);
  for (const name of [releaseNs, appNs])
    await core.deleteNamespace({ name }).catch(() => undefined);
});

describe("operator with only the chart's RBAC", () => {
  it("syncs the seed's four ExternalSecrets", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of [
      'demo-app-secrets',
      'demo-app-config',
      'demo-app-tls-files',
      'demo-app-config-files',
    ]) {
      await eventually(
        `${name} synced`,
        async () => {
          const secret = await core.readNamespacedSecret({ name, namespace: appNs });
          return secret.data ? secret : undefined;
        },
        60_000,
      );
    }
    const secret = await core.readNamespacedSecret({ name: 'demo-app-secrets', namespace: appNs });
    assert.equal(
      Buffer.from(secret.data?.['DATABASE_PASSWORD'] ?? '', 'base64').toString(),
      canary,
    );
    const files = await core.readNamespacedSecret({ name: 'demo-app-tls-files', namespace: appNs });
    assert.deepEqual(Object.keys(files.data ?? {}).sort(), ['tls.crt', 'tls.key']);
    assert.doesNotMatch(output, /forbidden/i, 'no RBAC denials in the operator log');
    assert.ok(!output.includes(canary), 'no value in the operator log');
  });

  it('holds the leader Lease in the release namespace', async () => {
    const lease = await kc
      .makeApiClient(k8s.CoordinationV1Api)
      .readNamespacedLease({ name: release, namespace: releaseNs });
    assert.ok(lease.spec?.holderIdentity);
  });

  it('grants nothing the operator does not use', async () => {
    const denied: [string, string, string][] = [
      ['list', 'pods', ''],
      ['create', 'pods', ''],
      ['create', 'deployments', 'apps'],
      ['create', 'clusterroles', 'rbac.authorization.k8s.io'],
      ['create', 'rolebindings', 'rbac.authorization.k8s.io'],
      ['delete', 'namespaces', ''],
      ['create', 'serviceaccounts', ''],
      ['update', 'configmaps', ''],
      ['create', 'secretstores', 'external-secrets.io'],
      ['update', 'clustersecretstores', 'external-secrets.io'],
      // externalsecrets create/update/delete stay: ClusterExternalSecret manages ExternalSecrets.
      ['delete', 'customresourcedefinitions', 'apiextensions.k8s.io'],
    ];
    for (const [verb, resource, group] of denied) {
      assert.equal(
        await canI(verb, resource, group),
        false,
        `${verb} ${group}/${resource} must be denied`,
      );
    }
    assert.equal(
      await canI('create', 'leases', 'coordination.k8s.io', appNs),
      false,
      'Leases only in the release namespace',
    );
    assert.equal(await canI('create', 'leases', 'coordination.k8s.io', releaseNs), true);
  });
});
