import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnySecretStore, KubernetesProvider } from '../../api/types.ts';
import { StoreConfigError } from '../provider.ts';
import { grantsGetSecrets } from './access-review.ts';
import { labelSelectorFromTags } from './labels.ts';
import { WARN_NO_CA, validateKubernetesStore } from './validate-store.ts';

function store(kind: AnySecretStore['kind'], kubernetes: KubernetesProvider): AnySecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: { name: 's', ...(kind === 'SecretStore' ? { namespace: 'apps' } : {}) },
    spec: { provider: { kubernetes } },
  };
}

const ca = { caBundle: 'LS0t' };
const token = (ref: object) => ({ server: ca, auth: { token: { bearerToken: ref } } });

describe('kubernetes store validation (ESO ValidateKubernetesConnection)', () => {
  const errors: [string, AnySecretStore, string][] = [
    [
      'ClusterSecretStore caProvider without namespace',
      store('ClusterSecretStore', { server: { caProvider: { type: 'Secret', name: 'ca' } } }),
      'CAProvider.namespace must not be empty with ClusterSecretStore',
    ],
    [
      'SecretStore caProvider with namespace',
      store('SecretStore', {
        server: { caProvider: { type: 'Secret', name: 'ca', namespace: 'x' } },
      }),
      'CAProvider.namespace must be empty with SecretStore',
    ],
    [
      'client cert without name',
      store('SecretStore', {
        server: ca,
        auth: { cert: { clientCert: { key: 'k' }, clientKey: { name: 'n', key: 'k' } } },
      }),
      'ClientCert.Name cannot be empty',
    ],
    [
      'client cert without key',
      store('SecretStore', {
        server: ca,
        auth: { cert: { clientCert: { name: 'n' }, clientKey: { name: 'n', key: 'k' } } },
      }),
      'ClientCert.Key cannot be empty',
    ],
    [
      'token without name',
      store('SecretStore', token({ key: 'k' })),
      'BearerToken.Name cannot be empty',
    ],
    [
      'token without key',
      store('SecretStore', token({ name: 'n' })),
      'BearerToken.Key cannot be empty',
    ],
    [
      'token in another namespace',
      store('SecretStore', token({ name: 'n', key: 'k', namespace: 'other' })),
      'namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore',
    ],
    [
      'cluster token without namespace',
      store('ClusterSecretStore', token({ name: 'n', key: 'k' })),
      'cluster scope requires namespace',
    ],
    [
      'serviceAccount in another namespace',
      store('SecretStore', {
        server: ca,
        auth: { serviceAccount: { name: 'sa', namespace: 'other' } },
      }),
      'namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore',
    ],
  ];
  for (const [name, s, message] of errors)
    it(`rejects ${name}`, () => {
      assert.throws(
        () => validateKubernetesStore(s),
        (e: Error) => e instanceof StoreConfigError && e.message === message,
      );
    });

  it('warns when TLS falls back to the system roots', () => {
    assert.deepEqual(
      validateKubernetesStore(store('SecretStore', { auth: { serviceAccount: { name: 'sa' } } })),
      [WARN_NO_CA],
    );
  });

  it('an authRef kubeconfig carries its own CA: no warning', () => {
    assert.deepEqual(
      validateKubernetesStore(store('SecretStore', { authRef: { name: 'kc', key: 'config' } })),
      [],
    );
  });

  it('accepts a referent serviceAccount on a ClusterSecretStore', () => {
    assert.deepEqual(
      validateKubernetesStore(
        store('ClusterSecretStore', { server: ca, auth: { serviceAccount: { name: 'sa' } } }),
      ),
      [],
    );
  });
});

describe('kubernetes find.tags as a label selector', () => {
  it('sorts the tags and joins them', () => {
    assert.equal(
      labelSelectorFromTags({ b: '2', 'example.com/a': '1', c: '' }),
      'b=2,c=,example.com/a=1',
    );
  });
  const bad: [Record<string, string>, RegExp][] = [
    [{ 'bad key': 'x' }, /key "bad key": name part/],
    [{ 'UPPER.example/x': 'y' }, /key "UPPER.example\/x": prefix part/],
    [{ k: 'spaces are bad' }, /value of "k" must be/],
    [{ k: 'x'.repeat(64) }, /value of "k" must be/],
  ];
  for (const [tags, message] of bad)
    it(`rejects ${JSON.stringify(tags).slice(0, 40)}`, () => {
      assert.throws(
        () => labelSelectorFromTags(tags),
        (e: Error) => e instanceof StoreConfigError && message.test(e.message),
      );
    });
});

describe('kubernetes validation: which rules grant get on secrets', () => {
  const cases: [string, Parameters<typeof grantsGetSecrets>[0], boolean][] = [
    ['exact rule', { verbs: ['get'], resources: ['secrets'], apiGroups: [''] }, true],
    ['wildcards', { verbs: ['*'], resources: ['*'], apiGroups: ['*'] }, true],
    ['no apiGroups means core', { verbs: ['get', 'list'], resources: ['secrets'] }, true],
    ['list only', { verbs: ['list'], resources: ['secrets'], apiGroups: [''] }, false],
    ['other group', { verbs: ['get'], resources: ['secrets'], apiGroups: ['example.com'] }, false],
    ['other resource', { verbs: ['get'], resources: ['configmaps'], apiGroups: [''] }, false],
  ];
  for (const [name, rule, want] of cases)
    it(name, () => {
      assert.equal(grantsGetSecrets(rule), want);
    });
});
