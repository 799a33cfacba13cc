import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyOwnership,
  buildDesiredSecret,
  LABEL_CREATED_BY,
  managedKeysOf,
  targetName,
} from './desired-secret.ts';
import { fieldManagerFor } from './hash.ts';
import { SyncError } from './errors.ts';
import type { TargetSecret } from './target-secret.ts';
import { goTemplateEngine } from './template/default-engine.ts';
import { externalSecret } from './testing.ts';

const engine = goTemplateEngine();
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('managed keys from managedFields (eso.md §9.12)', () => {
  it('reads data, label and annotation keys of our field manager only', () => {
    const secret: TargetSecret = {
      metadata: {
        managedFields: [
          {
            manager: fieldManagerFor('es'),
            fieldsV1: {
              'f:data': { '.': {}, 'f:a': {} },
              'f:metadata': { 'f:labels': { 'f:l': {} }, 'f:annotations': { 'f:n': {} } },
            },
          },
          { manager: 'kubectl', fieldsV1: { 'f:data': { 'f:b': {} } } },
        ],
      },
      data: new Map(),
    };
    assert.deepEqual(managedKeysOf(secret, 'es'), {
      data: ['a'],
      labels: ['l'],
      annotations: ['n'],
    });
  });
  it('uses the sha3 manager name for long ExternalSecret names', () => {
    const name = 'a-rather-long-external-secret-name';
    const secret: TargetSecret = {
      metadata: {
        managedFields: [{ manager: fieldManagerFor(name), fieldsV1: { 'f:data': { 'f:x': {} } } }],
      },
      data: new Map(),
    };
    assert.match(fieldManagerFor(name), /\/sha3\//);
    assert.deepEqual(managedKeysOf(secret, name).data, ['x']);
  });
});

describe('ownership (ESO applyOwnership)', () => {
  it('Owner adopts an unowned Secret and sets created-by', () => {
    const s: TargetSecret = { metadata: { name: 'es' }, data: new Map() };
    applyOwnership(s, externalSecret({}));
    assert.equal(s.metadata.ownerReferences?.length, 1);
    assert.ok(s.metadata.labels?.[LABEL_CREATED_BY]);
  });
  it('switching to Orphan removes our controller reference and created-by label', () => {
    const s: TargetSecret = { metadata: { name: 'es' }, data: new Map() };
    applyOwnership(s, externalSecret({}));
    applyOwnership(s, externalSecret({ target: { creationPolicy: 'Orphan' } }));
    assert.deepEqual(s.metadata.ownerReferences, []);
    assert.equal(s.metadata.labels?.[LABEL_CREATED_BY], undefined);
  });
  it('non-controller owner references of others are kept', () => {
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u' };
    const s: TargetSecret = { metadata: { name: 'es', ownerReferences: [other] }, data: new Map() };
    applyOwnership(s, externalSecret({}));
    assert.deepEqual(s.metadata.ownerReferences?.[0], other);
    assert.equal(s.metadata.ownerReferences.length, 2);
  });
});

describe('buildDesiredSecret', () => {
  it('a fresh Secret is named after target.name or the ExternalSecret', () => {
    assert.equal(targetName(externalSecret({})), 'es');
    assert.equal(targetName(externalSecret({ target: { name: 't' } })), 't');
    const s = buildDesiredSecret({
      es: externalSecret({}),
      providerData: new Map([['k', enc('v')]]),
      engine,
    });
    assert.deepEqual(s.metadata.name, 'es');
    assert.deepEqual(s.metadata.namespace, 'default');
  });
  it('does not mutate the existing Secret', () => {
    const existing: TargetSecret = {
      metadata: { name: 'es', labels: { a: 'b' } },
      data: new Map([['old', enc('x')]]),
    };
    buildDesiredSecret({
      es: externalSecret({}),
      existing,
      providerData: new Map([['k', enc('v')]]),
      engine,
    });
    assert.deepEqual([...existing.data.keys()], ['old']);
    assert.deepEqual(existing.metadata.labels, { a: 'b' });
  });
  it('explicit managed keys override managedFields (agent mode)', () => {
    const existing: TargetSecret = {
      metadata: { name: 'es' },
      data: new Map([
        ['gone', enc('x')],
        ['keep', enc('y')],
      ]),
    };
    const s = buildDesiredSecret({
      es: externalSecret({ target: { creationPolicy: 'Merge' } }),
      existing,
      providerData: new Map([['k', enc('v')]]),
      engine,
      managedKeys: { data: ['gone'], labels: [], annotations: [] },
    });
    assert.deepEqual([...s.data.keys()].sort(), ['k', 'keep']);
  });
  it('a template error is wrapped as ESO does: `unable to mutate secret` only on update', () => {
    const es = externalSecret({ target: { template: { data: { k: '{{' } } } });
    const chain =
      'could not apply template: could not execute template: could not execute template: unable to execute template at key k: unable to parse template at key k: ';
    assert.throws(
      () => buildDesiredSecret({ es, providerData: new Map(), engine }),
      (e: Error) => e instanceof SyncError && e.message.startsWith(chain),
    );
    const existing = { metadata: { name: 'es', namespace: 'ns' }, data: new Map() };
    assert.throws(
      () => buildDesiredSecret({ es, existing, providerData: new Map(), engine }),
      (e: Error) =>
        e instanceof SyncError && e.message.startsWith(`unable to mutate secret es: ${chain}`),
    );
  });
  it('a privileged template type is rejected at render time', () => {
    assert.throws(
      () =>
        buildDesiredSecret({
          es: externalSecret({ target: { template: { type: 'bootstrap.kubernetes.io/token' } } }),
          providerData: new Map(),
          engine,
        }),
      /template.type="bootstrap.kubernetes.io\/token" is not allowed/,
    );
  });
});
