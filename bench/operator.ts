/**
 * Operator scale benchmark (reference/perf-reliability.md §5, goals 1, 2, 4, 5, 6, 7): the real
 * ExternalSecret reconciler, Manager, WorkQueue and informers in-process over an in-memory API
 * server, with the `fake` provider behind an injected latency. Each figure is set against a
 * baseline measured in the same run: mostly the same operator configured the ESO way (one FIFO
 * queue lane, no jitter), see docs/benchmarks.md.
 *
 *   npm run bench                     (every bench)
 *   node --import tsx bench/operator.ts [--n 2000] [--latency-ms 20] [--concurrent 10]
 *        [--new 20] [--k 100] [--spread-n 1000] [--spread-hours 4] [--seed 1]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { measureCoalescing } from './support/coalescing.ts';
import {
  addExternalSecrets,
  BenchWorld,
  passWarpingPaced,
  startOperator,
  waitIdle,
  type OperatorRig,
  type QueueModel,
} from './support/operator-rig.ts';
import { simulateSpread, uniformSpread } from './support/spread.ts';
import { percentile } from './support/stats.ts';
import { WarpClock } from './support/warp-clock.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const opts = {
  n: arg('n', 2000),
  latencyMs: arg('latency-ms', 20),
  concurrency: arg('concurrent', 10),
  fresh: arg('new', 20),
  k: arg('k', 100),
  spreadN: arg('spread-n', 1000),
  spreadHours: arg('spread-hours', 4),
  seed: arg('seed', 1),
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MIB = 1024 * 1024;
/** Past every refresh timer: interval 1h, ±10 % from the sync core and ±10 % from the queue. */
const PAST_REFRESH_MS = 75 * 60_000;

/** Progress on stderr, so stdout stays the table. */
function step(what: string): void {
  process.stderr.write(`  · ${what}\n`);
}

function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

// WarpClock timers are unref'd like the system clock's; this keeps the process up meanwhile.
const keepAlive = setInterval(() => undefined, 1_000);
const clock = new WarpClock();
const world = new BenchWorld(clock, opts.latencyMs);
const idle = (rig: OperatorRig, done?: () => boolean) =>
  waitIdle(rig.controller, () => passWarpingPaced(rig.controller, clock), { done });
const rigOptions = (model: QueueModel) => ({
  clock,
  model,
  concurrency: opts.concurrency,
  seed: opts.seed,
});
const isWrite = (verb: string) => !['get', 'list', 'watch'].includes(verb);

/** Creates `count` ExternalSecrets while a refresh cycle is queued; their time-to-Ready (ms). */
async function timeToReady(rig: OperatorRig, prefix: string): Promise<number[]> {
  const createdAt = performance.now();
  const keys = await addExternalSecrets(world, opts.fresh, { prefix, refreshInterval: '1h' });
  await idle(rig, () => keys.every((k) => world.readyAt.has(k)));
  return keys.map((k) => (world.readyAt.get(k) ?? Number.NaN) - createdAt);
}

// (d) baseline: the bare cost of the N objects, created in the in-memory API server.
const heap0 = settledHeap();
const rss0 = process.memoryUsage().rss;
const started = performance.now();
const keys = await addExternalSecrets(world, opts.n, { prefix: 'bench', refreshInterval: '1h' });
const createMs = performance.now() - started;
const bareHeap = settledHeap() - heap0;

/** (d) Ferry's initial sync, then (a, b) one refresh cycle with new ExternalSecrets arriving. */
async function ferryRun() {
  step(`initial sync of ${opts.n} ExternalSecrets`);
  const started = performance.now();
  const rig = await startOperator(world, rigOptions('ferry'));
  await idle(rig, () => keys.every((k) => world.readyAt.has(k)));
  const initialMs = performance.now() - started;
  const firstSyncWrites = rig.client.writes() / opts.n;

  step('refresh cycle, Ferry queue');
  rig.client.reset();
  const readMark = world.reads.length;
  clock.warp(PAST_REFRESH_MS);
  const queued = rig.controller.queue.len();
  const ttr = await timeToReady(rig, 'new-ferry');
  await idle(rig);
  const calls = rig.client.calls.filter((c) => c.namespace?.startsWith('bench-'));
  const refreshes = world.reads.slice(readMark).filter((r) => r.key.startsWith('bench-')).length;
  const heap = settledHeap();
  const rss = process.memoryUsage().rss;
  await rig.stop();
  return {
    initialMs,
    firstSyncWrites,
    queued,
    ttr,
    refreshes,
    writes: calls.filter((c) => isWrite(c.verb)).length,
    requests: calls.length,
    heap,
    rss,
  };
}

const ferry = await ferryRun();
// The operator is gone now; what it held is the difference.
const operatorHeap = ferry.heap - settledHeap();

step('refresh cycle, ESO queue');
// (a) ESO model: a restart finds every refresh due (Ferry keeps unchanged refresh times in
// memory), so all N wait in the single FIFO lane, as N timer-driven refreshes would.
const rig = await startOperator(world, rigOptions('eso'));
const queuedEso = rig.controller.queue.len();
const ttrEso = await timeToReady(rig, 'new-eso');
await idle(rig);
await rig.stop();

