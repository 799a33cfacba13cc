import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryKube } from '../../test/support/memory-kube.ts';
import type { KubeClient } from './client.ts';
import { setFinalizer } from './finalizers.ts';
import { Resources, type KubeObject, type ObjectRef, type ResourceType } from './types.ts';

const F = 'example.com/mine';
const ref = { namespace: 'n', name: 'cm' };

function world(finalizers?: string[]) {
  const kube = new MemoryKube();
  kube.objects.set('configmaps/n/cm', {
    metadata: { ...ref, uid: 'u1', resourceVersion: '7', ...(finalizers ? { finalizers } : {}) },
  });
  const stored = (): KubeObject | undefined => structuredClone(kube.objects.get('configmaps/n/cm'));
  return { kube, client: kube.client(), stored };
}

describe('setFinalizer', () => {
  it('adds after the others and writes nothing when it is there', async () => {
    const w = world(['example.com/other']);
    const cached = w.stored();
    assert.ok(cached);
    assert.equal(
      await setFinalizer(w.client, Resources.ConfigMap, cached, { finalizer: F, wanted: true }),
      true,
    );
    assert.deepEqual(w.stored()?.metadata.finalizers, ['example.com/other', F]);
    const again = w.stored();
    assert.ok(again);
    assert.equal(
      await setFinalizer(w.client, Resources.ConfigMap, again, { finalizer: F, wanted: true }),
      false,
    );
    assert.deepEqual(w.kube.writes, ['patch configmaps/n/cm']);
  });

  it('reads afresh when the cached copy lags, and writes only a real change', async () => {
    const w = world([F]);
    const stale = { metadata: { ...ref, uid: 'u1', resourceVersion: '3' } };
    assert.equal(
      await setFinalizer(w.client, Resources.ConfigMap, stale, { finalizer: F, wanted: true }),
      false,
    );
    assert.deepEqual(w.kube.writes, []);
  });

  it('removes only its own finalizer', async () => {
    const w = world(['a', F, 'b']);
    const cached = w.stored();
    assert.ok(cached);
    await setFinalizer(w.client, Resources.ConfigMap, cached, { finalizer: F, wanted: false });
    assert.deepEqual(w.stored()?.metadata.finalizers, ['a', 'b']);
  });

  it('needs nothing for an object that is gone or was recreated', async () => {
    const w = world();
    const other = { metadata: { ...ref, uid: 'u0', resourceVersion: '1' } };
    assert.equal(
      await setFinalizer(w.client, Resources.ConfigMap, other, { finalizer: F, wanted: true }),
      false,
    );
    w.kube.objects.clear();
    assert.equal(
      await setFinalizer(w.client, Resources.ConfigMap, other, { finalizer: F, wanted: true }),
      false,
    );
    assert.deepEqual(w.kube.writes, []);
  });

  it('a change between the read and the patch fails with 409 instead of being overwritten', async () => {
    const w = world(['other']);
    const cached = w.stored();
    assert.ok(cached);
    const racing: KubeClient = {
      ...w.client,
      get: async <T extends KubeObject>(type: ResourceType, r: ObjectRef) => {
        const fresh = await w.client.get<T>(type, r);
        const current = w.kube.objects.get('configmaps/n/cm');
        if (current)
          current.metadata = { ...current.metadata, finalizers: [], resourceVersion: '8' };
        return fresh;
      },
    };
    await assert.rejects(
      setFinalizer(racing, Resources.ConfigMap, cached, { finalizer: F, wanted: true }),
      { name: 'KubeApiError' },
    );
    assert.deepEqual(w.stored()?.metadata.finalizers, []);
  });
});
