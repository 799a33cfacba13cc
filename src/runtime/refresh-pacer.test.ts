import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { Lane, WorkQueue, type QueueItem } from './queue.ts';
import { ExponentialBackoff } from './rate-limiter.ts';
import { RefreshPacer } from './refresh-pacer.ts';

const SECOND = 1000;
const HOUR = 3_600_000;

function newQueue(): { queue: WorkQueue; clock: FakeClock } {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock, rateLimiter: new ExponentialBackoff(), random: () => 0.5 });
  return { queue, clock };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The item `get` hands out before the current turn ends, or undefined if it would wait. */
async function getNow(queue: WorkQueue): Promise<QueueItem | undefined> {
  const pending = queue.get();
  const got = await Promise.race([pending, turn().then(() => 'waiting' as const)]);
  if (got !== 'waiting') return got;
  queue.shutDown(); // releases the waiting get; the test's queue is done with
  await pending;
  return undefined;
}

/**
 * One worker that finishes every key at once, recording the clock time of each hand-out, while
 * the clock moves `stepMs` at a time for `forMs`.
 */
async function runWorker(
  queue: WorkQueue,
  clock: FakeClock,
  options: { stepMs: number; forMs: number },
): Promise<number[]> {
  const handedOut: number[] = [];
  const worker = (async () => {
    for (;;) {
      const item = await queue.get();
      if (!item) return;
      handedOut.push(clock.now());
      queue.done(item.key);
    }
  })();
  for (let t = 0; t < options.forMs; t += options.stepMs) {
    clock.advance(options.stepMs);
    await turn();
  }
  queue.shutDown();
  await worker;
  return handedOut;
}