step('coalescing');
const coalescing = await measureCoalescing(opts.k, {
  latencyMs: opts.latencyMs,
  concurrency: opts.concurrency,
  seed: opts.seed,
});
step(`refresh spread: ${opts.spreadHours} simulated hours, four times`);
const spreadOptions = { n: opts.spreadN, hours: opts.spreadHours, seed: opts.seed };
const spread: Record<QueueModel, Awaited<ReturnType<typeof simulateSpread>>> = {
  ferry: await simulateSpread('ferry', spreadOptions),
  eso: await simulateSpread('eso', spreadOptions),
};
const restarted: Record<QueueModel, Awaited<ReturnType<typeof simulateSpread>>> = {
  ferry: await simulateSpread('ferry', { ...spreadOptions, restart: true }),
  eso: await simulateSpread('eso', { ...spreadOptions, restart: true }),
};
const floor = uniformSpread(spreadOptions);
clearInterval(keepAlive);

// ---- report
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);
const x = (v: number) => `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`;
const mib = (bytes: number) => `${(((bytes / opts.n) * 1000) / MIB).toFixed(2)} MiB`;
const syncRate = (opts.n / ferry.initialMs) * 1000;
const latencyBound = (opts.concurrency * 1000) / opts.latencyMs;
const rows: [string, string, string, string][] = [
  ['figure', 'ferry', 'baseline', 'ratio'],
  [
    `(a) new ES time-to-Ready p50 (${opts.fresh} new)`,
    ms(percentile(ferry.ttr, 50)),
    `${ms(percentile(ttrEso, 50))} (ESO: 1 FIFO lane)`,
    `${x(percentile(ttrEso, 50) / percentile(ferry.ttr, 50))} faster`,
  ],
  [
    '    p99',
    ms(percentile(ferry.ttr, 99)),
    ms(percentile(ttrEso, 99)),
    `${x(percentile(ttrEso, 99) / percentile(ferry.ttr, 99))} faster`,
  ],
  ['    refreshes queued ahead', String(ferry.queued), String(queuedEso), ''],
  [
    '(b) kube writes per no-op refresh cycle',
    String(ferry.writes),
    `${ferry.refreshes} (ESO: 1 status write per refresh)`,
    (ferry.writes / ferry.refreshes).toFixed(3),
  ],
  ['    kube requests per no-op refresh', (ferry.requests / ferry.refreshes).toFixed(2), '', ''],
  [
    `(c) provider reads, ${opts.k} ES on 1 key: first sync`,
    `${coalescing.firstSync} (operator)`,
    `${opts.k} (one read per ES)`,
    x(coalescing.firstSync / opts.k),
  ],
  [
    '    one refresh cycle (paced; read share 0.1)',
    `${coalescing.operator} (operator)`,
    `${coalescing.operatorUnshared} (--refresh-read-share=0)`,
    x(coalescing.operator / coalescing.operatorUnshared),
  ],
  [
    '    steady state, reads in the 2nd hour',
    `${coalescing.steadyHour} (operator)`,
    `${coalescing.steadyHourUnshared} (--refresh-read-share=0)`,
    x(coalescing.steadyHour / coalescing.steadyHourUnshared),
  ],
  [
    '    sync core: shared Coalescer vs per ES',
    String(coalescing.sharedCoalescer),
    String(coalescing.perExternalSecret),
    x(coalescing.sharedCoalescer / coalescing.perExternalSecret),
  ],
  [
    `(d) initial sync of ${opts.n} ES`,
    `${syncRate.toFixed(0)} syncs/s`,
    `${latencyBound.toFixed(0)}/s (latency bound)`,
    x(syncRate / latencyBound),
  ],
  [
    '    bare create of the ES in the fake API',
    `${((opts.n / createMs) * 1000).toFixed(0)} creates/s`,
    '',
    '',
  ],
  ['    kube writes per first sync', ferry.firstSyncWrites.toFixed(2), '', ''],
  [
    '    heap per 1,000 managed ES',
    mib(operatorHeap),
    `${mib(bareHeap)} (the ES objects alone)`,
    x(operatorHeap / bareHeap),
  ],
  [
    '    process RSS, steady (incl. API server)',
    `${(ferry.rss / MIB).toFixed(0)} MiB`,
    `${(rss0 / MIB).toFixed(0)} MiB before creating the ES`,
    '',
  ],
  [
    `(e) peak/mean reads per 10 s (${opts.spreadN} ES)`,
    spread.ferry.ratio.toFixed(2),
    `${spread.eso.ratio.toFixed(1)} (ESO: no jitter)`,
    `${x(spread.eso.ratio / spread.ferry.ratio)} flatter`,
  ],
  [
    '    after a restart half-way',
    restarted.ferry.ratio.toFixed(2),
    restarted.eso.ratio.toFixed(1),
    `${x(restarted.eso.ratio / restarted.ferry.ratio)} flatter`,
  ],
  ['    uniform random phases (noise floor)', floor.ratio.toFixed(1), '', ''],
];
console.log(
  `operator bench: ${opts.n} ExternalSecrets (refreshInterval 1h), fake provider ${opts.latencyMs} ms/read, ` +
    `--concurrent ${opts.concurrency} in both models; (e) ${opts.spreadHours} simulated hours, second half`,
);
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows)
  console.log(`  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd());
