/**
 * `npm test`: every test in one node:test run. When integration suites are selected, the real
 * test servers are built (first run) and started once for all of them, and always stopped
 * afterwards — on success, failure or Ctrl-C. A server set started by `npm run testenv:up` is
 * reused and left running.
 *
 *   npm test                  unit + integration
 *   npm run test:unit         src/**, test/template/** (no servers)
 *   npm run test:integration  test/integration/** (servers)
 *   npm test -- <files…>      just those files
 *
 * Files run two at a time. A file whose header holds the marker `ferry-test: cluster-wide` (it
 * starts an operator that watches every namespace) runs afterwards, alone, so that its operator
 * cannot act on another file's objects.
 */
import { spawn, spawnSync } from 'node:child_process';
import { openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  describeVersions,
  loadTestEnv,
  repoRoot,
  startTestEnv,
  stopPids,
  testEnvVariables,
  type TestEnv,
} from '../test/env/testenv.ts';

const log = (line: string): void => {
  process.stderr.write(`test: ${line}\n`);
};

function findTests(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) out.push(relative(repoRoot, full));
    }
  };
  try {
    if (statSync(dir).isDirectory()) walk(dir);
  } catch {
    // folder not there yet
  }
  return out.sort();
}

const CLUSTER_WIDE_MARKER = 'ferry-test: cluster-wide';

/** Whether the file's first 4 KiB carry the cluster-wide marker. */
function isClusterWide(file: string): boolean {
  const fd = openSync(resolve(repoRoot, file), 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).toString().includes(CLUSTER_WIDE_MARKER);
  } finally {
    closeSync(fd);
  }
}

const isIntegration = (file: string): boolean => /^test[/\\](integration|e2e)[/\\]/.test(file);

function selectFiles(args: string[]): string[] {
  const explicit = args.filter((a) => !a.startsWith('--'));
  if (explicit.length > 0) return explicit;
  const all = [
    ...findTests(join(repoRoot, 'src')),
    ...findTests(join(repoRoot, 'test')),
    ...findTests(join(repoRoot, 'demo-app', 'src')),
  ];
  if (args.includes('--unit')) return all.filter((f) => !isIntegration(f));
  if (args.includes('--integration')) return all.filter(isIntegration);
  return all;
}

function runningEnv(): TestEnv | undefined {
  try {
    const env = loadTestEnv();
    env.pids.forEach((pid) => process.kill(pid, 0));
    return env;
  } catch {
    return undefined;
  }
}

async function runNodeTest(
  files: string[],
  extraEnv: Record<string, string>,
  concurrency = process.env['FERRY_TEST_CONCURRENCY'] ?? '2',
): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...extraEnv } },
  );
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolveCode) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolveCode(code ?? (signal ? 130 : 1));
    });
  });
}

/** The Go template oracle, built before the suites that compare against it (cached after). */
function buildOracle(): void {
  const started = Date.now();
  const result = spawnSync('bash', [join(repoRoot, 'scripts/build-oracle.sh')], {
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error('scripts/build-oracle.sh failed; the template suites need Go');
  log(`template oracle ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

async function main(): Promise<number> {
  const files = selectFiles(process.argv.slice(2));
  if (files.length === 0) {
    log('no test files selected');
    return 1;
  }
  if (files.some((f) => /(^|[/\\])template[/\\]/.test(f))) buildOracle();
  let started: TestEnv | undefined;
  let extraEnv: Record<string, string> = {};
  if (files.some(isIntegration)) {
    const existing = runningEnv();
    if (existing) {
      log(`reusing the running test servers: ${describeVersions(existing)}`);
    } else {
      started = await startTestEnv(log);
    }
    extraEnv = testEnvVariables();
  }
  const stop = (): void => {
    if (started) stopPids(started.pids);
    started = undefined;
  };
  process.once('exit', stop);
  try {
    const alone = files.filter(isClusterWide);
    const shared = files.filter((f) => !alone.includes(f));
    log(`running ${String(files.length)} test files (${String(alone.length)} cluster-wide, alone)`);
    let code = shared.length > 0 ? await runNodeTest(shared, extraEnv) : 0;
    if (alone.length > 0) {
      log(`running the cluster-wide files one at a time: ${alone.join(', ')}`);
      const aloneCode = await runNodeTest(alone, extraEnv, '1');
      code = code === 0 ? aloneCode : code;
    }
    const env = files.some(isIntegration) ? (started ?? runningEnv()) : undefined;
    if (env) log(`ran against ${describeVersions(env)}`);
    return code;
  } finally {
    if (started) log('stopping the test servers');
    stop();
  }
}

process.exitCode = await main();
