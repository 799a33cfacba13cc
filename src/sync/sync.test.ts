import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExternalSecret, ExternalSecretSpec } from '../api/types.ts';
import { fetchProviderData } from './fetch.ts';
import { createdByHash, dataHash, fieldManagerFor } from './hash.ts';
import { ANNOTATION_DATA_HASH, LABEL_MANAGED } from './refresh.ts';
import { formatTime } from './status.ts';
import type { SyncResult } from './sync.ts';
import { planSync, syncExternalSecret, syncWriteFailed } from './sync.ts';
import type { TargetSecret } from './target-secret.ts';
import { goTemplateEngine } from './template/default-engine.ts';
import { externalSecret, memoryClient } from './testing.ts';

const engine = goTemplateEngine();
const T0 = Date.parse('2026-01-01T00:00:00Z');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : new TextDecoder().decode(b);
const store = { 'app/one': 'one-value', 'app/json': { user: 'u', pass: 'p' } };

async function sync(
  spec: ExternalSecretSpec,
  existing?: TargetSecret,
  meta: Partial<ExternalSecret['metadata']> = {},
): Promise<SyncResult> {
  const es = externalSecret(spec, meta);
  const { client } = memoryClient(store);
  const fetched = await fetchProviderData(es, { clientFor: () => Promise.resolve(client) });
  return syncExternalSecret({ es, existing, fetched, nowMs: T0, engine });
}
function written(r: SyncResult): TargetSecret {
  assert.ok(
    r.action.kind === 'create' || r.action.kind === 'update',
    `expected a write, got ${r.action.kind}`,
  );
  return r.action.secret;
}
function ready(r: SyncResult): { status?: string; reason?: string; message?: string } {
  const c = r.status.conditions?.find((x) => x.type === 'Ready');
  return { status: c?.status, reason: c?.reason, message: c?.message };
}
function secret(data: Record<string, string>, meta: TargetSecret['metadata'] = {}): TargetSecret {
  const d = new Map(Object.entries(data).map(([k, v]) => [k, enc(v)]));
  return {
    metadata: {
      name: 'es',
      namespace: 'default',
      uid: 's-uid',
      ...meta,
      labels: { [LABEL_MANAGED]: 'true', ...meta.labels },
      annotations: { [ANNOTATION_DATA_HASH]: dataHash(d), ...meta.annotations },
    },
    data: d,
  };
}
const ONE = {
  data: [{ secretKey: 'one', remoteRef: { key: 'app/one' } }],
} satisfies ExternalSecretSpec;

