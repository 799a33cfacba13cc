/**
 * Goal 7 (one provider read per distinct key per refresh window): K ExternalSecrets that read the
 * same remote key, counted two ways. Through the operator's reconciler, with refresh read sharing
 * (ADR 0015) and with `--refresh-read-share=0`, for a catch-up cycle and a steady hour; and
 * through the sync core's fetch step (src/sync/fetch.ts) with one Coalescer shared by the window
 * versus a fresh one per ExternalSecret.
 */
import type { ExternalSecretObject } from '../../src/controllers/externalsecret/reconcile.ts';
import { EsoResources } from '../../src/controllers/kinds.ts';
import { Coalescer, fetchProviderData } from '../../src/sync/index.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import { BenchWorld, passWarpingPaced, startOperator, waitIdle } from './operator-rig.ts';
import { WarpClock } from './warp-clock.ts';
import { setImmediate as turn } from 'node:timers/promises';
import { FakeClock } from '../../test/support/fake-clock.ts';

const SHARED_KEY = 'shared-key';
const NAMESPACE = 'shared';
const WINDOW_MS = 3_600_000;

export interface CoalescingResult {
  /** Reads of the shared key while the operator syncs the K new ExternalSecrets. */
  firstSync: number;
  /** Reads of the shared key in one refresh cycle of the operator (refresh read sharing on). */
  operator: number;
  /** The same with `--refresh-read-share=0`: every periodic refresh reads. */
  operatorUnshared: number;
  /** Reads of the shared key in the second simulated hour, refreshes spread (steady state). */
  steadyHour: number;
  /** The same with `--refresh-read-share=0`. */
  steadyHourUnshared: number;
  /** Reads with one Coalescer for the window (TTL = refresh interval). */
  sharedCoalescer: number;
  /** Reads with a fresh Coalescer per ExternalSecret (no sharing). */
  perExternalSecret: number;
}

/** The operator syncs K new ExternalSecrets on one key, then refreshes them once (paced). */
async function operatorCycle(
  k: number,
  options: { latencyMs: number; concurrency: number; seed: number; refreshReadShare?: number },
) {
  const clock = new WarpClock();
  const world = new BenchWorld(clock, options.latencyMs);
  const es = Array.from({ length: k }, (_, i) => ({
    name: `es-${i}`,
    key: SHARED_KEY,
    refreshInterval: '1h',
  }));
  await world.addNamespace(NAMESPACE, [SHARED_KEY], es);
  const { concurrency, seed, refreshReadShare } = options;
  const rig = await startOperator(world, {
    clock,
    model: 'ferry',
    concurrency,
    seed,
    ...(refreshReadShare !== undefined ? { refreshReadShare } : {}),
  });
  // One refresh in flight at a time, so each paced one reads at its own simulated time.
  const idle = () => waitIdle(rig.controller, () => passWarpingPaced(rig.controller, clock, 1));
  await idle();
  const firstSync = world.reads.length;
  const mark = world.reads.length;
  clock.warp(WINDOW_MS * 1.25);
  await idle();
  const cycle = world.reads.length - mark;
  await rig.stop();
  return { world, clock, firstSync, cycle };
}

/**
 * Steady state: K ExternalSecrets on one key created together, then two simulated hours, one
 * second at a time (as in spread.ts); the reads of the second hour, once refreshes are spread.
 */
async function steadyHour(k: number, seed: number, refreshReadShare?: number): Promise<number> {
  const clock = new FakeClock();
  const world = new BenchWorld(clock, 0);
  const es = Array.from({ length: k }, (_, i) => ({
    name: `es-${i}`,
    key: SHARED_KEY,
    refreshInterval: '1h',
  }));
  await world.addNamespace(NAMESPACE, [SHARED_KEY], es);
  const rig = await startOperator(world, {
    clock,
    model: 'ferry',
    concurrency: 4,
    seed,
    ...(refreshReadShare !== undefined ? { refreshReadShare } : {}),
  });
  const idle = () => waitIdle(rig.controller, () => turn(), { pacedIsIdle: true });
  await idle();
  const start = clock.now();
  for (let t = 0; t < 2 * WINDOW_MS; t += 1000) {
    clock.advance(1000);
    await idle();
  }
  await rig.stop();
  return world.reads.filter((r) => r.at > start + WINDOW_MS).length;
}

export async function measureCoalescing(
  k: number,
  options: { latencyMs: number; concurrency: number; seed: number },
): Promise<CoalescingResult> {
  const unshared = await operatorCycle(k, { ...options, refreshReadShare: 0 });
  const { world, clock, firstSync, cycle } = await operatorCycle(k, options);

  const objects = (
    await world.api.client().list<ExternalSecretObject>(EsoResources.ExternalSecret, {
      namespace: NAMESPACE,
    })
  ).items;
  const store = world.stores.get(NAMESPACE);
  if (!store) throw new Error('the shared store is missing');
  const context = { namespace: NAMESPACE, kube: {} as never, clock, logger: silentLogger(), fetch };
  const readAll = async (coalescerFor: () => Coalescer): Promise<number> => {
    const before = world.reads.length;
    for (const object of objects) {
      const client = world.registry.forStore(store).newClient(store, context);
      await fetchProviderData(object, { clientFor: () => client, coalescer: coalescerFor() });
    }
    return world.reads.length - before;
  };
  const shared = new Coalescer({ ttlMs: WINDOW_MS, now: () => clock.now() });
  return {
    firstSync,
    operator: cycle,
    operatorUnshared: unshared.cycle,
    steadyHour: await steadyHour(k, options.seed),
    steadyHourUnshared: await steadyHour(k, options.seed, 0),
    sharedCoalescer: await readAll(() => shared),
    perExternalSecret: await readAll(() => new Coalescer()),
  };
}
