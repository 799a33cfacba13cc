import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createMetrics } from '../telemetry/metrics.ts';
import { parseListenAddress, startHttpServer } from './server.ts';

describe('HTTP server', () => {
  it('serves healthz, readyz with reasons, and metrics from the injected registry', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry);
    metrics.externalSecretSyncCalls.inc({ name: 'es', namespace: 'ns' });
    let stalled: string | undefined;
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      liveness: { ping: () => undefined },
      readiness: { informers: () => undefined, queue: () => stalled },
    });
    const base = `http://127.0.0.1:${server.address.port}`;
    try {
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200);
      assert.match(await ready.text(), /\[\+\]queue ok/);
      stalled = 'externalsecret: 3 queued, nothing finished for 300s';
      const notReady = await fetch(`${base}/readyz`);
      assert.equal(notReady.status, 503);
      assert.match(await notReady.text(), /\[-\]queue failed: externalsecret/);
      const scraped = await (await fetch(`${base}/metrics`)).text();
      assert.match(scraped, /externalsecret_sync_calls_total\{name="es",namespace="ns"\} 1/);
      assert.match(scraped, /workqueue_depth/);
      assert.equal((await fetch(`${base}/nope`)).status, 404);
    } finally {
      await server.close();
    }
  });

  it('parses Go listen addresses', () => {
    assert.deepEqual(parseListenAddress(':8080'), { host: '0.0.0.0', port: 8080 });
    assert.deepEqual(parseListenAddress('127.0.0.1:9'), { host: '127.0.0.1', port: 9 });
    assert.deepEqual(parseListenAddress('[::1]:80'), { host: '::1', port: 80 });
    assert.equal(parseListenAddress('0'), undefined);
    assert.throws(() => parseListenAddress('8080'), /invalid listen address/);
  });
});