describe('syncExternalSecret: creation policies (eso.md §9.11)', () => {
  it('Owner creates the Secret with ownerReference, managed label, created-by label and data hash', async () => {
    const r = await sync(ONE);
    const s = written(r);
    assert.equal(r.action.kind, 'create');
    assert.equal(dec(s.data.get('one')), 'one-value');
    assert.equal(s.metadata.labels?.[LABEL_MANAGED], 'true');
    assert.equal(
      s.metadata.labels['reconcile.external-secrets.io/created-by'],
      createdByHash('default', 'es'),
    );
    assert.equal(s.metadata.annotations?.[ANNOTATION_DATA_HASH], dataHash(s.data));
    assert.deepEqual(s.metadata.ownerReferences, [
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        name: 'es',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.deepEqual(r.onSuccess, [
      { type: 'Normal', reason: 'Created', message: 'secret created' },
    ]);
    assert.deepEqual(ready(r), {
      status: 'True',
      reason: 'SecretSynced',
      message: 'secret synced',
    });
    assert.deepEqual(r.status.binding, { name: 'es' });
    assert.equal(r.status.refreshTime, formatTime(T0));
    assert.deepEqual(r.deleteOrphans, { createdBy: createdByHash('default', 'es'), keep: 'es' });
    assert.deepEqual(r.requeue, { kind: 'after', ms: 3_600_000 });
  });

  it('target.name overrides the Secret name', async () => {
    assert.equal(
      written(await sync({ ...ONE, target: { name: 'custom' } })).metadata.name,
      'custom',
    );
  });

  it('Orphan creates without ownerReference or created-by label', async () => {
    const s = written(await sync({ ...ONE, target: { creationPolicy: 'Orphan' } }));
    assert.equal(s.metadata.ownerReferences, undefined);
    assert.equal(s.metadata.labels?.['reconcile.external-secrets.io/created-by'], undefined);
  });

  it('Merge does not create a missing Secret and reports SecretMissing', async () => {
    const r = await sync({ ...ONE, target: { creationPolicy: 'Merge' } });
    assert.equal(r.action.kind, 'none');
    assert.deepEqual(ready(r), {
      status: 'True',
      reason: 'SecretMissing',
      message: 'secret will not be created due to CreationPolicy=Merge',
    });
    assert.equal(r.requeue.kind, 'after');
  });

  it('Merge keeps foreign keys of an existing Secret', async () => {
    const s = written(
      await sync({ ...ONE, target: { creationPolicy: 'Merge' } }, secret({ foreign: 'f' })),
    );
    assert.deepEqual([...s.data.keys()].sort(), ['foreign', 'one']);
  });

  it('Owner replaces foreign keys', async () => {
    const s = written(await sync(ONE, secret({ foreign: 'f' })));
    assert.deepEqual([...s.data.keys()], ['one']);
  });

  it('None writes nothing', async () => {
    const r = await sync({ ...ONE, target: { creationPolicy: 'None' } });
    assert.equal(r.action.kind, 'none');
    assert.equal(ready(r).reason, 'SecretSynced');
  });

  it('an unchanged Secret is not updated and emits no event', async () => {
    const first = written(await sync(ONE));
    const r = await sync(ONE, { ...first, metadata: { ...first.metadata, uid: 's-uid' } });
    assert.equal(r.action.kind, 'none');
    assert.deepEqual(r.onSuccess, []);
  });

  it('a changed Secret is updated with event Updated', async () => {
    const r = await sync(ONE, secret({ one: 'stale' }));
    assert.equal(r.action.kind, 'update');
    assert.deepEqual(r.onSuccess, [
      { type: 'Normal', reason: 'Updated', message: 'secret updated' },
    ]);
  });

  it('a Secret controlled by another ExternalSecret fails without requeue', async () => {
    const owned = secret(
      {},
      {
        ownerReferences: [
          {
            apiVersion: 'external-secrets.io/v1',
            kind: 'ExternalSecret',
            name: 'other',
            uid: 'x',
            controller: true,
          },
        ],
      },
    );
    const r = await sync(ONE, owned);
    assert.deepEqual(ready(r), {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'target is owned by another ExternalSecret',
    });
    assert.deepEqual(r.requeue, { kind: 'none' });
    assert.match(r.events[0]?.message ?? '', /secret is owned by another ExternalSecret: other/);
    assert.deepEqual(r.status.binding, { name: 'es' }, 'ESO binds before mutating an update');
  });

  it('a Secret controlled by another kind fails to take ownership', async () => {
    const owned = secret(
      {},
      {
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'x', controller: true },
        ],
      },
    );
    const r = await sync(ONE, owned);
    assert.equal(ready(r).message, 'failed to take ownership of target secret');
    assert.deepEqual(r.requeue, { kind: 'none' });
  });
});

