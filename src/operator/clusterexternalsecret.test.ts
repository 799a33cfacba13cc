import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterExternalSecretObject } from '../controllers/clusterexternalsecret/externalsecret.ts';
import type { NamespaceMeta } from '../controllers/clusterexternalsecret/targets.ts';
import type { InformerEvent } from '../kube/informer.ts';
import { concernedBy, namespaceMatters, ownerCes } from './clusterexternalsecret.ts';

function ces(
  name: string,
  spec: Partial<ClusterExternalSecretObject['spec']>,
  provisioned: string[] = [],
) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterExternalSecret',
    metadata: { name },
    spec: { externalSecretSpec: {}, ...spec },
    status: { provisionedNamespaces: provisioned },
  } as ClusterExternalSecretObject;
}

const ns = (
  labels: Record<string, string>,
  extra: Partial<NamespaceMeta['metadata']> = {},
): NamespaceMeta => ({
  metadata: { name: 'team-a', resourceVersion: '1', labels, ...extra },
});

const all = [
  ces('by-label', { namespaceSelectors: [{ matchLabels: { env: 'prod' } }] }),
  ces('by-name', { namespaces: ['team-a'] }),
  ces('held', { namespaceSelector: { matchLabels: { nothing: 'x' } } }, ['team-a']),
  ces('unrelated', { namespaceSelectors: [{ matchLabels: { env: 'dev' } }] }),
];
const names = (event: InformerEvent<NamespaceMeta>) => concernedBy(event, all).map((r) => r.name);

describe('ClusterExternalSecret wiring', () => {
  it('a new namespace re-queues the CESs that select it by label or name', () => {
    assert.deepEqual(names({ type: 'added', object: ns({ env: 'prod' }) }), [
      'by-label',
      'by-name',
      'held',
    ]);
  });

  it('unlabelling a namespace re-queues the CES that selected it before', () => {
    const event = { type: 'updated', old: ns({ env: 'prod' }), object: ns({}) } as const;
    assert.equal(namespaceMatters(event), true);
    assert.ok(names(event).includes('by-label'));
    assert.ok(!names(event).includes('unrelated'));
  });

  it('a namespace holding a CES finalizer re-queues that CES', () => {
    const event = {
      type: 'deleted',
      object: ns({}, { finalizers: ['externalsecrets.external-secrets.io/ces-unrelated'] }),
    } as const;
    assert.ok(names(event).includes('unrelated'));
  });

  it('ignores namespace updates that change neither labels nor termination', () => {
    const same = {
      type: 'updated',
      old: ns({ a: 'b' }),
      object: ns({ a: 'b' }, { resourceVersion: '2' }),
    } as const;
    assert.equal(namespaceMatters(same), false);
    const terminating = {
      ...same,
      object: ns({ a: 'b' }, { deletionTimestamp: '2026-01-01T00:00:00Z' }),
    };
    assert.equal(namespaceMatters(terminating), true);
  });

  it('maps an owned ExternalSecret to its CES and ignores others', () => {
    const owned = {
      metadata: {
        name: 'db',
        ownerReferences: [
          {
            apiVersion: 'external-secrets.io/v1',
            kind: 'ClusterExternalSecret',
            name: 'c',
            uid: 'u',
            controller: true,
          },
        ],
      },
    };
    assert.deepEqual(ownerCes(owned), [{ name: 'c' }]);
    assert.deepEqual(ownerCes({ metadata: { name: 'db' } }), []);
  });
});
