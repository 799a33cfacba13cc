import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry, register as globalRegistry } from 'prom-client';
import {
  createMetrics,
  forgetExternalSecret,
  queueMetrics,
  registerInFlightGauges,
  setExternalSecretCondition,
} from './metrics.ts';

describe('metrics', () => {
  it("registers ESO's and controller-runtime's names in the injected registry only", async () => {
    const registry = new Registry();
    createMetrics(registry);
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    for (const name of [
      'externalsecret_sync_calls_total',
      'externalsecret_sync_calls_error',
      'externalsecret_status_condition',
      'externalsecret_reconcile_duration',
      'externalsecret_provider_api_calls_count',
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds',
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_queue_duration_seconds',
      'workqueue_work_duration_seconds',
      'workqueue_retries_total',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
    ]) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(
      globalRegistry.getSingleMetric('workqueue_depth'),
      undefined,
      'global registry untouched',
    );
    createMetrics(new Registry()); // a second instance does not collide
  });

  it('sets the Ready condition as 1 for the current status and 0 for the opposite, and forgets it', async () => {
    const registry = new Registry();
    const m = createMetrics(registry);
    const ref = { name: 'es', namespace: 'ns' };
    setExternalSecretCondition(m, ref, 'Ready', 'False');
    setExternalSecretCondition(m, ref, 'Ready', 'True');
    const text = await registry.metrics();
    assert.match(
      text,
      /externalsecret_status_condition\{name="es",namespace="ns",condition="Ready",status="True"\} 1/,
    );
    assert.match(
      text,
      /externalsecret_status_condition\{name="es",namespace="ns",condition="Ready",status="False"\} 0/,
    );
    forgetExternalSecret(m, ref);
    assert.doesNotMatch(await registry.metrics(), /name="es"/);
  });

  it('feeds workqueue metrics from queue hooks and in-flight gauges at scrape time', async () => {
    const registry = new Registry();
    const m = createMetrics(registry);
    const hooks = queueMetrics(m, 'externalsecret');
    hooks.added('changed');
    hooks.depth('changed', 2);
    hooks.depth('refresh', 3);
    hooks.retried();
    let now = 10_000;
    registerInFlightGauges(m, 'externalsecret', {
      progress: () => ({ pending: 0, inFlight: 1, lastProgressAt: 0, oldestInFlightSince: 4_000 }),
      now: () => now,
    });
    now = 10_000;
    const text = await registry.metrics();
    assert.match(text, /workqueue_depth\{name="externalsecret"\} 5/);
    assert.match(text, /ferry_workqueue_lane_depth\{name="externalsecret",lane="refresh"\} 3/);
    assert.match(text, /workqueue_retries_total\{name="externalsecret"\} 1/);
    assert.match(text, /workqueue_longest_running_processor_seconds\{name="externalsecret"\} 6/);
  });
});
