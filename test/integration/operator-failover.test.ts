/**
 * Two `ferry operator` replicas with leader election against the real API server: only the
 * leader reconciles; when it is SIGKILLed (no lease release) the standby takes the Lease once it
 * expires (15 s), converges a change made after the crash, and rewrites no Secret that was
 * already correct.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources } from '../../src/kube/types.ts';
import type { Lease } from '../../src/kube/leader-election.ts';
import {
  fakeExternalSecret,
  fakeStore,
  getSecret,
  readyCondition,
  secretText,
} from '../support/fake-store.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  uniqueName,
} from '../support/kube.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';

/** The takeover bound: lease duration (15 s) plus a retry period and jitter. */
const TAKEOVER_MS = 20_000;
const STORE = 'fake';
const UNCHANGED = ['es-alpha', 'es-beta'];
const CHANGED = 'es-gamma';

let client: KubeClient;
let ns: string;
let lease: string;
let klass: string;
let replicas: OperatorProcess[] = [];

const leaderMetric = () => new RegExp(`^leader_election_master_status\\{name="${lease}"\\}`);
const reconciles = /^controller_runtime_reconcile_total\{controller="externalsecret"/;
const syncCalls = (name: string) =>
  new RegExp(`^externalsecret_sync_calls_total\\{.*name="${name}"`);

function replica(): Promise<OperatorProcess> {
  return startOperator({
    args: [
      '--enable-leader-election',
      `--leader-election-id=${lease}`,
      `--leader-election-namespace=${ns}`,
      `--namespace=${ns}`,
      `--controller-class=${klass}`,
    ],
  });
}

async function resourceVersions(): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const name of UNCHANGED)
    out[name] = (await getSecret(client, ns, name))?.metadata.resourceVersion;
  return out;
}

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  ns = await createNamespace(client, 'op-failover');
  lease = uniqueName('ferry-failover');
  klass = uniqueName('failover');
  await client.create(
    EsoResources.SecretStore,
    fakeStore(
      { namespace: ns, name: STORE, klass },
      { alpha: 'a-1', beta: 'b-1', gamma: 'g-1', delta: 'd-1' },
    ),
  );
  for (const [name, key] of [
    ['es-alpha', 'alpha'],
    ['es-beta', 'beta'],
    [CHANGED, 'gamma'],
  ] as const) {
    // A short refresh interval: the new leader refetches everything, and must still not write.
    await client.create(
      EsoResources.ExternalSecret,
      fakeExternalSecret({ namespace: ns, name, store: STORE }, [key], '5s'),
    );
  }
});

after(async () => {
  await Promise.all(replicas.map((r) => r.kill()));
  await deleteNamespace(client, ns);
});

describe('ferry operator leader election failover', () => {
  let leader: OperatorProcess;
  let standby: OperatorProcess;

  it('exactly one replica holds the Lease and reconciles', async () => {
    replicas = await Promise.all([replica(), replica()]);
    const [first, second] = await eventually('one replica leads', async () => {
      const status = await Promise.all(replicas.map((r) => r.metric(leaderMetric())));
      return status.some((s) => s === 1) ? status : undefined;
    });
    assert.deepEqual([first, second].sort(), [0, 1], 'exactly one leader');
    const [a, b] = replicas;
    assert.ok(a && b);
    [leader, standby] = first === 1 ? [a, b] : [b, a];
    for (const name of [...UNCHANGED, CHANGED]) {
      await eventually(`${name} Ready`, async () =>
        (await readyCondition(client, ns, name))?.status === 'True' ? true : undefined,
      );
    }
    assert.deepEqual(await secretText(client, ns, 'es-alpha'), { alpha: 'a-1' });
    // Watch the leader refresh everything at least once more while the standby stays idle.
    const before = await leader.metric(reconciles);
    await eventually(
      'the leader keeps refreshing',
      async () => ((await leader.metric(reconciles)) >= before + 3 ? true : undefined),
      15_000,
    );
    assert.equal(await standby.metric(leaderMetric()), 0);
    assert.equal(
      await standby.metric(/^controller_runtime_reconcile_total\{/),
      0,
      'the standby reconciled something',
    );
    const held = await client.get<Lease>(Resources.Lease, { namespace: ns, name: lease });
    assert.ok(held?.spec?.holderIdentity, 'the Lease has a holder');
    const identity = `"identity":"${held.spec.holderIdentity}"`;
    const becameLeader = (r: OperatorProcess) =>
      r
        .output()
        .split('\n')
        .some((l) => l.includes('became leader') && l.includes(identity));
    assert.ok(becameLeader(leader), 'the leader logged the Lease holder identity');
    assert.ok(!becameLeader(standby));
  });

  it('the standby takes over within 20 s of a SIGKILL and rewrites no correct Secret', async () => {
    const versions = await resourceVersions();
    await leader.kill();
    const killedAt = Date.now();
    await client.mergePatch(
      EsoResources.ExternalSecret,
      { namespace: ns, name: CHANGED },
      {
        spec: {
          data: [
            { secretKey: 'gamma', remoteRef: { key: 'gamma' } },
            { secretKey: 'delta', remoteRef: { key: 'delta' } },
          ],
        },
      },
    );
    await eventually(
      'the standby leads',
      async () => ((await standby.metric(leaderMetric())) === 1 ? true : undefined),
      TAKEOVER_MS + 5_000,
    );
    const takeoverMs = Date.now() - killedAt;
    assert.ok(takeoverMs <= TAKEOVER_MS, `takeover took ${String(takeoverMs)} ms`);
    await eventually('the change made after the crash converges', async () => {
      const data = await secretText(client, ns, CHANGED);
      return data['delta'] === 'd-1' && data['gamma'] === 'g-1' ? true : undefined;
    });
    // Every unchanged ExternalSecret was reconciled (and refreshed) by the new leader at least twice.
    for (const name of UNCHANGED) {
      await eventually(`${name} reconciled by the new leader`, async () =>
        (await standby.metric(syncCalls(name))) >= 2 ? true : undefined,
      );
    }
    assert.deepEqual(await resourceVersions(), versions, 'a correct Secret was rewritten');
    assert.deepEqual(await secretText(client, ns, 'es-beta'), { beta: 'b-1' });
    assert.equal(standby.exited, false);
  });

  it('the new leader shuts down cleanly', async () => {
    assert.equal(await standby.stop(), 0);
    replicas = [];
  });
});
