/**
 * Metrics of the per-store circuit breaker (src/providers/circuit-breaker.ts): which stores'
 * circuits are open, and how many calls failed fast instead of reaching a store.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StoreCircuitBreakerOptions, StoreRef } from '../providers/circuit-breaker.ts';

type StoreLabels = 'kind' | 'namespace' | 'name';

/** The breaker's callbacks, feeding ferry_store_circuit_open and ..._fast_failures_total. */
export function storeCircuitMetrics(
  registry: Registry,
): Pick<StoreCircuitBreakerOptions, 'onOpenChanged' | 'onFastFail'> {
  const open = new Gauge<StoreLabels>({
    name: 'ferry_store_circuit_open',
    help: '1 while the circuit of a store is open: its calls fail fast, one probe per open period.',
    labelNames: ['kind', 'namespace', 'name'],
    registers: [registry],
  });
  const fastFailures = new Counter<StoreLabels>({
    name: 'ferry_store_circuit_fast_failures_total',
    help: 'Provider calls refused by an open store circuit, without a request to the store.',
    labelNames: ['kind', 'namespace', 'name'],
    registers: [registry],
  });
  const labels = (store: StoreRef) => ({
    kind: store.kind,
    namespace: store.namespace,
    name: store.name,
  });
  return {
    onOpenChanged: (store, isOpen) => {
      open.set(labels(store), isOpen ? 1 : 0);
    },
    onFastFail: (store) => {
      fastFailures.inc(labels(store));
    },
  };
}
