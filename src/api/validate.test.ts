import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyManifest, validateManifest } from './validate.ts';

const es = (spec: object, extra: object = {}): object => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'demo', namespace: 'apps' },
  spec,
  ...extra,
});

const store = (
  provider: object,
  opts: { kind?: string; namespace?: string; extra?: object } = {},
): object => ({
  apiVersion: 'external-secrets.io/v1',
  kind: opts.kind ?? 'SecretStore',
  metadata: { name: 'store', namespace: opts.namespace ?? 'apps' },
  spec: { provider, ...opts.extra },
});

const data = [{ secretKey: 'a', remoteRef: { key: 'k' } }];

/** [behaviour, manifest, expected "path: message" lines (errors and warnings)] */
const cases: [string, object, string[]][] = [
  ['a minimal ExternalSecret is valid', es({ secretStoreRef: { name: 's' }, data }), []],
  [
    'data or dataFrom is required',
    es({ secretStoreRef: { name: 's' } }),
    ['spec: either data or dataFrom should be specified'],
  ],
  [
    'data entries need remoteRef.key',
    es({ data: [{ secretKey: 'a', remoteRef: { property: 'p' } }] }),
    ['spec.data[0].remoteRef.key: Required value'],
  ],
  [
    'secretKey must be a valid Secret key',
    es({ data: [{ secretKey: 'a b', remoteRef: { key: 'k' } }] }),
    ['spec.data[0].secretKey: Invalid value: "a b": must match \'^[-._a-zA-Z0-9]+$\''],
  ],
  [
    'enums list the supported values',
    es({ data, target: { creationPolicy: 'owner' } }),
    [
      'spec.target.creationPolicy: Unsupported value: "owner": supported values: "Owner", "Orphan", "Merge", "None", "CreateOrMerge"',
    ],
  ],
  ['unknown fields are errors', es({ data, extra: 1 }), ['spec.extra: unknown field "extra"']],
  [
    'refreshInterval must be a Go duration',
    es({ data, refreshInterval: '1d' }),
    ['spec.refreshInterval: Invalid value: "1d": time: unknown unit "d" in duration "1d"'],
  ],
  [
    'deletionPolicy Delete needs an owned Secret',
    es({ data, target: { creationPolicy: 'Merge', deletionPolicy: 'Delete' } }),
    [
      "spec.target.deletionPolicy: deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner",
    ],
  ],
  [
    'deletionPolicy Merge needs a Secret',
    es({ data, target: { creationPolicy: 'None', deletionPolicy: 'Merge' } }),
    [
      'spec.target.deletionPolicy: deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret to merge with',
    ],
  ],
  [
    'dataFrom needs extract, find or sourceRef',
    es({ dataFrom: [{ rewrite: [{ regexp: { source: 'a', target: 'b' } }] }] }),
    ['spec.dataFrom[0]: either extract, find, or sourceRef must be set to dataFrom'],
  ],
  [
    'dataFrom cannot mix extract and find',
    es({ dataFrom: [{ extract: { key: 'a' }, find: { path: 'p' } }] }),
    ['spec.dataFrom[0]: extract, find, or generatorRef cannot be set at the same time'],
  ],
  [
    'a rewrite has exactly one operation',
    es({ dataFrom: [{ extract: { key: 'a' }, rewrite: [{}] }] }),
    [
      'spec.dataFrom[0].rewrite[0]: must set exactly one field (one of merge, regexp, transform), found 0: none',
    ],
  ],
  [
    'duplicate secretKeys are rejected with deletionPolicy Retain (the default)',
    es({ data: [...data, ...data] }),
    ['spec.data[1].secretKey: duplicate secretKey found: a'],
  ],
  [
    'duplicate secretKeys are allowed with deletionPolicy Delete',
    es({ data: [...data, ...data], target: { deletionPolicy: 'Delete' } }),
    [],
  ],
  [
    'bootstrap tokens cannot be templated',
    es({ data, target: { template: { type: 'bootstrap.kubernetes.io/token' } } }),
    ['spec.target.template.type: template.type="bootstrap.kubernetes.io/token" is not allowed'],
  ],
  [
    'templateFrom targets are limited for Secrets',
    es({ data, target: { template: { templateFrom: [{ literal: 'a: b', target: 'spec' }] } } }),
    [
      'spec.target.template.templateFrom[0].target: templateFrom target="spec" is not allowed when targeting a Secret, must be one of "Data", "Annotations" or "Labels"',
    ],
  ],
  [
    'templateFrom target is free for generic targets',
    es({
      data,
      target: {
        manifest: { apiVersion: 'v1', kind: 'ConfigMap' },
        template: { templateFrom: [{ literal: 'a', target: 'data.x' }] },
      },
    }),
    [],
  ],
  [
    'Go regular expressions with named groups are accepted',
    es({ dataFrom: [{ find: { name: { regexp: '(?P<x>a)' } } }] }),
    [],
  ],
  [
    'lookaheads are not RE2',
    es({ dataFrom: [{ find: { name: { regexp: '(?=a)' } } }] }),
    [
      'spec.dataFrom[0].find.name.regexp: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    ],
  ],
  [
    'metadata.name is required',
    { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: {}, spec: { data } },
    ['metadata.name: Required value: name or generateName is required'],
  ],
  [
    'removed versions are rejected',
    { ...es({ data }), apiVersion: 'external-secrets.io/v1beta1' },
    [
      'apiVersion: Unsupported value: "external-secrets.io/v1beta1": ExternalSecret is served as external-secrets.io/v1 only',
    ],
  ],
  ['status is ignored', es({ data }, { status: { anything: 1 } }), []],
  // Stores
  [
    'a vault token store is valid',
    store({ vault: { server: 'http://v', auth: { tokenSecretRef: { name: 't', key: 'token' } } } }),
    [],
  ],
  [
    'a store has exactly one provider',
    store({ vault: { server: 'http://v' }, fake: { data: [] } }),
    ['spec.provider: must set exactly one field, found 2: vault, fake'],
  ],
  [
    'a store needs a provider',
    store({}),
    ['spec.provider: must set exactly one field, found 0: none'],
  ],
  ['vault needs a server', store({ vault: {} }), ['spec.provider.vault.server: Required value']],
  [
    'untyped providers are kept as given',
    store({ aws: { service: 'SecretsManager', anything: { x: 1 } } }),
    [],
  ],
  [
    'appRole needs roleId or roleRef',
    store({ vault: { server: 'http://v', auth: { appRole: { secretRef: { name: 's' } } } } }),
    [
      'spec.provider.vault.auth.appRole: invalid Auth.AppRole: neither `roleId` nor `roleRef` was supplied',
    ],
  ],
  [
    'jwt needs a token source',
    store({ vault: { server: 'http://v', auth: { jwt: { role: 'r' } } } }),
    [
      'spec.provider.vault.auth.jwt: neither `secretRef` nor `kubernetesServiceAccountToken` was supplied as token source for jwt authentication',
    ],
  ],
  [
    'a namespaced store may not reach into another namespace',
    store({
      vault: { server: 'http://v', auth: { tokenSecretRef: { name: 't', namespace: 'other' } } },
    }),
    [
      'spec.provider.vault.auth.tokenSecretRef.namespace: namespace should either be empty or match the namespace of the SecretStore for a namespaced SecretStore',
    ],
  ],
  [
    'a cluster store may name any namespace',
    store(
      {
        vault: { server: 'http://v', auth: { tokenSecretRef: { name: 't', namespace: 'other' } } },
      },
      { kind: 'ClusterSecretStore' },
    ),
    [],
  ],
  [
    'mTLS needs both certificate and key',
    store({ vault: { server: 'http://v', tls: { certSecretRef: { name: 'c' } } } }),
    [
      'spec.provider.vault.tls: when provided, both ClientTLS.ClientCert and ClientTLS.SecretRef should be provided',
    ],
  ],
  [
    'check-and-set needs KV v2',
    store({ vault: { server: 'http://v', version: 'v1', checkAndSet: { required: true } } }),
    ['spec.provider.vault.checkAndSet: checkAndSet is not supported with Vault KV version v1'],
  ],
  [
    'store refreshInterval must not be negative',
    store({ fake: { data: [] } }, { extra: { refreshInterval: -5 } }),
    ['spec.refreshInterval: invalid refreshInterval -5: must not be negative'],
  ],
  [
    'store refreshInterval may be seconds or a duration',
    store({ fake: { data: [] } }, { extra: { refreshInterval: '5m' } }),
    [],
  ],
  [
    'namespace regexes must compile',
    store(
      { fake: { data: [] } },
      {
        kind: 'ClusterSecretStore',
        extra: { conditions: [{ namespaceRegexes: ['ok', '(unclosed'] }] },
      },
    ),
    [
      /^spec\.conditions\[0\]\.namespaceRegexes\[1\]: failed to compile 1th namespace regex in 0th condition: error parsing regexp: /
        .source,
    ],
  ],
  [
    'label selectors use known operators',
    store(
      { fake: { data: [] } },
      {
        kind: 'ClusterSecretStore',
        extra: {
          conditions: [
            { namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] } },
          ],
        },
      },
    ),
    [
      'spec.conditions[0].namespaceSelector.matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
    ],
  ],
  [
    'more than one vault auth method warns',
    store({
      vault: {
        server: 'http://v',
        auth: { tokenSecretRef: { name: 't' }, kubernetes: { role: 'r' } },
      },
    }),
    [
      'spec.provider.vault.auth: warning: more than one auth method is set (tokenSecretRef, kubernetes); only tokenSecretRef is used',
    ],
  ],
  [
    'OpenBao takes exactly one auth method, as the CEL rule of ESO says',
    store({
      openBao: {
        server: 'http://b',
        auth: { tokenSecretRef: { name: 't' }, userPass: { username: 'u' } },
      },
    }),
    [
      'spec.provider.openBao.auth: exactly one of the fields in [appRole tokenSecretRef userPass] must be set',
    ],
  ],
  // ClusterExternalSecret / PushSecret
  [
    'ClusterExternalSecret checks the embedded spec and its namespace selectors',
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterExternalSecret',
      metadata: { name: 'ces' },
      spec: {
        externalSecretSpec: { secretStoreRef: { name: 's' } },
        namespaceSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }],
      },
    },
    [
      'spec.externalSecretSpec: either data or dataFrom should be specified',
      'spec.namespaceSelectors[0].matchExpressions[0].values: Required value: must be specified when operator is In or NotIn',
    ],
  ],
  [
    'a ClusterExternalSecret without selectors warns',
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterExternalSecret',
      metadata: { name: 'ces' },
      spec: { externalSecretSpec: { data } },
    },
    [
      'spec: warning: no namespaceSelectors or namespaces: the ExternalSecret is created in no namespace',
    ],
  ],
  [
    'PushSecret selector has exactly one source',
    {
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'PushSecret',
      metadata: { name: 'ps', namespace: 'apps' },
      spec: { secretStoreRefs: [{ name: 's' }], selector: {} },
    },
    ['spec.selector: must set exactly one field (one of secret, generatorRef), found 0: none'],
  ],
  [
    'PushSecret dataTo: remoteKey and rewrite exclude each other',
    {
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'PushSecret',
      metadata: { name: 'ps', namespace: 'apps' },
      spec: {
        secretStoreRefs: [{ name: 's' }],
        selector: { secret: { name: 'src' } },
        dataTo: [
          {
            storeRef: { name: 's' },
            remoteKey: 'all',
            rewrite: [{ regexp: { source: 'a', target: 'b' } }],
          },
        ],
      },
    },
    [
      'spec.dataTo[0]: remoteKey and rewrite are mutually exclusive: rewrite is only supported in per-key mode (without remoteKey)',
    ],
  ],
];

const render = (i: { path: string; message: string; severity: string }): string =>
  `${i.path}: ${i.severity === 'warning' ? 'warning: ' : ''}${i.message}`;

void describe('validateManifest', () => {
  for (const [behaviour, manifest, want] of cases) {
    void it(behaviour, () => {
      const got = validateManifest(manifest).map(render);
      assert.equal(got.length, want.length, got.join('\n'));
      want.forEach((w, i) => {
        if (w.startsWith('^')) assert.match(got[i] ?? '', new RegExp(w));
        else assert.equal(got[i], w);
      });
    });
  }

  void it('never echoes fake provider values in messages', () => {
    const issues = validateManifest(store({ fake: { data: [{ key: 'k', value: 123456789 }] } }));
    assert.equal(issues.length, 1);
    assert.doesNotMatch(issues[0]?.message ?? '', /123456789/);
  });

  void it('skips kinds Ferry does not serve', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    assert.deepEqual(validateManifest(cm), []);
    assert.deepEqual(classifyManifest(cm), {
      served: false,
      reason: 'v1 ConfigMap is not a Ferry resource',
    });
    assert.equal(classifyManifest(es({ data })).served, true);
  });
});
