import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { MemoryKube } from '../../test/support/memory-kube.ts';
import { silentLogger } from '../telemetry/logger.ts';
import { LeaderElector, microTime, type Lease } from './leader-election.ts';
import { Resources } from './types.ts';

async function run(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await new Promise(setImmediate);
  }
}

function elector(
  kube: MemoryKube,
  clock: FakeClock,
  identity: string,
  log: string[],
): LeaderElector {
  return new LeaderElector({
    client: kube.client(),
    namespace: 'ns',
    name: 'lease',
    identity,
    clock,
    logger: silentLogger(),
    random: () => 0,
    onStartedLeading: () => log.push(`${identity}:started`),
    onStoppedLeading: () => log.push(`${identity}:stopped`),
  });
}

describe('LeaderElector (fake clock)', () => {
  it('steps down when renewals fail for the renew deadline', async () => {
    const clock = new FakeClock();
    const kube = new MemoryKube();
    const log: string[] = [];
    const a = elector(kube, clock, 'a', log);
    a.start();
    await run(clock, 200);
    assert.equal(a.isLeader(), true);
    kube.down = true;
    await run(clock, 9_000);
    assert.equal(a.isLeader(), true, 'still within the 10 s renew deadline');
    await run(clock, 3_000);
    assert.equal(a.isLeader(), false);
    assert.deepEqual(log, ['a:started', 'a:stopped']);
    await a.done();
  });

  it('measures expiry on the local clock from the last observed change', async () => {
    const clock = new FakeClock();
    const kube = new MemoryKube();
    // A record renewed "in the future" by a skewed clock still expires 15 s after we last saw it change.
    kube.objects.set('leases/ns/lease', {
      metadata: { name: 'lease', namespace: 'ns', resourceVersion: '1' },
      spec: {
        holderIdentity: 'other',
        leaseDurationSeconds: 15,
        renewTime: microTime(clock.now() + 3_600_000),
      },
    } as Lease);
    const log: string[] = [];
    const b = elector(kube, clock, 'b', log);
    b.start();
    await run(clock, 14_000);
    assert.equal(b.isLeader(), false);
    await run(clock, 3_000);
    assert.equal(b.isLeader(), true);
    const lease = (await kube
      .client()
      .get<Lease>(Resources.Lease, { namespace: 'ns', name: 'lease' }))!;
    assert.equal(lease.spec?.holderIdentity, 'b');
    assert.equal(lease.spec.leaseTransitions, 1);
    await b.stop();
    const released = (await kube
      .client()
      .get<Lease>(Resources.Lease, { namespace: 'ns', name: 'lease' }))!;
    assert.equal(released.spec?.holderIdentity, '');
  });

  it('formats MicroTime with six fractional digits', () => {
    assert.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05.678000Z');
  });
});
