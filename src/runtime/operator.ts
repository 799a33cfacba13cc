/**
 * Wires the runtime for `ferry operator` from its flags: kube client, metrics registry, logger,
 * leader election, the manager, and the metrics and health servers. Controllers register their
 * informers and reconcilers on `runtime.manager` between `createOperatorRuntime` and `start`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import type { OperatorConfig } from '../config/operator.ts';
import {
  parseListenAddress,
  startHttpServer,
  type Check,
  type RunningServer,
} from '../http/server.ts';
import { ThrottledKubeClient } from '../kube/throttled.ts';
import { newKubeClient, type KubeClient } from '../kube/client.ts';
import { leaderElection, type LeaderElection } from '../kube/leader-election.ts';
import { createLogger, type RuntimeLogger } from '../telemetry/logger.ts';
import { createMetrics, type Metrics } from '../telemetry/metrics.ts';
import { systemClock, type Clock } from './clock.ts';
import { Manager } from './manager.ts';

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export interface OperatorDeps {
  clock?: Clock;
  logger?: RuntimeLogger;
  /** A ready KubeConfig (tests); otherwise from --kubeconfig, else in-cluster/default. */
  kubeConfig?: KubeConfig;
  /** Called when leadership is lost; the CLI exits non-zero (as controller-runtime does). */
  onLostLeadership?: () => void;
}

export interface OperatorRuntime {
  config: OperatorConfig;
  clock: Clock;
  logger: RuntimeLogger;
  client: KubeClient;
  metrics: Metrics;
  manager: Manager;
  /** Present when --enable-leader-election is set. */
  election?: LeaderElection;
  /** Bound servers after `start` (metrics first, then health when on another address). */
  servers: RunningServer[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

function loadKubeConfig(config: OperatorConfig): KubeConfig {
  const kc = new KubeConfig();
  if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
  else kc.loadFromDefault();
  return kc;
}

function podNamespace(): string {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

function electionFor(
  config: OperatorConfig,
  base: { client: KubeClient; clock: Clock; logger: RuntimeLogger; metrics: Metrics },
): LeaderElection {
  const name = config.leaderElectionId;
  const election = leaderElection({
    client: base.client,
    clock: base.clock,
    logger: base.logger,
    namespace: config.leaderElectionNamespace || podNamespace(),
    name,
    identity: `${hostname()}_${randomUUID()}`,
    leaseDurationMs: config.leaderElectionLeaseDurationMs,
    renewDeadlineMs: config.leaderElectionRenewDeadlineMs,
    retryPeriodMs: config.leaderElectionRetryPeriodMs,
    onNewLeader: (identity) => {
      base.logger.info({ lease: name, leader: identity }, 'new leader observed');
    },
  });
  base.metrics.leaderElectionMasterStatus.set({ name }, 0);
  return election;
}

function checks(manager: Manager): {
  liveness: Record<string, Check>;
  readiness: Record<string, Check>;
} {
  const stall: Check = () => {
    const stalled = manager.stalled();
    return stalled.length > 0
      ? `no reconcile finished within the stall window: ${stalled.join(', ')}`
      : undefined;
  };
  const synced: Check = () =>
    manager.health().synced ? undefined : 'informers have not finished their first list';
  return {
    liveness: { ping: () => undefined, queue: stall },
    readiness: { informers: synced, queue: stall },
  };
}

async function startServers(
  config: OperatorConfig,
  registry: Registry,
  manager: Manager,
): Promise<RunningServer[]> {
  const metricsAt = parseListenAddress(config.metricsAddr);
  const healthAt = parseListenAddress(config.healthAddr);
  const { liveness, readiness } = checks(manager);
  const servers: RunningServer[] = [];
  const same =
    metricsAt &&
    healthAt &&
    metricsAt.host === healthAt.host &&
    metricsAt.port === healthAt.port &&
    metricsAt.port !== 0;
  if (metricsAt)
    servers.push(
      await startHttpServer({ ...metricsAt, registry, ...(same ? { liveness, readiness } : {}) }),
    );
  if (healthAt && !same) servers.push(await startHttpServer({ ...healthAt, liveness, readiness }));
  return servers;
}

export function createOperatorRuntime(
  config: OperatorConfig,
  deps: OperatorDeps = {},
): OperatorRuntime {
  const clock = deps.clock ?? systemClock();
  const logger = deps.logger ?? createLogger({ level: config.loglevel });
  const direct = newKubeClient(deps.kubeConfig ?? loadKubeConfig(config));
  // Lease renewals bypass the limiter: a burst of reconciles must not cost the leadership.
  const client = new ThrottledKubeClient(direct, {
    qps: config.clientQps,
    burst: config.clientBurst,
    now: () => clock.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  const registry = new Registry();
  const metrics = createMetrics(registry);
  const election = config.enableLeaderElection
    ? electionFor(config, { client: direct, clock, logger, metrics })
    : undefined;
  const leaseName = config.leaderElectionId;
  const manager = new Manager({
    clock,
    logger,
    metrics,
    stallWindowMs: config.stallWindowMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    onLostLeadership: deps.onLostLeadership,
    leaderElection: election && {
      start: (callbacks) => {
        election.start({
          onStartedLeading: () => {
            metrics.leaderElectionMasterStatus.set({ name: leaseName }, 1);
            callbacks.onStartedLeading();
          },
          onStoppedLeading: () => {
            metrics.leaderElectionMasterStatus.set({ name: leaseName }, 0);
            callbacks.onStoppedLeading();
          },
        });
      },
      stop: () => election.stop(),
    },
  });
  const runtime: OperatorRuntime = {
    config,
    clock,
    logger,
    client,
    metrics,
    manager,
    election,
    servers: [],
    start: async () => {
      runtime.servers = await startServers(config, registry, manager);
      await manager.start();
    },
    stop: async () => {
      await manager.stop();
      await Promise.all(runtime.servers.map((s) => s.close()));
    },
  };
  return runtime;
}
