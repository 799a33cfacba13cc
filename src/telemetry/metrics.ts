/**
 * Prometheus metrics under ESO's and controller-runtime's names (reference/eso.md §6.2), so
 * existing dashboards and alerts keep working. Everything lives in an injected `Registry`,
 * never prom-client's global one. Labels carry names and namespaces, never values.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Lane, QueueMetrics, QueueProgress } from '../runtime/queue.ts';

type ObjectLabels = 'name' | 'namespace';

/** Buckets for reconcile and queue latencies, seconds (controller-runtime's range). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface Metrics {
  registry: Registry;
  externalSecretSyncCalls: Counter<ObjectLabels>;
  externalSecretSyncErrors: Counter<ObjectLabels>;
  externalSecretStatusCondition: Gauge<ObjectLabels | 'condition' | 'status'>;
  /** ESO reports a Go time.Duration as float: nanoseconds. */
  externalSecretReconcileDuration: Gauge<ObjectLabels>;
  providerApiCalls: Counter<'provider' | 'call' | 'status'>;
  reconcileTotal: Counter<'controller' | 'result'>;
  reconcileErrors: Counter<'controller'>;
  terminalReconcileErrors: Counter<'controller'>;
  reconcileTime: Histogram<'controller'>;
  activeWorkers: Gauge<'controller'>;
  maxConcurrentReconciles: Gauge<'controller'>;
  workqueueDepth: Gauge<'name'>;
  workqueueLaneDepth: Gauge<'name' | 'lane'>;
  workqueueAdds: Counter<'name'>;
  workqueueQueueDuration: Histogram<'name'>;
  workqueueWorkDuration: Histogram<'name'>;
  workqueueRetries: Counter<'name'>;
  informerRestarts: Counter<'kind' | 'reason'>;
  leaderElectionMasterStatus: Gauge<'name'>;
  /** Queues the in-flight gauges report, by queue name. */
  inFlightSources: Map<string, InFlightSource>;
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Gauge<L> {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [registry] });
}

function esoMetrics(r: Registry) {
  return {
    externalSecretSyncCalls: counter(
      r,
      'externalsecret_sync_calls_total',
      'Total number of the External Secret sync calls',
      ['name', 'namespace'],
    ),
    externalSecretSyncErrors: counter(
      r,
      'externalsecret_sync_calls_error',
      'Total number of the External Secret sync errors',
      ['name', 'namespace'],
    ),
    externalSecretStatusCondition: gauge(
      r,
      'externalsecret_status_condition',
      'The status condition of a specific External Secret',
      ['name', 'namespace', 'condition', 'status'],
    ),
    externalSecretReconcileDuration: gauge(
      r,
      'externalsecret_reconcile_duration',
      'The duration time to reconcile the External Secret (nanoseconds)',
      ['name', 'namespace'],
    ),
    providerApiCalls: counter(
      r,
      'externalsecret_provider_api_calls_count',
      'Number of API calls towards the secret provider',
      ['provider', 'call', 'status'],
    ),
  };
}

function controllerMetrics(r: Registry) {
  return {
    reconcileTotal: counter(
      r,
      'controller_runtime_reconcile_total',
      'Total number of reconciliations per controller',
      ['controller', 'result'],
    ),
    reconcileErrors: counter(
      r,
      'controller_runtime_reconcile_errors_total',
      'Total number of reconciliation errors per controller',
      ['controller'],
    ),
    terminalReconcileErrors: counter(
      r,
      'controller_runtime_terminal_reconcile_errors_total',
      'Total number of terminal reconciliation errors per controller',
      ['controller'],
    ),
    reconcileTime: histogram(
      r,
      'controller_runtime_reconcile_time_seconds',
      'Length of time per reconciliation per controller',
      ['controller'],
    ),
    activeWorkers: gauge(
      r,
      'controller_runtime_active_workers',
      'Number of currently used workers per controller',
      ['controller'],
    ),
    maxConcurrentReconciles: gauge(
      r,
      'controller_runtime_max_concurrent_reconciles',
      'Maximum number of concurrent reconciles per controller',
      ['controller'],
    ),
    leaderElectionMasterStatus: gauge(
      r,
      'leader_election_master_status',
      '1 if this replica is the leader for the named lease, else 0',
      ['name'],
    ),
    informerRestarts: counter(
      r,
      'ferry_informer_restarts_total',
      'Watch restarts per kind and reason (closed, error, gone, idle, relist)',
      ['kind', 'reason'],
    ),
  };
}

