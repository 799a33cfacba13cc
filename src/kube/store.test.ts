import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';

const secret = (name: string, target?: string): KubeObject => ({
  metadata: { name, namespace: 'ns', labels: target ? { target } : {} },
});

describe('ObjectStore', () => {
  it('keeps secondary indexes in step with upserts and removals', () => {
    const store = new ObjectStore<KubeObject>();
    store.upsert(secret('a', 't1'));
    store.addIndex('target', (o) =>
      o.metadata.labels?.['target'] ? [o.metadata.labels['target']] : [],
    );
    store.upsert(secret('b', 't1'));
    store.upsert(secret('c'));
    assert.deepEqual(
      store
        .byIndex('target', 't1')
        .map((o) => o.metadata.name)
        .sort(),
      ['a', 'b'],
    );
    store.upsert(secret('a', 't2'));
    assert.deepEqual(
      store.byIndex('target', 't1').map((o) => o.metadata.name),
      ['b'],
    );
    assert.deepEqual(
      store.byIndex('target', 't2').map((o) => o.metadata.name),
      ['a'],
    );
    assert.equal(store.remove('ns/b')?.metadata.name, 'b');
    assert.deepEqual(store.byIndex('target', 't1'), []);
    assert.equal(store.getByRef({ namespace: 'ns', name: 'c' })?.metadata.name, 'c');
    assert.equal(store.size, 2);
    assert.equal(store.remove('ns/missing'), undefined);
  });
});
