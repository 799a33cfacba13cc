/**
 * The wired operator runtime from its flags: leader election on the real API server, metrics
 * and health endpoints, and a graceful stop that releases the lease.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseOperatorFlags } from '../../src/config/operator.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import type { Lease } from '../../src/kube/leader-election.ts';
import { Resources } from '../../src/kube/types.ts';
import { createOperatorRuntime } from '../../src/runtime/operator.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  testKubeConfig,
} from '../support/kube.ts';

let client: KubeClient;
let ns: string;

before(async () => {
  client = testKubeClient();
  ns = await createNamespace(client, 'rt-operator');
});

after(async () => {
  await deleteNamespace(client, ns);
});

describe('operator runtime', () => {
  it('leads, serves health and metrics, and releases the lease on stop', async () => {
    const config = parseOperatorFlags([
      '--metrics-addr=127.0.0.1:0',
      '--health-addr=127.0.0.1:0',
      '--enable-leader-election',
      `--leader-election-namespace=${ns}`,
      '--leader-election-id=ferry-test',
    ]);
    const runtime = createOperatorRuntime(config, {
      kubeConfig: testKubeConfig(),
      logger: silentLogger(),
    });
    let reconciled = 0;
    const controller = runtime.manager.addController({
      name: 'noop',
      reconciler: {
        reconcile: () => {
          reconciled += 1;
          return Promise.resolve();
        },
      },
    });
    await runtime.start();
    try {
      const [metricsServer, healthServer] = runtime.servers;
      const health = `http://127.0.0.1:${healthServer!.address.port}`;
      const metrics = `http://127.0.0.1:${metricsServer!.address.port}`;
      await eventually('leadership', () => (runtime.election?.isLeader() ? true : undefined));
      controller.enqueue({ namespace: ns, name: 'x' });
      await eventually('reconciled', () => (reconciled === 1 ? true : undefined));
      assert.equal((await fetch(`${health}/healthz`)).status, 200);
      assert.equal((await fetch(`${health}/readyz`)).status, 200);
      const text = await (await fetch(`${metrics}/metrics`)).text();
      assert.match(text, /leader_election_master_status\{name="ferry-test"\} 1/);
      assert.match(
        text,
        /controller_runtime_reconcile_total\{controller="noop",result="success"\} 1/,
      );
      const lease = await client.get<Lease>(Resources.Lease, { namespace: ns, name: 'ferry-test' });
      assert.ok(lease?.spec?.holderIdentity);
    } finally {
      await runtime.stop();
    }
    const released = await client.get<Lease>(Resources.Lease, {
      namespace: ns,
      name: 'ferry-test',
    });
    assert.equal(released?.spec?.holderIdentity, '');
  });
});
