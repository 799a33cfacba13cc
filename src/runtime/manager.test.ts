import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { silentLogger } from '../telemetry/logger.ts';
import { createMetrics } from '../telemetry/metrics.ts';
import { systemClock } from './clock.ts';
import {
  Controller,
  Manager,
  TerminalError,
  specOrMetadataChanged,
  type ReconcileRequest,
  type Reconciler,
} from './manager.ts';
import { WorkQueue } from './queue.ts';
import { ExponentialBackoff } from './rate-limiter.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';

const clock = systemClock();
const logger = silentLogger();

function fastQueue(): WorkQueue {
  return new WorkQueue({
    clock,
    rateLimiter: new ExponentialBackoff({ baseMs: 5, maxMs: 40 }),
    jitter: 0,
  });
}

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function controller(reconciler: Reconciler, concurrency = 1, registry?: Registry): Controller {
  const metrics = registry ? createMetrics(registry) : undefined;
  return new Controller(
    { name: 'test', reconciler, concurrency, queue: fastQueue() },
    { clock, logger, metrics },
  );
}

describe('Controller', () => {
  it('retries a failing reconcile with backoff until it succeeds, then forgets the failures', async () => {
    let calls = 0;
    const c = controller({
      reconcile: () => {
        calls += 1;
        return calls < 4 ? Promise.reject(new Error('provider unavailable')) : Promise.resolve();
      },
    });
    c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await until('4 calls', () => calls === 4);
    assert.equal(c.queue.retries('ns/a'), 0);
    await c.stop(1000);
  });

  it('does not retry a TerminalError', async () => {
    let calls = 0;
    const registry = new Registry();
    const c = controller(
      {
        reconcile: () => {
          calls += 1;
          return Promise.reject(new TerminalError('spec.refreshInterval is invalid'));
        },
      },
      1,
      registry,
    );
    c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await until('1 call', () => calls === 1);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(calls, 1);
    assert.equal(c.queue.delayedCount(), 0);
    assert.match(
      await registry.metrics(),
      /controller_runtime_terminal_reconcile_errors_total\{controller="test"\} 1/,
    );
    await c.stop(1000);
  });

  it('requeues after requeueAfter', async () => {
    const seen: number[] = [];
    const c = controller({
      reconcile: () => {
        seen.push(Date.now());
        return Promise.resolve(seen.length < 3 ? { requeueAfter: 20 } : undefined);
      },
    });
    c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await until('3 calls', () => seen.length === 3);
    assert.ok(seen[2]! - seen[0]! >= 35, 'waited between refreshes');
    await c.stop(1000);
  });

  it('runs different keys in parallel but one key at a time', async () => {
    const running = new Set<string>();
    let overlapSameKey = false;
    let maxParallel = 0;
    let done = 0;
    const c = controller(
      {
        reconcile: async (req: ReconcileRequest) => {
          if (running.has(req.name)) overlapSameKey = true;
          running.add(req.name);
          maxParallel = Math.max(maxParallel, running.size);
          await new Promise((r) => setTimeout(r, 15));
          running.delete(req.name);
          done += 1;
        },
      },
      4,
    );
    c.start();
    for (let round = 0; round < 3; round++) {
      for (const name of ['a', 'b', 'c', 'd']) c.enqueue({ namespace: 'ns', name });
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(
      'all done',
      () => done >= 8 && c.queue.len() === 0 && c.queue.progress().inFlight === 0,
    );
    assert.equal(overlapSameKey, false);
    assert.equal(maxParallel, 4);
    await c.stop(1000);
  });

  it('drains in-flight work on stop', async () => {
    let finished = false;
    let started = false;
    const c = controller({
      reconcile: async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 50));
        finished = true;
      },
    });
    c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await until('started', () => started);
    assert.equal(await c.stop(2000), true);
    assert.equal(finished, true);
  });
});

describe('Manager', () => {
  it('reports a stall when work waits and nothing finishes within the window', async () => {
    const fake = new FakeClock();
    let release: (() => void) | undefined;
    const manager = new Manager({ clock: fake, logger, stallWindowMs: 60_000 });
    const c = manager.addController({
      name: 'externalsecret',
      reconciler: { reconcile: () => new Promise<void>((r) => (release = r)) },
    });
    await manager.start();
    assert.deepEqual(manager.health(), { synced: true, leading: true, stalled: [] });
    c.enqueue({ namespace: 'ns', name: 'stuck' });
    await until('reconcile running', () => release !== undefined);
    fake.advance(59_000);
    assert.deepEqual(manager.stalled(), []);
    fake.advance(2_000);
    assert.deepEqual(manager.stalled(), ['externalsecret']);
    release!();
    await until('finished', () => c.queue.progress().inFlight === 0);
    assert.deepEqual(manager.stalled(), []);
    await manager.stop();
  });

  it('starts workers only after winning leadership', async () => {
    let callbacks: { onStartedLeading(): void; onStoppedLeading(): void } | undefined;
    let lost = false;
    const manager = new Manager({
      clock,
      logger,
      leaderElection: { start: (cb) => (callbacks = cb), stop: () => Promise.resolve() },
      onLostLeadership: () => (lost = true),
    });
    let calls = 0;
    const c = manager.addController({
      name: 'x',
      reconciler: { reconcile: () => Promise.resolve(void (calls += 1)) },
    });
    await manager.start();
    c.enqueue({ name: 'a' });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(calls, 0);
    assert.deepEqual(manager.stalled(), [], 'a follower with queued work is not stalled');
    callbacks!.onStartedLeading();
    await until('reconciled', () => calls === 1);
    callbacks!.onStoppedLeading();
    assert.equal(lost, true);
    await manager.stop();
  });

  it('ignores status-only updates with specOrMetadataChanged', () => {
    const base = {
      metadata: { name: 'a', generation: 1, resourceVersion: '1', labels: { x: 'y' } },
    };
    const statusOnly = { metadata: { ...base.metadata, resourceVersion: '2' } };
    const specChange = { metadata: { ...base.metadata, generation: 2, resourceVersion: '3' } };
    const labelChange = {
      metadata: { ...base.metadata, labels: { x: 'z' }, resourceVersion: '4' },
    };
    assert.equal(specOrMetadataChanged({ type: 'updated', object: statusOnly, old: base }), false);
    assert.equal(specOrMetadataChanged({ type: 'updated', object: specChange, old: base }), true);
    assert.equal(specOrMetadataChanged({ type: 'updated', object: labelChange, old: base }), true);
    assert.equal(specOrMetadataChanged({ type: 'added', object: base }), true);
  });
});
