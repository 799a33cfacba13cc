/**
 * The Helm charts: lint, render every envFrom/volume combination, and have the real API server
 * accept every rendered object in a server-side dry run.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { buildCrds } from '../../src/api/crds.ts';
import { loadTestEnv, readTools, repoRoot } from '../env/testenv.ts';

const charts = join(repoRoot, 'deploy/charts');
let helm = '';
let kc: k8s.KubeConfig;

function run(args: string[]): string {
  return execFileSync(helm, args, {
    cwd: charts,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function objects(yamlText: string): k8s.KubernetesObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as k8s.KubernetesObject | null)
    .filter((o): o is k8s.KubernetesObject => o !== null);
}

async function dryRunAll(items: k8s.KubernetesObject[], namespace: string): Promise<void> {
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const item of items) {
    const namespaced = {
      ...item,
      metadata: { ...(item.metadata as object), namespace: item.metadata?.namespace ?? namespace },
    };
    const body =
      item.kind?.startsWith('Cluster') || item.kind === 'CustomResourceDefinition'
        ? item
        : namespaced;
    await assert.doesNotReject(
      client.create(body, undefined, 'All'),
      `${item.kind ?? '?'}/${item.metadata?.name ?? '?'} rejected by the API server`,
    );
  }
}

before(async () => {
  helm = readTools().helm;
  kc = new k8s.KubeConfig();
  kc.loadFromFile(loadTestEnv().kubeconfig);
  const ns = `charts-${randomBytes(3).toString('hex')}`;
  await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: ns } } });
  process.env['CHARTS_TEST_NS'] = ns;
});

describe('helm charts', () => {
  it('lint cleanly', () => {
    const out = run(['lint', '--strict', 'ferry', 'demo-app']);
    assert.match(out, /2 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('ship the CRDs that `ferry crds` prints', () => {
    const shipped = objects(
      readFileSync(join(charts, 'ferry/crds/external-secrets.io.yaml'), 'utf8'),
    );
    assert.deepEqual(shipped, JSON.parse(JSON.stringify(buildCrds())) as unknown);
  });

  it('render the operator chart into objects the API server accepts', async () => {
    const ns = process.env['CHARTS_TEST_NS']!;
    const rendered = objects(
      run(['template', 'ferry', 'ferry', '-n', ns, '--set', 'replicaCount=2']),
    );
    const kinds = rendered.map((o) => o.kind).sort();
    assert.deepEqual(kinds, [
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
    const deployment = rendered.find((o) => o.kind === 'Deployment') as k8s.V1Deployment;
    const container = deployment.spec!.template.spec!.containers[0]!;
    assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities?.drop, ['ALL']);
    assert.ok(container.args!.includes('--enable-leader-election'));
    await dryRunAll(rendered, ns);
  });

  it('refuse two replicas without leader election', () => {
    assert.throws(
      () =>
        run([
          'template',
          'ferry',
          'ferry',
          '--set',
          'replicaCount=2',
          '--set',
          'leaderElection.enabled=false',
        ]),
      /needs leaderElection.enabled=true/,
    );
  });

  for (const [secrets, configs] of [
    [true, true],
    [false, true],
    [true, false],
    [false, false],
  ] as const) {
    it(`render a valid demo-app Deployment with envFrom secrets=${secrets} configs=${configs}`, async () => {
      const ns = process.env['CHARTS_TEST_NS']!;
      const rendered = objects(
        run([
          'template',
          'demo-app',
          'demo-app',
          '-n',
          ns,
          '--set',
          `envFrom.secrets.enabled=${secrets}`,
          '--set',
          `envFrom.configs.enabled=${configs}`,
        ]),
      );
      const deployment = rendered.find((o) => o.kind === 'Deployment') as k8s.V1Deployment;
      const pod = deployment.spec!.template.spec!;
      assert.equal(pod.automountServiceAccountToken, false);
      const envFrom = pod.containers[0]!.envFrom ?? [];
      assert.equal(envFrom.length, Number(secrets) + Number(configs));
      await dryRunAll(rendered, ns);
    });
  }
});
