import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../errors.ts';
import { parseOperatorFlags } from './operator.ts';

describe('parseOperatorFlags', () => {
  it("uses ESO's defaults", () => {
    const c = parseOperatorFlags([]);
    assert.equal(c.concurrent, 1);
    assert.equal(c.controllerClass, 'default');
    assert.equal(c.enableLeaderElection, false);
    assert.equal(c.leaderElectionId, 'external-secrets-controller');
    assert.equal(c.leaderElectionLeaseDurationMs, 15_000);
    assert.equal(c.leaderElectionRenewDeadlineMs, 10_000);
    assert.equal(c.leaderElectionRetryPeriodMs, 2_000);
    assert.equal(c.metricsAddr, ':8080');
    assert.equal(c.healthAddr, ':8082');
    assert.equal(c.loglevel, 'info');
    assert.equal(c.enableClusterStoreReconciler, true);
    assert.equal(c.enableManagedSecretsCaching, true);
    assert.equal(c.storeRequeueIntervalMs, 300_000);
    assert.equal(c.clientQps, 50);
  });

  it('parses values, Go booleans and durations', () => {
    const c = parseOperatorFlags([
      '--concurrent=8',
      '--namespace',
      'team-a',
      '--enable-leader-election',
      '--enable-cluster-store-reconciler=false',
      '--store-requeue-interval=1m30s',
      '--loglevel=debug',
      '--metrics-addr=127.0.0.1:9090',
    ]);
    assert.equal(c.concurrent, 8);
    assert.equal(c.namespace, 'team-a');
    assert.equal(c.enableLeaderElection, true);
    assert.equal(c.enableClusterStoreReconciler, false);
    assert.equal(c.storeRequeueIntervalMs, 90_000);
    assert.equal(c.loglevel, 'debug');
    assert.equal(c.metricsAddr, '127.0.0.1:9090');
  });

  it('accepts the controller-runtime aliases', () => {
    const c = parseOperatorFlags([
      '--metrics-bind-address=:9000',
      '--health-addr=:9001',
      '--zap-log-level=warn',
      '--leader-elect=true',
    ]);
    assert.equal(c.metricsAddr, ':9000');
    assert.equal(c.healthAddr, ':9001');
    assert.equal(c.loglevel, 'warn');
    assert.equal(c.enableLeaderElection, true);
  });

  it('store circuit: 5 failures, 30 s open by default; 0 turns it off', () => {
    const c = parseOperatorFlags([]);
    assert.equal(c.storeCircuitThreshold, 5);
    assert.equal(c.storeCircuitOpenDurationMs, 30_000);
    const off = parseOperatorFlags([
      '--store-circuit-threshold=0',
      '--store-circuit-open-duration=5s',
    ]);
    assert.equal(off.storeCircuitThreshold, 0);
    assert.equal(off.storeCircuitOpenDurationMs, 5000);
  });

  it('refresh read share: 0.1 of the interval by default; 0 turns it off', () => {
    assert.equal(parseOperatorFlags([]).refreshReadShare, 0.1);
    assert.equal(parseOperatorFlags(['--refresh-read-share=0']).refreshReadShare, 0);
    assert.equal(parseOperatorFlags(['--refresh-read-share', '0.25']).refreshReadShare, 0.25);
  });

  for (const [args, pattern] of [
    [['--bogus'], /bogus/],
    [['--concurrent=0'], /at least 1/],
    [['--concurrent=two'], /integer/],
    [['--store-requeue-interval=5 minutes'], /invalid duration/],
    [['--loglevel=loud'], /unknown level/],
    [['--leader-election-renew-deadline=20s'], /shorter/],
    [['--store-circuit-threshold=-1'], /0 \(off\) or more/],
    [['--store-circuit-open-duration=0s'], /longer than 0s/],
    [['--refresh-read-share=-0.1'], /from 0 \(off\) to 1/],
    [['--refresh-read-share=1.5'], /from 0 \(off\) to 1/],
    [['--refresh-read-share=often'], /a number/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, () => {
      assert.throws(
        () => parseOperatorFlags(args),
        (error) => error instanceof UsageError && pattern.test(error.message),
      );
    });
  }
});