describe('syncExternalSecret: deletionPolicy on empty data (eso.md §2.1 step 7, §9.10)', () => {
  const MISSING = {
    data: [{ secretKey: 'x', remoteRef: { key: 'gone' } }],
  } satisfies ExternalSecretSpec;
  it('Delete removes an existing Owner Secret', async () => {
    const r = await sync({ ...MISSING, target: { deletionPolicy: 'Delete' } }, secret({ x: '1' }));
    assert.deepEqual(r.action, { kind: 'delete', name: 'es' });
    assert.deepEqual(ready(r), {
      status: 'True',
      reason: 'SecretDeleted',
      message: 'secret deleted due to DeletionPolicy=Delete',
    });
    assert.deepEqual(r.onSuccess, [
      { type: 'Normal', reason: 'Deleted', message: 'secret deleted due to DeletionPolicy=Delete' },
    ]);
    assert.equal(r.events[0]?.reason, 'MissingProviderSecret');
  });
  it('Delete with a non-Owner policy fails without requeue', async () => {
    const r = await sync(
      { ...MISSING, target: { deletionPolicy: 'Delete', creationPolicy: 'Orphan' } },
      secret({ x: '1' }),
    );
    assert.equal(r.action.kind, 'none');
    assert.equal(ready(r).message, 'could not delete secret');
    assert.match(
      r.events.at(-1)?.message ?? '',
      /^unable to delete secret es: creationPolicy=Orphan is not Owner$/,
    );
    assert.deepEqual(r.requeue, { kind: 'none' });
  });
  it('Retain makes a missing remote secret an error that keeps the Secret', async () => {
    const r = await sync(MISSING, secret({ x: '1' }));
    assert.equal(r.action.kind, 'none');
    assert.deepEqual(ready(r), {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not get secret data from provider',
    });
    assert.deepEqual(r.requeue, { kind: 'backoff' });
    assert.ok(!r.events.some((e) => e.reason === 'MissingProviderSecret'));
  });
  it('Delete with no Secret left reports SecretDeleted and writes nothing', async () => {
    const r = await sync({ ...MISSING, target: { deletionPolicy: 'Delete' } });
    assert.equal(r.action.kind, 'none');
    assert.equal(ready(r).reason, 'SecretDeleted');
    assert.deepEqual(r.onSuccess, []);
  });
  it('Retain keeps the Secret when the provider returned nothing', async () => {
    const r = await sync(
      { dataFrom: [{ find: { name: { regexp: '^nothing' } } }] },
      secret({ x: '1' }),
    );
    assert.equal(r.action.kind, 'none');
    assert.deepEqual(ready(r), {
      status: 'True',
      reason: 'SecretSynced',
      message: 'secret retained due to DeletionPolicy=Retain',
    });
  });
  it('Merge strips the managed keys and keeps the rest', async () => {
    const existing = secret(
      { x: '1', foreign: 'f' },
      {
        managedFields: [
          { manager: fieldManagerFor('es'), fieldsV1: { 'f:data': { '.': {}, 'f:x': {} } } },
        ],
      },
    );
    const s = written(
      await sync(
        { ...MISSING, target: { deletionPolicy: 'Merge', creationPolicy: 'Merge' } },
        existing,
      ),
    );
    assert.deepEqual([...s.data.keys()], ['foreign']);
  });
});

describe('syncExternalSecret: failures keep the last good Secret (eso.md §9.9)', () => {
  it('a provider error writes nothing, reports a generic message and backs off', async () => {
    const es = externalSecret(ONE);
    const { client } = memoryClient(store, new Set(['app/one']));
    const fetched = await fetchProviderData(es, { clientFor: () => Promise.resolve(client) });
    const r = syncExternalSecret({
      es,
      existing: secret({ one: 'old' }),
      fetched,
      nowMs: T0,
      engine,
    });
    assert.equal(r.action.kind, 'none');
    assert.deepEqual(ready(r), {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not get secret data from provider',
    });
    assert.deepEqual(r.requeue, { kind: 'backoff' });
    assert.match(
      r.events[0]?.message ?? '',
      /^error processing spec.data\[0\] \(key: app\/one\), err: store unavailable reading app\/one$/,
    );
    assert.equal(r.status.refreshTime, undefined);
  });

  it('a template error reports could not update secret and backs off', async () => {
    const r = await sync({ ...ONE, target: { template: { data: { k: '{{ .missing }}' } } } });
    assert.equal(ready(r).message, 'could not update secret');
    assert.deepEqual(r.requeue, { kind: 'backoff' });
    assert.match(
      r.events[0]?.message ?? '',
      /^could not apply template: could not execute template: could not execute template: unable to execute template at key k: /,
    );
  });

  it('a write conflict requeues immediately; other write errors back off', () => {
    const input = {
      es: externalSecret(ONE),
      fetched: { dataFrom: [], data: [] },
      nowMs: T0,
      engine,
    };
    assert.deepEqual(
      syncWriteFailed(input, { stage: 'write', conflict: true, error: new Error('conflict') })
        .requeue,
      { kind: 'after', ms: 0 },
    );
    const r = syncWriteFailed(input, { stage: 'orphans', error: new Error('boom') });
    assert.equal(ready(r).message, 'could not delete orphaned secrets');
    assert.deepEqual(r.requeue, { kind: 'backoff' });
  });
});

