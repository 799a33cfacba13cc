/**
 * Goal 6 (refresh spread): the operator under a fake clock, so simulated hours take seconds.
 * All ExternalSecrets are created at once (a mass apply or a fresh install), then the clock moves
 * one second at a time and every provider read is stamped with simulated time. With `restart`,
 * the operator is replaced by a new one half-way (its memory gone, as after a rollout).
 */
import { setImmediate as turn } from 'node:timers/promises';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { prng } from '../../test/template/generate.ts';
import {
  addExternalSecrets,
  BenchWorld,
  startOperator,
  waitIdle,
  type QueueModel,
} from './operator-rig.ts';
import { peakOverMean } from './stats.ts';

const HOUR_MS = 3_600_000;
const STEP_MS = 1_000;
export const SPREAD_WINDOW_MS = 10_000;

export interface SpreadOptions {
  n: number;
  hours: number;
  seed: number;
  /** Replace the operator with a fresh one half-way, just before the measured half starts. */
  restart?: boolean;
}

export interface SpreadResult {
  /** Peak reads in any 10 s window over the mean, over the second half of the run. */
  ratio: number;
  peak: number;
  mean: number;
}

/** Simulates `hours` of refreshes (interval 1h) of `n` ExternalSecrets under one queue model. */
export async function simulateSpread(
  model: QueueModel,
  options: SpreadOptions,
): Promise<SpreadResult> {
  const clock = new FakeClock();
  const start = clock.now();
  const world = new BenchWorld(clock, 0);
  await addExternalSecrets(world, options.n, { prefix: 'spread', refreshInterval: '1h' });
  const rigOptions = { clock, model, concurrency: 4, seed: options.seed };
  let rig = await startOperator(world, rigOptions);
  const idle = () => waitIdle(rig.controller, () => turn(), { pacedIsIdle: true });
  await idle();
  for (let t = 0; t < options.hours * HOUR_MS; t += STEP_MS) {
    if (options.restart === true && t === (options.hours / 2) * HOUR_MS) {
      await rig.stop();
      rig = await startOperator(world, { ...rigOptions, seed: options.seed + 2 });
      await idle();
    }
    clock.advance(STEP_MS);
    await idle();
  }
  await rig.stop();
  const span = { from: start + (options.hours / 2) * HOUR_MS, to: start + options.hours * HOUR_MS };
  return peakOverMean(
    world.reads.map((r) => r.at),
    span,
    SPREAD_WINDOW_MS,
  );
}

/** The same figure for `n` refreshes an hour at independent uniform phases (the noise floor). */
export function uniformSpread(options: SpreadOptions): SpreadResult {
  const random = prng(options.seed);
  const times: number[] = [];
  for (let i = 0; i < options.n; i++) {
    const phase = random() * HOUR_MS;
    for (let h = 0; h < options.hours; h++) times.push(phase + h * HOUR_MS);
  }
  return peakOverMean(
    times,
    { from: (options.hours / 2) * HOUR_MS, to: options.hours * HOUR_MS },
    SPREAD_WINDOW_MS,
  );
}
