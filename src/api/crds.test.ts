import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCrds } from './crds.ts';
import { KINDS, objectSchema } from './kinds.ts';
import type { Schema } from './schema.ts';
import { IssueList } from './issues.ts';
import { validateSchema } from './schema-validate.ts';
import { checkStructural } from './structural.ts';
import { renderCrdsYaml } from '../cli/commands/crds.ts';

interface Crd {
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; shortNames: string[]; categories: string[]; listKind: string };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: { status?: object };
      additionalPrinterColumns?: { name: string; jsonPath: string; type: string }[];
      schema: { openAPIV3Schema: Schema };
    }[];
  };
}

const crds = buildCrds() as Crd[];
const byKind = (kind: string): Crd => {
  const crd = crds.find((c) => c.spec.names.kind === kind);
  assert.ok(crd, kind);
  return crd;
};

/** Every node carrying a default, with its path. */
function defaults(schema: Schema, at: string, out: [string, Schema][]): [string, Schema][] {
  if (schema.default !== undefined) out.push([at, schema]);
  for (const [k, v] of Object.entries(schema.properties ?? {})) defaults(v, `${at}.${k}`, out);
  if (schema.items) defaults(schema.items, `${at}[]`, out);
  if (schema.additionalProperties) defaults(schema.additionalProperties, `${at}[*]`, out);
  return out;
}

void describe('structural schema checker', () => {
  const cases: [string, Schema, RegExp][] = [
    ['missing type', { type: 'object', properties: { a: {} } }, /<root>\.a: must have a type/],
    [
      'properties with additionalProperties',
      {
        type: 'object',
        properties: { a: { type: 'string' } },
        additionalProperties: { type: 'string' },
      },
      /mutually exclusive/,
    ],
    [
      'array without items',
      { type: 'object', properties: { a: { type: 'array' } } },
      /arrays must have items/,
    ],
    [
      'int-or-string with a type',
      { type: 'object', properties: { a: { type: 'string', 'x-kubernetes-int-or-string': true } } },
      /must not set a type/,
    ],
    [
      'unknown keyword',
      { type: 'object', ...({ oneOf: [] } as object) },
      /keyword "oneOf" is not allowed/,
    ],
    [
      'required without property',
      { type: 'object', properties: {}, required: ['x'] },
      /required key "x"/,
    ],
    ['root not an object', { type: 'string' }, /root must be of type object/],
    [
      'int-or-string without anyOf',
      { type: 'object', properties: { a: { 'x-kubernetes-int-or-string': true } } },
      /needs anyOf/,
    ],
    [
      'anyOf outside int-or-string',
      { type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'string' }] } } },
      /anyOf is only allowed/,
    ],
  ];
  for (const [name, schema, want] of cases) {
    void it(`rejects ${name}`, () => {
      assert.match(checkStructural(schema).join('\n'), want);
    });
  }
  void it('accepts preserve-unknown-fields and int-or-string nodes without a type', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        a: { 'x-kubernetes-preserve-unknown-fields': true },
        b: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
      },
    };
    assert.deepEqual(checkStructural(schema), []);
  });
});