describe('syncExternalSecret: templates and metadata (eso.md §3.5, §9.13, §9.14, §9.17)', () => {
  it('without a template all ES labels and annotations are copied', async () => {
    const s = written(
      await sync(ONE, undefined, { labels: { team: 'a' }, annotations: { note: 'n' } }),
    );
    assert.equal(s.metadata.labels?.team, 'a');
    assert.equal(s.metadata.annotations?.note, 'n');
  });
  it('with a template only template metadata is copied and rendered, finalizers added', async () => {
    const s = written(
      await sync(
        {
          ...ONE,
          target: { template: { metadata: { labels: { v: '{{ .one }}' }, finalizers: ['x/y'] } } },
        },
        undefined,
        { labels: { team: 'a' } },
      ),
    );
    assert.equal(s.metadata.labels?.team, undefined);
    assert.equal(s.metadata.labels?.v, 'one-value');
    assert.deepEqual(s.metadata.finalizers, ['x/y']);
    assert.equal(dec(s.data.get('one')), 'one-value');
  });
  it('template.data replaces provider data unless mergePolicy is Merge', async () => {
    const replace = written(
      await sync({ ...ONE, target: { template: { data: { k: 'v-{{ .one }}' } } } }),
    );
    assert.deepEqual([...replace.data.keys()], ['k']);
    const merge = written(
      await sync({ ...ONE, target: { template: { data: { k: 'v' }, mergePolicy: 'Merge' } } }),
    );
    assert.deepEqual([...merge.data.keys()].sort(), ['k', 'one']);
  });
  it('template.type sets the Secret type', async () => {
    assert.equal(
      written(await sync({ ...ONE, target: { template: { type: 'kubernetes.io/tls' } } })).type,
      'kubernetes.io/tls',
    );
  });
  it('previously managed labels are removed before re-rendering', async () => {
    const existing = secret(
      { one: 'x' },
      {
        labels: { old: '1', foreign: '2' },
        managedFields: [
          {
            manager: fieldManagerFor('es'),
            fieldsV1: { 'f:metadata': { 'f:labels': { 'f:old': {} } } },
          },
        ],
      },
    );
    const s = written(
      await sync(
        { ...ONE, target: { template: { metadata: { labels: { new: '1' } } } } },
        existing,
      ),
    );
    assert.equal(s.metadata.labels?.old, undefined);
    assert.equal(s.metadata.labels?.foreign, '2');
    assert.equal(s.metadata.labels.new, '1');
  });
  it('immutable sets Secret.immutable on create', async () => {
    assert.equal(written(await sync({ ...ONE, target: { immutable: true } })).immutable, true);
  });
  it('an existing immutable Secret is never re-templated; unchanged data passes', async () => {
    const existing = { ...secret({ one: 'one-value' }), immutable: true };
    const r = await sync({ ...ONE, target: { immutable: true } }, existing);
    assert.equal(ready(r).status, 'True');
  });
  it('an existing immutable Secret with changed data fails without requeue', async () => {
    const existing = { ...secret({ one: 'old' }), immutable: true };
    const r = await sync({ ...ONE, target: { immutable: false } }, existing);
    assert.deepEqual(ready(r), {
      status: 'False',
      reason: 'SecretSyncedError',
      message: 'could not update secret, target is immutable',
    });
    assert.match(
      r.events.at(-1)?.message ?? '',
      /^unable to update secret es: secret is immutable$/,
    );
    assert.deepEqual(r.requeue, { kind: 'none' });
  });
});