function workqueueMetrics(r: Registry) {
  return {
    workqueueDepth: gauge(r, 'workqueue_depth', 'Current depth of workqueue', ['name']),
    workqueueLaneDepth: gauge(
      r,
      'ferry_workqueue_lane_depth',
      'Current depth of each workqueue lane (changed, refresh)',
      ['name', 'lane'],
    ),
    workqueueAdds: counter(r, 'workqueue_adds_total', 'Total number of adds handled by workqueue', [
      'name',
    ]),
    workqueueQueueDuration: histogram(
      r,
      'workqueue_queue_duration_seconds',
      'How long in seconds an item stays in workqueue before being requested',
      ['name'],
    ),
    workqueueWorkDuration: histogram(
      r,
      'workqueue_work_duration_seconds',
      'How long in seconds processing an item from workqueue takes',
      ['name'],
    ),
    workqueueRetries: counter(
      r,
      'workqueue_retries_total',
      'Total number of retries handled by workqueue',
      ['name'],
    ),
  };
}

/** Registers every Ferry metric in `registry`. */
export function createMetrics(registry: Registry): Metrics {
  const inFlightSources = new Map<string, InFlightSource>();
  inFlightGauge(
    registry,
    'workqueue_unfinished_work_seconds',
    'Seconds of work in progress not yet observed by work_duration',
    inFlightSources,
  );
  inFlightGauge(
    registry,
    'workqueue_longest_running_processor_seconds',
    'Seconds the longest running processor for workqueue has been running',
    inFlightSources,
  );
  return {
    registry,
    inFlightSources,
    ...esoMetrics(registry),
    ...controllerMetrics(registry),
    ...workqueueMetrics(registry),
  };
}

/** The queue hooks for the queue called `name` (controller-runtime names queues after controllers). */
export function queueMetrics(metrics: Metrics, name: string): QueueMetrics {
  const lanes: Record<Lane, number> = { changed: 0, refresh: 0 };
  return {
    added: () => {
      metrics.workqueueAdds.inc({ name });
    },
    depth: (lane, n) => {
      lanes[lane] = n;
      metrics.workqueueLaneDepth.set({ name, lane }, n);
      metrics.workqueueDepth.set({ name }, lanes.changed + lanes.refresh);
    },
    queueLatency: (s) => {
      metrics.workqueueQueueDuration.observe({ name }, s);
    },
    workDuration: (s) => {
      metrics.workqueueWorkDuration.observe({ name }, s);
    },
    retried: () => {
      metrics.workqueueRetries.inc({ name });
    },
  };
}

/** What the in-flight gauges read at scrape time. */
export interface InFlightSource {
  progress(): QueueProgress;
  now(): number;
}

/**
 * Makes `workqueue_unfinished_work_seconds` and `workqueue_longest_running_processor_seconds`
 * report the queue called `name`; both are computed at scrape time from its oldest in-flight key.
 */
export function registerInFlightGauges(
  metrics: Metrics,
  name: string,
  source: InFlightSource,
): void {
  metrics.inFlightSources.set(name, source);
}

function inFlightGauge(
  r: Registry,
  metricName: string,
  help: string,
  sources: Map<string, InFlightSource>,
): Gauge<'name'> {
  return new Gauge({
    name: metricName,
    help,
    labelNames: ['name'],
    registers: [r],
    collect() {
      for (const [name, source] of sources) {
        const since = source.progress().oldestInFlightSince;
        this.set({ name }, since === undefined ? 0 : (source.now() - since) / 1000);
      }
    },
  });
}

/**
 * ESO's condition gauge: 1 for the current status, 0 for the opposite one
 * (`externalsecret_status_condition{condition="Ready",status="True"|"False"}`).
 */
export function setExternalSecretCondition(
  metrics: Metrics,
  ref: { name: string; namespace: string },
  condition: string,
  status: 'True' | 'False',
): void {
  const opposite = status === 'True' ? 'False' : 'True';
  metrics.externalSecretStatusCondition.set({ ...ref, condition, status }, 1);
  metrics.externalSecretStatusCondition.set({ ...ref, condition, status: opposite }, 0);
}

/** Drops every per-object series of a deleted ExternalSecret (ESO does the same). */
export function forgetExternalSecret(
  metrics: Metrics,
  ref: { name: string; namespace: string },
): void {
  for (const status of ['True', 'False']) {
    metrics.externalSecretStatusCondition.remove({ ...ref, condition: 'Ready', status });
  }
  metrics.externalSecretReconcileDuration.remove(ref);
  metrics.externalSecretSyncCalls.remove(ref);
  metrics.externalSecretSyncErrors.remove(ref);
}

/** An informer `onRestart` hook that counts `ferry_informer_restarts_total{kind,reason}`. */
export function informerRestartHook(metrics: Metrics, kind: string): (reason: string) => void {
  return (reason) => {
    metrics.informerRestarts.inc({ kind, reason });
  };
}
