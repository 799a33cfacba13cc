import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { Lane, WorkQueue, jittered, type QueueOptions } from './queue.ts';
import {
  ExponentialBackoff,
  TokenBucket,
  defaultRateLimiter,
  type RateLimiter,
} from './rate-limiter.ts';

function newQueue(overrides: Partial<QueueOptions> = {}): { queue: WorkQueue; clock: FakeClock } {
  const clock = new FakeClock();
  const queue = new WorkQueue({
    clock,
    rateLimiter: new ExponentialBackoff(),
    random: () => 0.5,
    ...overrides,
  });
  return { queue, clock };
}

/** Takes every key that is ready right now, without marking them done. */
async function takeReady(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) keys.push((await queue.get())!.key);
  return keys;
}

describe('WorkQueue', () => {
  it('dedupes a key added several times before it is processed', async () => {
    const { queue } = newQueue();
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/b');
    queue.add('ns/a');
    assert.equal(queue.len(), 2);
    assert.deepEqual(await takeReady(queue), ['ns/a', 'ns/b']);
  });

  it('hands a key to one worker at a time and re-queues it once on done', async () => {
    const { queue } = newQueue();
    queue.add('ns/a');
    const first = await queue.get();
    assert.equal(first?.key, 'ns/a');
    queue.add('ns/a');
    queue.add('ns/a');
    assert.equal(queue.len(), 0, 'in-flight key is not handed out again');
    let second: string | undefined;
    void queue.get().then((item) => (second = item?.key));
    await new Promise(setImmediate);
    assert.equal(second, undefined);
    queue.done('ns/a');
    await new Promise(setImmediate);
    assert.equal(second, 'ns/a');
    assert.equal(queue.len(), 0);
  });

  it('serves created/changed keys before periodic refreshes', async () => {
    const { queue } = newQueue();
    queue.add('ns/r1', Lane.Refresh);
    queue.add('ns/r2', Lane.Refresh);
    queue.add('ns/c1', Lane.Changed);
    queue.add('ns/r3', Lane.Refresh);
    queue.add('ns/c2');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) order.push((await queue.get())!.key);
    assert.deepEqual(order, ['ns/c1', 'ns/c2', 'ns/r1', 'ns/r2', 'ns/r3']);
  });

  it('moves a waiting refresh up when the object changes', async () => {
    const { queue } = newQueue();
    queue.add('ns/r1', Lane.Refresh);
    queue.add('ns/r2', Lane.Refresh);
    queue.add('ns/r2', Lane.Changed);
    assert.equal(queue.len(), 2);
    assert.deepEqual(await queue.get(), { key: 'ns/r2', lane: Lane.Changed });
  });

  it('keeps the changed lane for a key re-added as changed while in flight', async () => {
    const { queue } = newQueue();
    queue.add('ns/a', Lane.Refresh);
    await queue.get();
    queue.add('ns/a', Lane.Refresh);
    queue.add('ns/a', Lane.Changed);
    queue.add('ns/z', Lane.Refresh);
    queue.done('ns/a');
    assert.deepEqual(await queue.get(), { key: 'ns/a', lane: Lane.Changed });
  });

  it('retries with backoff 1 s doubling to 7 min (ESO #4339)', () => {
    const limiter = new ExponentialBackoff<string>();
    const delays = Array.from({ length: 12 }, () => limiter.when('ns/a'));
    assert.deepEqual(
      delays,
      [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 420000, 420000, 420000],
    );
    assert.equal(limiter.retries('ns/a'), 12);
    assert.equal(limiter.when('ns/b'), 1000, 'keys back off independently');
    limiter.forget('ns/a');
    assert.equal(limiter.when('ns/a'), 1000, 'forget resets the sequence');
  });

  it('queues a rate-limited key only after its backoff delay', async () => {
    const { queue, clock } = newQueue();
    queue.addRateLimited('ns/a');
    queue.addRateLimited('ns/a');
    assert.equal(queue.len(), 0);
    clock.advance(999);
    assert.equal(queue.len(), 0);
    clock.advance(1);
    assert.deepEqual(await takeReady(queue), ['ns/a']);
    assert.equal(queue.retries('ns/a'), 2);
  });

  it('spreads the global token bucket beyond its burst at 10/s', () => {
    const clock = new FakeClock();
    const bucket: RateLimiter<string> = new TokenBucket<string>(clock, { perSecond: 10, burst: 3 });
    const delays = Array.from({ length: 5 }, (_, i) => bucket.when(`k${i}`));
    assert.deepEqual(delays, [0, 0, 0, 100, 200]);
    clock.advance(1000);
    assert.equal(bucket.when('k'), 0, 'refilled after a second');
  });

  it('uses the longer of backoff and bucket', () => {
    const clock = new FakeClock();
    const limiter = defaultRateLimiter<string>(clock);
    assert.equal(limiter.when('a'), 1000);
    assert.equal(limiter.when('a'), 2000);
    limiter.forget('a');
    assert.equal(limiter.retries('a'), 0);
  });

  it('jitters addAfter within ±10 %', () => {
    for (const [random, expected] of [
      [0, 9000],
      [0.5, 10000],
      [0.999999, 10999.998],
    ] as const) {
      const { queue, clock } = newQueue({ random: () => random });
      queue.addAfter('ns/a', 10_000);
      const [delay] = clock.pendingDelays();
      assert.ok(Math.abs(delay! - expected) < 0.01, `random=${random}: ${delay} ≈ ${expected}`);
    }
    assert.equal(
      jittered(1000, 0.1, () => 0),
      900,
    );
    assert.ok(jittered(1000, 0.1, () => 0.9999999) < 1100);
  });

  it('spreads equal intervals instead of aligning them', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const { queue, clock } = newQueue({ random });
    for (let i = 0; i < 200; i++) queue.addAfter(`ns/es-${i}`, 3_600_000);
    const delays = clock.pendingDelays();
    assert.ok(delays[0]! >= 3_240_000 && delays.at(-1)! <= 3_960_000);
    assert.ok(new Set(delays).size > 190, 'refreshes do not share one instant');
  });

  it('keeps the earliest pending delay unless told to replace it', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('ns/a', 5000);
    queue.addAfter('ns/a', 9000);
    assert.deepEqual(clock.pendingDelays(), [5000]);
    queue.addAfter('ns/a', 2000);
    assert.deepEqual(clock.pendingDelays(), [2000]);
    queue.addAfter('ns/a', 7000, { replace: true });
    assert.deepEqual(clock.pendingDelays(), [7000]);
    clock.advance(7000);
    assert.deepEqual(await queue.get(), { key: 'ns/a', lane: Lane.Refresh });
  });

  it('cancels a delayed add', () => {
    const { queue, clock } = newQueue();
    queue.addAfter('ns/a', 5000);
    queue.cancelDelayed('ns/a');
    clock.advance(10_000);
    assert.equal(queue.len(), 0);
  });

  it('reports progress for stall detection', async () => {
    const { queue, clock } = newQueue();
    const t0 = clock.now();
    clock.advance(60_000);
    queue.add('ns/a');
    assert.equal(
      queue.progress().lastProgressAt,
      t0 + 60_000,
      'turning busy resets the stall clock',
    );
    await queue.get();
    clock.advance(5000);
    assert.deepEqual(queue.progress(), {
      pending: 0,
      inFlight: 1,
      lastProgressAt: t0 + 60_000,
      oldestInFlightSince: t0 + 60_000,
    });
    queue.done('ns/a');
    assert.equal(queue.progress().lastProgressAt, t0 + 65_000);
  });

  it('shuts down: waiting gets resolve undefined and drained waits for in-flight work', async () => {
    const { queue } = newQueue();
    queue.add('ns/a');
    await queue.get();
    queue.addAfter('ns/b', 1000);
    const pending = queue.get();
    queue.shutDown();
    assert.equal(await pending, undefined);
    assert.equal(queue.delayedCount(), 0);
    let drained = false;
    const waiting = queue.drained().then(() => (drained = true));
    await new Promise(setImmediate);
    assert.equal(drained, false);
    queue.done('ns/a');
    await waiting;
    assert.equal(drained, true);
    queue.add('ns/c');
    assert.equal(queue.len(), 0, 'no adds after shutdown');
  });

  it('reports metrics through hooks', async () => {
    const events: string[] = [];
    const { queue, clock } = newQueue({
      metrics: {
        added: (lane) => events.push(`add:${lane}`),
        depth: (lane, n) => events.push(`depth:${lane}=${n}`),
        queueLatency: (s) => events.push(`latency:${s}`),
        workDuration: (s) => events.push(`work:${s}`),
        retried: () => events.push('retry'),
      },
    });
    queue.add('ns/a');
    clock.advance(2000);
    await queue.get();
    clock.advance(500);
    queue.done('ns/a');
    queue.addRateLimited('ns/a');
    assert.deepEqual(events, [
      'add:changed',
      'depth:changed=1',
      'latency:2',
      'depth:changed=0',
      'work:0.5',
      'retry',
    ]);
  });
});
