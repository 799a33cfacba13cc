/**
 * Two LeaderElectors against the real API server: exactly one leads; a crashed leader (no
 * release) is replaced within 20 s; a graceful stop releases the lease at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/kube/client.ts';
import { LeaderElector, type Lease } from '../../src/kube/leader-election.ts';
import { Resources } from '../../src/kube/types.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  uniqueName,
} from '../support/kube.ts';

interface Candidate {
  elector: LeaderElector;
  log: string[];
}

let client: KubeClient;
let ns: string;

before(async () => {
  client = testKubeClient();
  ns = await createNamespace(client, 'rt-leader');
});

after(async () => {
  await deleteNamespace(client, ns);
});

function candidate(lease: string, identity: string): Candidate {
  const log: string[] = [];
  const elector = new LeaderElector({
    client,
    namespace: ns,
    name: lease,
    identity,
    clock: systemClock(),
    logger: silentLogger(),
    onStartedLeading: () => log.push('started'),
    onStoppedLeading: () => log.push('stopped'),
  });
  return { elector, log };
}

async function holder(lease: string): Promise<string | undefined> {
  const got = await client.get<Lease>(Resources.Lease, { namespace: ns, name: lease });
  return got?.spec?.holderIdentity;
}

describe('LeaderElector', () => {
  it('elects exactly one leader and fails over within 20 s after a crash', async () => {
    const lease = uniqueName('lease');
    const a = candidate(lease, 'replica-a');
    const b = candidate(lease, 'replica-b');
    a.elector.start();
    b.elector.start();
    try {
      const leader = await eventually('a leader', () =>
        a.elector.isLeader() ? a : b.elector.isLeader() ? b : undefined,
      );
      const follower = leader === a ? b : a;
      // Several renew periods: still exactly one.
      const until = Date.now() + 5000;
      while (Date.now() < until) {
        assert.equal(Number(a.elector.isLeader()) + Number(b.elector.isLeader()), 1);
        await new Promise((r) => setTimeout(r, 250));
      }
      const leaderId = await holder(lease);
      assert.equal(leaderId, leader === a ? 'replica-a' : 'replica-b');

      const crashedAt = Date.now();
      await leader.elector.stop({ release: false });
      assert.equal(await holder(lease), leaderId, 'a crash leaves the lease held');
      await eventually(
        'follower takes over',
        () => (follower.elector.isLeader() ? true : undefined),
        25_000,
      );
      const took = Date.now() - crashedAt;
      assert.ok(took < 20_000, `failover took ${took} ms`);
      assert.ok(took >= 10_000, `failover waited for the lease to expire (${took} ms)`);
      assert.deepEqual(follower.log, ['started']);
      const got = await client.get<Lease>(Resources.Lease, { namespace: ns, name: lease });
      assert.equal(got?.spec?.leaseTransitions, 1);
    } finally {
      await a.elector.stop();
      await b.elector.stop();
    }
  });

  it('releases the lease on graceful stop so the successor leads at once', async () => {
    const lease = uniqueName('lease');
    const a = candidate(lease, 'replica-a');
    a.elector.start();
    await eventually('a leads', () => (a.elector.isLeader() ? true : undefined));
    const b = candidate(lease, 'replica-b');
    b.elector.start();
    try {
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(b.elector.isLeader(), false);
      const stoppedAt = Date.now();
      await a.elector.stop();
      assert.deepEqual(a.log, ['started', 'stopped']);
      assert.equal(await holder(lease), '', 'released');
      await eventually('b leads', () => (b.elector.isLeader() ? true : undefined), 10_000);
      const took = Date.now() - stoppedAt;
      assert.ok(took < 5000, `takeover after release took ${took} ms`);
    } finally {
      await b.elector.stop();
    }
  });
});
