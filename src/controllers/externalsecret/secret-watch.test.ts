import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObjectStore } from '../../kube/store.ts';
import type { ExternalSecretObject } from './reconcile.ts';
import { BY_TARGET_SECRET, requestsForSecret, targetSecretKeys } from './secret-watch.ts';

const es = (name: string, target?: string, namespace = 'ns'): ExternalSecretObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name, namespace },
  spec: target ? { target: { name: target, creationPolicy: 'Merge' } } : {},
});

function store(...items: ExternalSecretObject[]) {
  const s = new ObjectStore<ExternalSecretObject>();
  s.addIndex(BY_TARGET_SECRET, targetSecretKeys);
  for (const i of items) s.upsert(i);
  return (value: string) => s.byIndex(BY_TARGET_SECRET, value);
}

describe('requestsForSecret', () => {
  it('finds ExternalSecrets by target name, without an ownerReference (Merge, Orphan)', () => {
    const byTarget = store(es('merge', 'shared'), es('plain'), es('other-ns', 'shared', 'x'));
    const secret = { metadata: { name: 'shared', namespace: 'ns' } };
    assert.deepEqual(requestsForSecret(secret, byTarget), [{ namespace: 'ns', name: 'merge' }]);
    const own = { metadata: { name: 'plain', namespace: 'ns' } };
    assert.deepEqual(requestsForSecret(own, byTarget), [{ namespace: 'ns', name: 'plain' }]);
  });

  it('adds the controlling ExternalSecret once, e.g. after target.name changed', () => {
    const owner = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      name: 'plain',
      uid: 'u',
      controller: true,
    };
    const byTarget = store(es('plain'));
    const same = { metadata: { name: 'plain', namespace: 'ns', ownerReferences: [owner] } };
    assert.deepEqual(requestsForSecret(same, byTarget), [{ namespace: 'ns', name: 'plain' }]);
    const renamed = { metadata: { name: 'old', namespace: 'ns', ownerReferences: [owner] } };
    assert.deepEqual(requestsForSecret(renamed, byTarget), [{ namespace: 'ns', name: 'plain' }]);
  });
});
