/**
 * ESO's PushSecret and ClusterPushSecret series (reference/eso.md §6.2):
 * `<kind>_status_condition{name,namespace,condition,status}` (1 for the current Ready status, 0
 * for the other) and `<kind>_reconcile_duration{name,namespace}` (a Go duration: nanoseconds),
 * with `<kind>` `pushsecret` or `clusterpushsecret` (namespace empty: cluster-scoped).
 */
import { Gauge, type Registry } from 'prom-client';

export interface PushMetrics {
  ready(ref: { namespace?: string; name: string }, status: 'True' | 'False'): void;
  duration(ref: { namespace?: string; name: string }, nanoseconds: number): void;
  /** Drops a deleted object's series. */
  forget(ref: { namespace?: string; name: string }): void;
}

export function pushMetrics(
  registry: Registry,
  subsystem: 'pushsecret' | 'clusterpushsecret',
): PushMetrics {
  const what = subsystem === 'pushsecret' ? 'Push Secret' : 'Cluster Push Secret';
  const condition = new Gauge({
    name: `${subsystem}_status_condition`,
    help: `The status condition of a specific ${what}`,
    labelNames: ['name', 'namespace', 'condition', 'status'] as const,
    registers: [registry],
  });
  const duration = new Gauge({
    name: `${subsystem}_reconcile_duration`,
    help: `The duration time to reconcile the ${what} (nanoseconds)`,
    labelNames: ['name', 'namespace'] as const,
    registers: [registry],
  });
  const labels = (ref: { namespace?: string; name: string }) => ({
    name: ref.name,
    namespace: ref.namespace ?? '',
  });
  return {
    ready(ref, status) {
      const other = status === 'True' ? 'False' : 'True';
      condition.set({ ...labels(ref), condition: 'Ready', status }, 1);
      condition.set({ ...labels(ref), condition: 'Ready', status: other }, 0);
    },
    duration(ref, nanoseconds) {
      duration.set(labels(ref), nanoseconds);
    },
    forget(ref) {
      for (const status of ['True', 'False'])
        condition.remove({ ...labels(ref), condition: 'Ready', status });
      duration.remove(labels(ref));
    },
  };
}
