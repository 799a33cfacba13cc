import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryKube } from '../../test/support/memory-kube.ts';
import { Resources } from './types.ts';
import { ThrottledKubeClient } from './throttled.ts';

/** A clock that only moves when the client sleeps, recording each sleep. */
function sleepingClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('ThrottledKubeClient', () => {
  it('lets the burst through at once, then spaces requests at 1/qps', async () => {
    const clock = sleepingClock();
    const client = new ThrottledKubeClient(new MemoryKube().client(), {
      qps: 10,
      burst: 3,
      ...clock,
    });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        client.get(Resources.Secret, { namespace: 'ns', name: `s${String(i)}` }),
      ),
    );
    assert.equal(clock.sleeps.length, 3, 'three requests beyond the burst waited');
    for (const ms of clock.sleeps) assert.ok(Math.abs(ms - 100) < 1e-6, `slept ${String(ms)} ms`);
  });

  it('refills with time: after a quiet second the burst is available again', async () => {
    const clock = sleepingClock();
    const client = new ThrottledKubeClient(new MemoryKube().client(), {
      qps: 2,
      burst: 2,
      ...clock,
    });
    for (let i = 0; i < 2; i++) await client.get(Resources.Secret, { namespace: 'n', name: 'a' });
    assert.equal(clock.sleeps.length, 0);
    await clock.sleep(1000);
    for (let i = 0; i < 2; i++) await client.get(Resources.Secret, { namespace: 'n', name: 'a' });
    assert.equal(clock.sleeps.length, 1, 'only the test sleep');
    await client.get(Resources.Secret, { namespace: 'n', name: 'a' });
    assert.equal(clock.sleeps.at(-1), 500);
  });

  it('does not throttle at qps 0', async () => {
    const clock = sleepingClock();
    const client = new ThrottledKubeClient(new MemoryKube().client(), {
      qps: 0,
      burst: 1,
      ...clock,
    });
    for (let i = 0; i < 5; i++) await client.get(Resources.Secret, { namespace: 'n', name: 'a' });
    assert.equal(clock.sleeps.length, 0);
  });

  it('passes errors through and keeps serving', async () => {
    const kube = new MemoryKube();
    const clock = sleepingClock();
    const client = new ThrottledKubeClient(kube.client(), { qps: 5, burst: 1, ...clock });
    kube.down = true;
    await assert.rejects(client.get(Resources.Secret, { namespace: 'n', name: 'a' }));
    kube.down = false;
    assert.equal(await client.get(Resources.Secret, { namespace: 'n', name: 'a' }), undefined);
  });
});
