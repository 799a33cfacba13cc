/**
 * ESO's two ClusterExternalSecret series (reference/eso.md §7):
 * `clusterexternalsecret_status_condition{name,namespace,condition,status}` and
 * `clusterexternalsecret_reconcile_duration{name,namespace}` (a Go duration as float: nanoseconds).
 * `namespace` is always empty: a CES is cluster-scoped. ESO only updates the condition gauge when
 * Ready is True (a failing CES keeps its last value); Ferry sets 1 for the current status and 0
 * for the other one either way, as for ExternalSecrets.
 */
import { Gauge, type Registry } from 'prom-client';

export interface ClusterExternalSecretMetrics {
  ready(name: string, status: 'True' | 'False'): void;
  duration(name: string, nanoseconds: number): void;
  /** Drops a deleted CES's series. */
  forget(name: string): void;
}

export function clusterExternalSecretMetrics(registry: Registry): ClusterExternalSecretMetrics {
  const condition = new Gauge({
    name: 'clusterexternalsecret_status_condition',
    help: 'The status condition of a specific Cluster External Secret',
    labelNames: ['name', 'namespace', 'condition', 'status'] as const,
    registers: [registry],
  });
  const duration = new Gauge({
    name: 'clusterexternalsecret_reconcile_duration',
    help: 'The duration time to reconcile the Cluster External Secret (nanoseconds)',
    labelNames: ['name', 'namespace'] as const,
    registers: [registry],
  });
  return {
    ready(name, status) {
      const other = status === 'True' ? 'False' : 'True';
      condition.set({ name, namespace: '', condition: 'Ready', status }, 1);
      condition.set({ name, namespace: '', condition: 'Ready', status: other }, 0);
    },
    duration(name, nanoseconds) {
      duration.set({ name, namespace: '' }, nanoseconds);
    },
    forget(name) {
      for (const status of ['True', 'False'])
        condition.remove({ name, namespace: '', condition: 'Ready', status });
      duration.remove({ name, namespace: '' });
    },
  };
}
