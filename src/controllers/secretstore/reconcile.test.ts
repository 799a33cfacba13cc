import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import type { Provider, SecretsClient, ValidationResult } from '../../providers/provider.ts';
import { StoreConfigError } from '../../providers/provider.ts';
import { ProviderRegistry } from '../../providers/registry.ts';
import { silentLogger } from '../../telemetry/logger.ts';
import { isOurs, SecretStoreReconciler, type StoreObject } from './reconcile.ts';

function provider(result: ValidationResult | Error | 'bad-spec'): Provider {
  return {
    key: 'stub',
    capabilities: () => 'ReadOnly',
    validateStore: () => {
      if (result === 'bad-spec') throw new StoreConfigError('spec is wrong');
      return [];
    },
    newClient: () =>
      Promise.resolve({
        validate: () =>
          result instanceof Error ? Promise.reject(result) : Promise.resolve(result),
        close: () => Promise.resolve(),
      } as unknown as SecretsClient),
  };
}

function harness(result: ValidationResult | Error | 'bad-spec', status?: StoreObject['status']) {
  const store: StoreObject = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    metadata: { name: 's', namespace: 'n' },
    spec: { provider: { stub: {} } },
    ...(status ? { status } : {}),
  };
  const patches: unknown[] = [];
  const events: string[] = [];
  const messages: string[] = [];
  const reconciler = new SecretStoreReconciler({
    kind: 'SecretStore',
    client: {
      mergePatch: (_t: unknown, _r: unknown, patch: unknown) => {
        patches.push(patch);
        return Promise.resolve({});
      },
    } as unknown as KubeClient,
    stores: { getByRef: () => store },
    registry: new ProviderRegistry().register(provider(result)),
    kube: {} as never,
    recorder: {
      event: (_o: unknown, type: string, reason: string, message: string) => {
        events.push(`${type}/${reason}`);
        messages.push(message);
        return Promise.resolve();
      },
    } as unknown as EventRecorder,
    clock: { now: () => 0 },
    logger: silentLogger(),
    fetch: globalThis.fetch,
    requeueIntervalMs: 300_000,
  });
  return { reconciler, patches, events, messages };
}

const readyOf = (patch: unknown) =>
  (patch as { status: { conditions: { reason: string; status: string }[] } }).status.conditions[0];

const messageOf = (patch: unknown) =>
  (patch as { status: { conditions: { message: string }[] } }).status.conditions[0]?.message;

describe('SecretStoreReconciler', () => {
  for (const [result, status, reason] of [
    ['Ready', 'True', 'Valid'],
    ['Unknown', 'True', 'ValidationUnknown'],
    ['Error', 'False', 'InvalidProviderConfig'],
    [new Error('connection refused'), 'False', 'InvalidProviderConfig'],
    ['bad-spec', 'False', 'InvalidStoreConfiguration'],
  ] as const) {
    it(`sets Ready=${status} (${reason}) for ${String(result)}`, async () => {
      const h = harness(result);
      assert.deepEqual(await h.reconciler.reconcile({ namespace: 'n', name: 's' }), {
        requeueAfter: 300_000,
      });
      assert.equal(h.patches.length, 1);
      assert.equal(readyOf(h.patches[0])?.status, status);
      assert.equal(readyOf(h.patches[0])?.reason, reason);
      assert.deepEqual(h.events, [`${status === 'True' ? 'Normal' : 'Warning'}/${reason}`]);
    });
  }

  it('uses ESO fixed condition messages and puts the cause into the event only', async () => {
    const failed = harness(new Error('connection refused'));
    await failed.reconciler.reconcile({ namespace: 'n', name: 's' });
    assert.equal(messageOf(failed.patches[0]), 'unable to validate store');
    assert.deepEqual(failed.messages, ['connection refused']);
    const unknown = harness('Unknown');
    await unknown.reconciler.reconcile({ namespace: 'n', name: 's' });
    assert.equal(messageOf(unknown.patches[0]), 'could not determine validation status');
  });

  it('records the provider capabilities once the store validated, as ESO', async () => {
    const h = harness('Ready');
    await h.reconciler.reconcile({ namespace: 'n', name: 's' });
    const status = (h.patches[0] as { status: { capabilities?: string } }).status;
    assert.equal(status.capabilities, 'ReadOnly');
    const failed = harness('Error');
    await failed.reconciler.reconcile({ namespace: 'n', name: 's' });
    assert.equal(
      (failed.patches[0] as { status: { capabilities?: string } }).status.capabilities,
      undefined,
    );
  });

  it('writes nothing when the condition is unchanged', async () => {
    const h = harness('Ready', {
      conditions: [{ type: 'Ready', status: 'True', reason: 'Valid', message: 'store validated' }],
      capabilities: 'ReadOnly',
    });
    await h.reconciler.reconcile({ namespace: 'n', name: 's' });
    assert.deepEqual(h.patches, []);
    assert.deepEqual(h.events, []);
  });

  it('leaves stores of another controller class alone', () => {
    const spec = { provider: {} };
    const s = (controller?: string) =>
      ({
        kind: 'SecretStore',
        metadata: {},
        spec: { ...spec, ...(controller ? { controller } : {}) },
      }) as StoreObject;
    assert.equal(isOurs(s(), 'default'), true);
    assert.equal(isOurs(s('default'), 'default'), true);
    assert.equal(isOurs(s('other'), 'default'), false);
  });
});