describe('planSync (eso.md §2.1 step 5)', () => {
  it('skips when not due and the Secret is valid, and says when to look again', async () => {
    const first = await sync(ONE);
    const es = { ...externalSecret(ONE), status: first.status };
    const existing = { ...written(first), metadata: { ...written(first).metadata, uid: 's' } };
    assert.deepEqual(planSync(es, existing, T0 + 1000), {
      refresh: false,
      requeue: { kind: 'after', ms: 3_599_000 },
    });
  });
  it('a deleted Secret forces a refresh even when not due', async () => {
    const first = await sync(ONE);
    assert.deepEqual(
      planSync({ ...externalSecret(ONE), status: first.status }, undefined, T0 + 1000),
      { refresh: true },
    );
  });
});

describe('canary: secret values never leave the core', () => {
  const CANARY = 'CANARY-s3cr3t-9f8e7d';
  const canaryStore = { 'k/plain': CANARY, 'k/json': { pw: CANARY }, 'k/num': CANARY };
  const scenarios: { name: string; spec: ExternalSecretSpec }[] = [
    {
      name: 'bad template (atoi echoes its input)',
      spec: {
        data: [{ secretKey: 'pw', remoteRef: { key: 'k/plain' } }],
        target: { template: { data: { out: '{{ .pw | atoi | add1 }}{{ fail .pw }}' } } },
      },
    },
    {
      name: 'fail() with the value',
      spec: {
        data: [{ secretKey: 'pw', remoteRef: { key: 'k/plain' } }],
        target: { template: { data: { out: '{{ fail .pw }}' } } },
      },
    },
    {
      name: 'decode failure',
      spec: {
        data: [{ secretKey: 'pw', remoteRef: { key: 'k/plain', decodingStrategy: 'Base64' } }],
      },
    },
    {
      name: 'missing key in template',
      spec: {
        data: [{ secretKey: 'pw', remoteRef: { key: 'k/plain' } }],
        target: { template: { data: { out: '{{ .nope }}' } } },
      },
    },
    {
      name: 'KeysAndValues YAML error',
      spec: {
        data: [{ secretKey: 'pw', remoteRef: { key: 'k/plain' } }],
        target: { template: { templateFrom: [{ literal: '{{ .pw }}: [unclosed' }] } },
      },
    },
    {
      name: 'merge of non-JSON',
      spec: { dataFrom: [{ extract: { key: 'k/json' }, rewrite: [{ merge: {} }] }] },
    },
    {
      name: 'invalid key from a value',
      spec: {
        dataFrom: [
          { extract: { key: 'k/json' }, rewrite: [{ transform: { template: '{{ .value }}/x' } }] },
        ],
      },
    },
    {
      name: 'valuesDecodingStrategy on a rendered value',
      spec: {
        data: [{ secretKey: 'pw', remoteRef: { key: 'k/plain' } }],
        target: {
          template: {
            templateFrom: [{ literal: 'x: {{ .pw }}', valuesDecodingStrategy: 'Base64' }],
          },
        },
      },
    },
  ];
  for (const s of scenarios) {
    it(`${s.name}: no status, event or error text contains the value`, async () => {
      const es = externalSecret(s.spec);
      const { client } = memoryClient(canaryStore);
      const fetched = await fetchProviderData(es, { clientFor: () => Promise.resolve(client) });
      const r = syncExternalSecret({ es, fetched, nowMs: T0, engine });
      assert.equal(ready(r).status, 'False', 'the scenario must fail');
      const emitted = JSON.stringify({
        status: r.status,
        events: r.events,
        onSuccess: r.onSuccess,
      });
      assert.ok(!emitted.includes(CANARY), `leaked in: ${emitted}`);
    });
  }
});