/** The most hand-outs in any window [t, t + windowMs). */
function busiestWindow(times: number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('RefreshPacer', () => {
  it('releases at 1.25 × the sum of 1/period, never below the floor', () => {
    const clock = new FakeClock();
    const pacer = new RefreshPacer(clock);
    assert.equal(pacer.ratePerSecond(), 0.2, 'the floor with nothing tracked');
    for (let i = 0; i < 1000; i++) pacer.track(`k${i}`, HOUR);
    assert.ok(Math.abs(pacer.ratePerSecond() - (1.25 * 1000) / 3600) < 1e-9);
    pacer.track('k0', HOUR); // a repeated period counts once
    for (let i = 0; i < 200; i++) pacer.untrack(`k${i}`);
    assert.ok(Math.abs(pacer.ratePerSecond() - (1.25 * 800) / 3600) < 1e-9);
    pacer.track('fast', 10 * SECOND);
    assert.ok(Math.abs(pacer.ratePerSecond() - 1.25 * (800 / 3600 + 0.1)) < 1e-9);
  });

  it('hands out one release, then the next after 1 / rate', () => {
    const clock = new FakeClock();
    const pacer = new RefreshPacer(clock, { minPerSecond: 0.5 });
    assert.equal(pacer.tryTake(), true);
    assert.equal(pacer.tryTake(), false, 'burst 1: no second release at once');
    assert.equal(pacer.msUntilNext(), 2 * SECOND);
    clock.advance(2 * SECOND - 1);
    assert.equal(pacer.tryTake(), false);
    clock.advance(1);
    assert.equal(pacer.tryTake(), true);
  });
});

describe('WorkQueue paced refresh lane', () => {
  it('never releases paced refreshes faster than the cap, even when all fall due at once', async () => {
    const { queue, clock } = newQueue();
    const n = 100;
    const period = 360 * SECOND;
    for (let i = 0; i < n; i++) queue.addAfter(`ns/es-${i}`, SECOND, { periodMs: period });
    const rate = queue.pacedRatePerSecond() ?? 0;
    assert.ok(Math.abs(rate - (1.25 * n) / 360) < 1e-9, String(rate));

    const times = await runWorker(queue, clock, { stepMs: 50, forMs: period });
    assert.equal(times.length, n, 'every refresh is released');
    for (const windowMs of [5 * SECOND, 10 * SECOND, 60 * SECOND]) {
      const cap = 1 + Math.floor((rate * windowMs) / SECOND);
      assert.ok(
        busiestWindow(times, windowMs) <= cap,
        `${String(busiestWindow(times, windowMs))} releases in ${String(windowMs)} ms, cap ${String(cap)}`,
      );
    }
    // The documented staleness bound: the last of N keys due together waits ≤ N / rate.
    const lastWait = (times.at(-1) ?? 0) - (times[0] ?? 0);
    assert.ok(lastWait <= (n / rate) * SECOND, `${String(lastWait)} ms`);
    assert.ok(lastWait <= 0.8 * period);
  });

  it('serves created/changed keys and retries at once while paced refreshes wait', async () => {
    const { queue, clock } = newQueue();
    for (let i = 0; i < 5; i++) queue.addAfter(`ns/p${i}`, SECOND, { periodMs: HOUR });
    queue.addRateLimited('ns/retry', Lane.Refresh); // backoff 1 s, like the paced ones
    clock.advance(SECOND);
    // The retry left the same lane; it goes first and spends no release.
    assert.deepEqual(await getNow(queue), { key: 'ns/retry', lane: Lane.Refresh });
    assert.deepEqual(await getNow(queue), { key: 'ns/p0', lane: Lane.Refresh });
    assert.equal(queue.progress().paced, 4, 'the floor (one per 5 s) holds the other four');
    queue.add('ns/new');
    assert.deepEqual(await getNow(queue), { key: 'ns/new', lane: Lane.Changed });
    queue.done('ns/retry');
    queue.addRateLimited('ns/retry', Lane.Refresh);
    clock.advance(2 * SECOND);
    assert.deepEqual(await getNow(queue), { key: 'ns/retry', lane: Lane.Refresh });
    assert.equal(queue.progress().paced, 4);
    assert.equal(await getNow(queue), undefined, 'no release yet: 3 s since the last');
  });

  it('moves a paced refresh to the changed lane when its object changes', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('ns/a', SECOND, { periodMs: HOUR });
    queue.addAfter('ns/b', SECOND, { periodMs: HOUR });
    clock.advance(SECOND);
    assert.equal((await getNow(queue))?.key, 'ns/a');
    queue.add('ns/b', Lane.Changed);
    assert.deepEqual(await getNow(queue), { key: 'ns/b', lane: Lane.Changed });
  });

  it('does not jitter a paced requeue (its time was planned by the reconciler)', () => {
    const { queue, clock } = newQueue();
    const random = new WorkQueue({
      clock,
      rateLimiter: new ExponentialBackoff(),
      random: () => 0.99,
    });
    random.addAfter('ns/a', 10 * SECOND, { periodMs: HOUR });
    random.addAfter('ns/b', 10 * SECOND);
    assert.deepEqual(clock.pendingDelays(), [10 * SECOND, 10 * SECOND * (1 + 0.1 * 0.98)]);
    queue.shutDown();
  });

  it('counts a key in the rate only while it is requeued with a period', () => {
    const { queue } = newQueue();
    for (let i = 0; i < 3600; i++) queue.addAfter(`ns/${i}`, HOUR, { periodMs: HOUR });
    assert.ok(Math.abs((queue.pacedRatePerSecond() ?? 0) - 1.25) < 1e-9);
    for (let i = 0; i < 1800; i++) queue.untrack(`ns/${i}`);
    for (let i = 1800; i < 3600; i++) queue.addAfter(`ns/${i}`, HOUR); // no period: unpaced
    assert.equal(queue.pacedRatePerSecond(), 0.2);
  });

  it('lets a tiny set through at the floor rate, not at its own mean rate', async () => {
    const { queue, clock } = newQueue();
    for (let i = 0; i < 3; i++) queue.addAfter(`ns/${i}`, SECOND, { periodMs: 24 * HOUR });
    const times = await runWorker(queue, clock, { stepMs: 100, forMs: 12 * SECOND });
    assert.equal(times.length, 3, 'released within 10 s, not one per 5.8 hours');
  });
});
