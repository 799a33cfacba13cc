/**
 * `ferry operator` as a real child process for integration tests: start it against the test API
 * server, read its metrics and health endpoints, and stop it (SIGTERM, or SIGKILL to play a crash).
 * Also applies Ferry's CRDs, which the operator expects to find installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildCrds } from '../../src/api/crds.ts';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import type { KubeObject, ResourceType } from '../../src/kube/types.ts';
import { loadTestEnv, repoRoot } from '../env/testenv.ts';
import { eventually } from './kube.ts';

export const CrdResource: ResourceType = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
};

/** Applies every Ferry CRD (server-side apply, idempotent) and waits until each kind is served. */
export async function applyCrds(client: KubeClient): Promise<void> {
  for (const crd of buildCrds() as (KubeObject & Record<string, unknown>)[])
    await client.apply(CrdResource, crd, { fieldManager: 'ferry-tests', force: true });
  await eventually('CRDs served', async () => {
    for (const type of Object.values(EsoResources))
      await client.list(type, type.namespaced ? { namespace: 'default', limit: 1 } : { limit: 1 });
    return true;
  });
}

export interface OperatorProcessOptions {
  /** Extra flags, e.g. `--namespace=…`, `--controller-class=…`, `--enable-leader-election`. */
  args?: string[];
  /** Extra environment variables. */
  env?: NodeJS.ProcessEnv;
  /** Kubeconfig; defaults to the test environment's admin kubeconfig. */
  kubeconfig?: string;
  /**
   * Wait for the "operator started" log line (servers bound). Default true. With leader election
   * the process starts its servers before it leads, so this still returns promptly.
   */
  waitStarted?: boolean;
  /**
   * How long to wait for "operator started". Default 90 s: loading the sources through tsx takes
   * several seconds of CPU, far more while other test files and operators share the machine.
   */
  startTimeoutMs?: number;
}

export interface OperatorProcess {
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** `http://host:port` of the metrics server; empty when not waited for. */
  readonly metricsUrl: string;
  /** `http://host:port` of the health server (same as metrics when they share an address). */
  readonly healthUrl: string;
  /** Sum of the samples of every metric line matching `pattern` (e.g. /^foo_total\{verb="create"/). */
  metric(pattern: RegExp): Promise<number>;
  /** SIGTERM and wait; resolves to the exit code (null when killed by a signal). */
  stop(): Promise<number | null>;
  /** SIGKILL and wait: a crash, no graceful shutdown. */
  kill(): Promise<void>;
  readonly exited: boolean;
}

/** Starts `ferry operator --kubeconfig … --metrics-addr=127.0.0.1:0 --health-addr=127.0.0.1:0 …`. */
export async function startOperator(
  options: OperatorProcessOptions = {},
): Promise<OperatorProcess> {
  const kubeconfig = options.kubeconfig ?? loadTestEnv().kubeconfig;
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'bin/ferry.js'),
      'operator',
      `--kubeconfig=${kubeconfig}`,
      '--metrics-addr=127.0.0.1:0',
      '--health-addr=127.0.0.1:0',
      '--loglevel=debug',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  let text = '';
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  child.stdout.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr.on('data', (b: Buffer) => (text += b.toString()));
  let metricsUrl = '';
  let healthUrl = '';
  if (options.waitStarted ?? true) {
    const servers = await eventually(
      'operator started',
      () => {
        if (exited) throw new Error(`operator exited early:\n${text}`);
        const line = text.split('\n').find((l) => l.includes('"operator started"'));
        return line ? (JSON.parse(line) as { servers: string[] }).servers : undefined;
      },
      options.startTimeoutMs ?? 90_000,
    ).catch((error: unknown) => {
      child.kill('SIGKILL'); // a process that never started must not outlive the test
      throw error;
    });
    metricsUrl = `http://${servers[0] ?? ''}`;
    healthUrl = `http://${servers[1] ?? servers[0] ?? ''}`;
  }
  return {
    child,
    output: () => text,
    metricsUrl,
    healthUrl,
    get exited() {
      return exited;
    },
    async metric(pattern: RegExp): Promise<number> {
      const body = await (await fetch(`${metricsUrl}/metrics`)).text();
      let sum = 0;
      for (const line of body.split('\n'))
        if (pattern.test(line)) sum += Number(line.split(' ').at(-1));
      return sum;
    },
    async stop(): Promise<number | null> {
      if (!exited) child.kill('SIGTERM');
      return exit;
    },
    async kill(): Promise<void> {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}