void describe('buildCrds', () => {
  void it('builds one structural CRD per kind', () => {
    assert.deepEqual(
      crds.map((c) => c.spec.names.kind),
      [
        'ExternalSecret',
        'SecretStore',
        'ClusterSecretStore',
        'ClusterExternalSecret',
        'PushSecret',
        'ClusterPushSecret',
      ],
    );
    for (const crd of crds) {
      for (const v of crd.spec.versions) {
        assert.deepEqual(
          checkStructural(v.schema.openAPIV3Schema),
          [],
          `${crd.metadata.name} ${v.name}`,
        );
      }
    }
  });

  void it('uses ESO names, scopes, short names and categories', () => {
    const want: [string, string, string, string][] = [
      ['ExternalSecret', 'externalsecrets.external-secrets.io', 'Namespaced', 'es'],
      ['SecretStore', 'secretstores.external-secrets.io', 'Namespaced', 'ss'],
      ['ClusterSecretStore', 'clustersecretstores.external-secrets.io', 'Cluster', 'css'],
      ['ClusterExternalSecret', 'clusterexternalsecrets.external-secrets.io', 'Cluster', 'ces'],
      ['PushSecret', 'pushsecrets.external-secrets.io', 'Namespaced', 'ps'],
      ['ClusterPushSecret', 'clusterpushsecrets.external-secrets.io', 'Cluster', 'cps'],
    ];
    for (const [kind, name, scope, short] of want) {
      const crd = byKind(kind);
      assert.equal(crd.metadata.name, name);
      assert.equal(crd.spec.group, 'external-secrets.io');
      assert.equal(crd.spec.scope, scope);
      assert.deepEqual(crd.spec.names.shortNames, [short]);
      assert.deepEqual(crd.spec.names.categories, ['external-secrets']);
      assert.equal(crd.spec.names.listKind, `${kind}List`);
      assert.equal(crd.metadata.labels['external-secrets.io/component'], 'controller');
    }
  });

  void it('serves and stores exactly one version with a status subresource', () => {
    for (const crd of crds) {
      const served = crd.spec.versions.filter((v) => v.served);
      assert.equal(served.length, 1);
      assert.equal(served[0]?.storage, true);
      assert.deepEqual(served[0].subresources, { status: {} });
      assert.equal(crd.spec.versions.filter((v) => v.storage).length, 1);
    }
    assert.deepEqual(
      byKind('ExternalSecret').spec.versions.map((v) => [v.name, v.served, v.storage]),
      [
        ['v1', true, true],
        ['v1beta1', false, false],
      ],
    );
    assert.deepEqual(
      byKind('PushSecret').spec.versions.map((v) => v.name),
      ['v1alpha1'],
    );
  });

  void it('has the ExternalSecret printer columns of ESO', () => {
    const cols = byKind('ExternalSecret').spec.versions[0]?.additionalPrinterColumns?.map(
      (c) => c.name,
    );
    assert.deepEqual(cols, [
      'StoreType',
      'Store',
      'Refresh Interval',
      'Status',
      'Ready',
      'Last Sync',
    ]);
    const status = byKind('ExternalSecret').spec.versions[0]?.additionalPrinterColumns?.[3];
    assert.equal(status?.jsonPath, '.status.conditions[?(@.type=="Ready")].reason');
  });

  void it('declares only defaults that validate against their own schema', () => {
    for (const info of KINDS) {
      for (const [at, node] of defaults(objectSchema(info), info.kind, [])) {
        const out = new IssueList();
        validateSchema(node.default, node, [], out);
        assert.deepEqual(out.items, [], at);
      }
    }
  });

  void it('declares ESO defaults', () => {
    const es = objectSchema(KINDS[0]!).properties!.spec!.properties!;
    assert.equal(es.refreshInterval!.default, '1h0m0s');
    assert.deepEqual(es.target!.default, { creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    assert.equal(
      es.dataFrom!.items?.properties?.extract?.properties?.decodingStrategy?.default,
      undefined,
    );
  });

  void it('carries the CEL rules of ESO for OpenBao and PushSecret dataTo', () => {
    const yaml = renderCrdsYaml();
    assert.match(
      yaml,
      /exactly one of the fields in \[appRole tokenSecretRef userPass\] must be set/,
    );
    assert.match(yaml, /at most one of the fields in \[caBundle caProvider\] may be set/);
    assert.match(yaml, /storeRef must specify either name or labelSelector/);
    assert.match(yaml, /exactly one of regexp or transform must be set/);
  });

  void it('prints deterministic multi-document YAML without anchors', () => {
    const a = renderCrdsYaml();
    assert.equal(a, renderCrdsYaml());
    assert.equal(a.split(/^---$/m).length - 1, 6);
    assert.doesNotMatch(a, /[&*]a\d+\b/);
  });
});
