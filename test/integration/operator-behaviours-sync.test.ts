/**
 * eso.md §9 as a table, against `ferry operator` as a real process and the real API server, with
 * ESO's `fake` provider: what one sync produces. Items 1–5 (defaults, assembly order, the
 * extract/find pipeline, decoding, target name/label/data-hash), 13 (metadata propagation), 16
 * (status, events, binding) and 17–19 (templates, functions, templateFrom). Changes over time are
 * in operator-behaviours-lifecycle.test.ts, stores in operator-behaviours-stores.test.ts; items 10
 * and 15 (NoSecretError, deletion and the finalizer) are in operator-deletion.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ANNOTATION_DATA_HASH,
  encode,
  LABEL_CREATED_BY,
  LABEL_MANAGED,
  newCanary,
  runRow,
  startHarness,
  type Harness,
  type Row,
} from './operator-behaviours-support.ts';

let h: Harness;
/** Every fake value embeds it; it must never show up outside the Secrets. */
const C = newCanary();

const sha3 = (text: string) => createHash('sha3-224').update(text).digest('hex');
const SYNCED = { status: 'True', reason: 'SecretSynced', message: 'secret synced' } as const;
const FAILED_FETCH = {
  status: 'False',
  reason: 'SecretSyncedError',
  message: 'could not get secret data from provider',
} as const;
const FAILED_UPDATE = {
  status: 'False',
  reason: 'SecretSyncedError',
  message: 'could not update secret',
} as const;

const ref = (key: string, extra: Record<string, unknown> = {}) => ({ key, ...extra });
const item = (secretKey: string, key: string, extra: Record<string, unknown> = {}) => ({
  secretKey,
  remoteRef: ref(key, extra),
});

/** Template sources for the item 19 rows. */
const TEMPLATE_VALUES = () => [
  { key: 'one', value: 'foo1-val' },
  { key: 'two', value: 'bar2-val' },
  { key: 'three', value: 'dev' },
  { key: 'pw', value: `${C}pw` },
];
const TEMPLATE_DATA = [item('one', 'one'), item('two', 'two'), item('three', 'three')];

const ROWS: Row[] = [
  {
    name: 'defaults',
    item: 1,
    title: 'CRD defaults are visible on the stored ExternalSecret',
    store: [{ key: 'db', value: `${C}db` }],
    spec: { data: [item('password', 'db')] },
    secret: { data: { password: `${C}db` } },
    ready: SYNCED,
    check(es) {
      assert.equal(es.spec['refreshInterval'], '1h0m0s');
      assert.deepEqual(es.spec.target, { creationPolicy: 'Owner', deletionPolicy: 'Retain' });
      // Strategy fields are not defaulted (eso.md §9.1, v2.9).
      assert.deepEqual(es.spec['data'], [{ secretKey: 'password', remoteRef: { key: 'db' } }]);
      assert.equal(es.spec['refreshPolicy'], undefined);
    },
  },
  {
    name: 'template-defaults',
    item: 1,
    title: 'template defaults: engineVersion v2, mergePolicy Replace, target Data, Values',
    store: [{ key: 'db', value: `${C}db` }],
    before: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'template-defaults-tpl' },
        data: { t: 'pw={{ .password }}' },
      },
    ],
    spec: {
      data: [item('password', 'db')],
      target: {
        template: {
          templateFrom: [{ configMap: { name: 'template-defaults-tpl', items: [{ key: 't' }] } }],
        },
      },
    },
    secret: { data: { t: `pw=${C}db` } },
    ready: SYNCED,
    check(es) {
      const t = (es.spec.target as { template: Record<string, unknown> }).template;
      assert.equal(t['engineVersion'], 'v2');
      assert.equal(t['mergePolicy'], 'Replace');
      assert.deepEqual(t['templateFrom'], [
        {
          target: 'Data',
          configMap: { name: 'template-defaults-tpl', items: [{ key: 't', templateAs: 'Values' }] },
        },
      ]);
    },
  },
  {
    name: 'order',
    item: 2,
    title: 'dataFrom entries merge in order, then data[] overrides',
    store: [
      { key: 'first', value: `{"a":"from-first","b":"${C}b1"}` },
      { key: 'second', value: `{"b":"${C}b2","c":"from-second"}` },
      { key: 'single', value: `${C}single` },
    ],
    spec: {
      dataFrom: [{ extract: ref('first') }, { extract: ref('second') }],
      data: [item('a', 'single', { conversionStrategy: 'Unicode' })],
    },
    secret: { data: { a: `${C}single`, b: `${C}b2`, c: 'from-second' } },
    ready: SYNCED,
  },
  {
    name: 'convert-default',
    item: 3,
    title: 'extract without rewrite converts keys (Default) and drops empty keys',
    store: [{ key: 'm', value: `{"db/user":"${C}u","db pass":"${C}p","":"dropped"}` }],
    spec: { dataFrom: [{ extract: ref('m', { conversionStrategy: 'Default' }) }] },
    secret: { data: { db_user: `${C}u`, db_pass: `${C}p` } },
    ready: SYNCED,
  },
  {
    name: 'convert-unicode',
    item: 3,
    title: 'extract with conversionStrategy Unicode maps bad runes to _U%04x_',
    store: [{ key: 'm', value: `{"a/b":"${C}u","ok":"${C}v"}` }],
    spec: { dataFrom: [{ extract: ref('m', { conversionStrategy: 'Unicode' }) }] },
    secret: { data: { a_U002f_b: `${C}u`, ok: `${C}v` } },
    ready: SYNCED,
  },
  {
    name: 'rewrite',
    item: 3,
    title: 'rewrites run in sequence: regexp, then transform',
    store: [{ key: 'm', value: `{"db/user":"${C}u","db/pass":"${C}p"}` }],
    spec: {
      dataFrom: [
        {
          extract: ref('m'),
          rewrite: [
            { regexp: { source: '^db/(.*)$', target: 'app-$1' } },
            { transform: { template: '{{ .value | upper | replace "-" "_" }}' } },
          ],
        },
      ],
    },
    secret: { data: { APP_USER: `${C}u`, APP_PASS: `${C}p` } },
    ready: SYNCED,
  },
  {
    name: 'rewrite-no-convert',
    item: 3,
    title: 'a rewrite switches conversion off, so a bad key fails key validation',
    store: [{ key: 'm', value: `{"db/user":"${C}u","other/key":"${C}o"}` }],
    spec: {
      dataFrom: [
        {
          extract: ref('m', { conversionStrategy: 'Default' }),
          rewrite: [{ regexp: { source: '^db/', target: '' } }],
        },
      ],
    },
    secret: null,
    ready: FAILED_FETCH,
    events: ['UpdateFailed'],
    async check(_es, hh) {
      const e = (await hh.events('rewrite-no-convert')).find((x) => x.reason === 'UpdateFailed');
      assert.equal(e?.type, 'Warning');
      assert.match(e.message ?? '', /invalid secret keys/);
      assert.match(e.message ?? '', /key has invalid character \//);
    },
  },
  {
    name: 'find',
    item: 3,
    title: 'find by name regexp returns the matching keys',
    store: [
      { key: 'find-a', value: `${C}1` },
      { key: 'find-b', value: `${C}2` },
      { key: 'other', value: `${C}3` },
    ],
    spec: { dataFrom: [{ find: { name: { regexp: '^find-' } } }] },
    secret: { data: { 'find-a': `${C}1`, 'find-b': `${C}2` } },
    ready: SYNCED,
  },
  {
    name: 'decoding',
    item: 4,
    title: 'Base64 and Base64URL are strict; Auto tries both, then keeps the raw value',
    store: [
      { key: 'b64', value: encode(`${C}b64`) },
      { key: 'url', value: 'Pz8-' },
      { key: 'raw', value: `${C} not base64!` },
      { key: 'auto', value: 'YWJj' },
      { key: 'none', value: 'YWJj' },
    ],
    spec: {
      data: [
        item('b64', 'b64', { decodingStrategy: 'Base64' }),
        item('url', 'url', { decodingStrategy: 'Base64URL' }),
        item('autourl', 'url', { decodingStrategy: 'Auto' }),
        item('raw', 'raw', { decodingStrategy: 'Auto' }),
        item('auto', 'auto', { decodingStrategy: 'Auto' }),
        item('none', 'none', { decodingStrategy: 'None' }),
      ],
    },
    secret: {
      data: {
        b64: `${C}b64`,
        url: '??>',
        autourl: '??>',
        raw: `${C} not base64!`,
        auto: 'abc',
        none: 'YWJj',
      },
    },
    ready: SYNCED,
  },
  {
    name: 'decoding-strict',
    item: 4,
    title: 'Base64 without padding is an error',
    store: [{ key: 'b64', value: 'YWJjZA' }],
    spec: { data: [item('b64', 'b64', { decodingStrategy: 'Base64' })] },
    secret: null,
    ready: FAILED_FETCH,
    events: ['UpdateFailed'],
  },
  {
    name: 'rewrite-re2',
    item: 4,
    title: 'in a rewrite target $1x names group "1x" (empty), ${1}x is group 1 then x',
    store: [{ key: 'm', value: `{"db-user":"${C}u","db-pass":"${C}p"}` }],
    spec: {
      dataFrom: [
        { extract: ref('m'), rewrite: [{ regexp: { source: '^db-(user)$', target: '$1x' } }] },
        { extract: ref('m'), rewrite: [{ regexp: { source: '^db-(pass)$', target: '${1}x' } }] },
      ],
    },
    secret: { data: { 'db-pass': `${C}p`, 'db-user': `${C}u`, passx: `${C}p` } },
    ready: SYNCED,
  },
  {
    name: 'null-bytes',
    item: 3,
    title: 'nullBytePolicy Fail rejects a value with NUL bytes',
    store: [{ key: 'bin', value: encode(`${C}\0x`) }],
    spec: {
      data: [item('bin', 'bin', { decodingStrategy: 'Base64', nullBytePolicy: 'Fail' })],
    },
    secret: null,
    ready: FAILED_FETCH,
    events: ['UpdateFailed'],
    async check(_es, hh) {
      const e = (await hh.events('null-bytes')).find((x) => x.reason === 'UpdateFailed');
      assert.match(e?.message ?? '', /contains null bytes/);
    },
  },
  {
    name: 'null-bytes-kept',
    item: 3,
    title: 'without nullBytePolicy, binary values with NUL bytes are kept',
    store: [{ key: 'bin', value: encode(`${C}\0x`) }],
    spec: { data: [item('bin', 'bin', { decodingStrategy: 'Base64' })] },
    secret: { data: { bin: `${C}\0x` } },
    ready: SYNCED,
  },
  {
    name: 'hash',
    item: 5,
    title: 'target.name names the Secret; managed label, created-by and data-hash',
    target: 'custom-target',
    store: [
      { key: 'foo', value: 'value1' },
      { key: 'bar', value: 'value2' },
    ],
    spec: {
      target: { name: 'custom-target' },
      data: [item('foo', 'foo'), item('bar', 'bar')],
    },
    secret: {
      data: { foo: 'value1', bar: 'value2' },
      labels: { [LABEL_MANAGED]: 'true' },
      annotations: {
        [ANNOTATION_DATA_HASH]: '1bed8bcbcb4547ffe19a19cd47d9078e84aa6598266d86b99f992d64',
      },
      owned: true,
      type: 'Opaque',
    },
    ready: SYNCED,
    async check(es, hh) {
      const s = await hh.secret('custom-target');
      assert.equal(s?.metadata.labels?.[LABEL_CREATED_BY], sha3(`${hh.ns}/hash`));
      assert.equal(es.status?.binding?.name, 'custom-target');
      assert.equal(await hh.secret('hash'), undefined, 'no Secret under the ES name');
    },
  },
  {
    name: 'meta-plain',
    item: 13,
    title: 'without a template, all ExternalSecret labels and annotations are copied',
    store: [{ key: 'k', value: `${C}k` }],
    meta: { labels: { team: 'blue' }, annotations: { 'example.com/note': 'hello' } },
    spec: { data: [item('k', 'k')] },
    secret: {
      data: { k: `${C}k` },
      labels: { team: 'blue', [LABEL_MANAGED]: 'true' },
      annotations: { 'example.com/note': 'hello' },
    },
    ready: SYNCED,
  },
  {
    name: 'meta-template',
    item: 13,
    title: 'with a template, only rendered template metadata is copied, finalizers added',
    store: [
      { key: 'k', value: `${C}k` },
      { key: 'team', value: 'ops' },
    ],
    meta: { labels: { team: 'blue' }, annotations: { 'example.com/note': 'hello' } },
    spec: {
      data: [item('k', 'k'), item('team', 'team')],
      target: {
        template: {
          metadata: {
            labels: { owner: '{{ .team }}' },
            annotations: { 'example.com/rendered': 'team={{ .team }}' },
            finalizers: ['example.com/keep'],
          },
        },
      },
    },
    secret: {
      data: { k: `${C}k`, team: 'ops' },
      labels: { owner: 'ops', team: null },
      annotations: { 'example.com/rendered': 'team=ops', 'example.com/note': null },
      finalizers: ['example.com/keep'],
    },
    ready: SYNCED,
    async check(_es, hh) {
      // Let the namespace go away at the end.
      await hh.client.mergePatch(
        { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
        { namespace: hh.ns, name: 'meta-template' },
        { metadata: { finalizers: null } },
      );
    },
  },
  {
    name: 'status',
    item: 16,
    title: 'a first sync: Ready SecretSynced, Created event, refreshTime, binding, version',
    store: [{ key: 'k', value: `${C}k` }],
    spec: { data: [item('k', 'k')] },
    secret: { data: { k: `${C}k` } },
    ready: SYNCED,
    events: ['Created'],
    async check(es, hh) {
      const created = (await hh.events('status')).find((e) => e.reason === 'Created');
      assert.equal(created?.type, 'Normal');
      assert.equal(created.message, 'secret created');
      assert.equal(created.source?.component, 'external-secrets');
      assert.equal(es.status?.binding?.name, 'status');
      assert.match(es.status.refreshTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(es.status.syncedResourceVersion ?? '', /^1-[0-9a-f]{56}$/);
      assert.equal(es.status.conditions?.length, 1);
    },
  },
  {
    name: 'tpl-replace',
    item: 17,
    title: 'template data replaces provider data; template.type sets the type',
    store: [
      { key: 'user', value: 'admin' },
      { key: 'pass', value: `${C}pw` },
    ],
    spec: {
      data: [item('user', 'user'), item('pass', 'pass')],
      target: {
        template: {
          type: 'example.com/custom',
          data: { conn: 'postgres://{{ .user }}:{{ .pass }}@db' },
        },
      },
    },
    secret: { data: { conn: `postgres://admin:${C}pw@db` }, type: 'example.com/custom' },
    ready: SYNCED,
  },
  {
    name: 'tpl-merge',
    item: 17,
    title: 'mergePolicy Merge keeps provider data next to rendered keys',
    store: [
      { key: 'user', value: 'admin' },
      { key: 'pass', value: `${C}pw` },
    ],
    spec: {
      data: [item('user', 'user'), item('pass', 'pass')],
      target: { template: { mergePolicy: 'Merge', data: { user: 'root', extra: '{{ .user }}' } } },
    },
    secret: { data: { user: 'root', pass: `${C}pw`, extra: 'admin' } },
    ready: SYNCED,
  },
  {
    name: 'tpl-metadata-only',
    item: 17,
    title: 'a template without data or templateFrom keeps provider data',
    store: [{ key: 'pass', value: `${C}pw` }],
    spec: {
      data: [item('pass', 'pass')],
      target: { template: { metadata: { labels: { kind: 'db' } } } },
    },
    secret: { data: { pass: `${C}pw` }, labels: { kind: 'db' } },
    ready: SYNCED,
  },
  {
    name: 'tpl-precedence',
    item: 17,
    title: 'templateFrom entries apply in order, then template.data wins; YAML 1.1 keys',
    store: [{ key: 'pass', value: `${C}pw` }],
    spec: {
      data: [item('pass', 'pass')],
      target: {
        template: {
          templateFrom: [
            { literal: 'x: first\nb: first' },
            // ESO parses literals as YAML 1.1 (sigs.k8s.io/yaml): the key y is the boolean true.
            { literal: 'b: second\nz: "{{ .pass }}"\ny: quirk' },
          ],
          data: { x: 'from-data' },
        },
      },
    },
    secret: { data: { x: 'from-data', b: 'second', z: `${C}pw`, true: 'quirk' } },
    ready: SYNCED,
  },
  {
    name: 'tpl-missingkey',
    item: 17,
    title: 'a missing key is a template error (missingkey=error), no Secret',
    store: [{ key: 'pass', value: `${C}pw` }],
    spec: {
      data: [item('pass', 'pass')],
      target: { template: { data: { x: '{{ .nope }}' } } },
    },
    secret: null,
    ready: FAILED_UPDATE,
    events: ['UpdateFailed'],
    async check(_es, hh) {
      const e = (await hh.events('tpl-missingkey')).find((x) => x.reason === 'UpdateFailed');
      // A new Secret: ESO's create path does not add `unable to mutate secret …`.
      assert.equal(
        e?.message,
        // ESO's own wrapping, doubled phrases included.
        'could not apply template: could not execute template: could not execute template: ' +
          'unable to execute template at key x: unable to execute template at key x: ' +
          'template: x:1:3: executing "x" at <.nope>: map has no entry for key "nope"',
      );
    },
  },
  {
    name: 'tpl-funcs',
    item: 18,
    title: 'sprig and ESO functions give ESO outputs, b64dec errors as text',
    store: [
      { key: 'secret', value: 'MTIzNA==' },
      { key: 'json', value: '{"foo": "bar"}' },
      { key: 'example', value: 'example' },
      { key: 'username', value: 'foo1' },
      { key: 'password', value: "FZ4jR;l]ON;pHKi=_'zh79P" },
      { key: 'nob64', value: 'iam_no_base64' },
      { key: 'canary', value: `${C}x` },
    ],
    spec: {
      data: ['secret', 'json', 'example', 'username', 'password', 'nob64', 'canary'].map((k) =>
        item(k, k),
      ),
      target: {
        template: {
          data: {
            b64dec: '{{ .secret | b64dec }}',
            yaml: '{{ .json | fromJson | toYaml }}',
            sha: '{{ .example | sha256sum | hexdec | b64enc }}',
            upper: '{{ .username | upper }}',
            htpasswd: '{{ htpasswd .username .password "sha" }}',
            quiet: '{{ .nob64 | b64dec }}',
          },
        },
      },
    },
    secret: {
      data: {
        b64dec: '1234',
        yaml: 'foo: bar',
        sha: 'UNhY4JhezH9gQYqvDMWrWH9CwlcKiECVqejMrND2VFw=',
        upper: 'FOO1',
        htpasswd: 'foo1:{SHA}wtdJD6OIjUniEJkTlewnKzfFxA4=',
        quiet: 'illegal base64 data at input byte 3',
      },
    },
    ready: SYNCED,
  },
  {
    name: 'tpl-no-env',
    item: 18,
    title: 'env is not a template function',
    store: [{ key: 'pass', value: `${C}pw` }],
    spec: {
      data: [item('pass', 'pass')],
      target: { template: { data: { home: '{{ env "HOME" }}' } } },
    },
    secret: null,
    ready: FAILED_UPDATE,
    events: ['UpdateFailed'],
  },
  {
    name: 'tpl-from',
    item: 19,
    title: 'templateFrom ConfigMap (Values, KeysAndValues), Secret and literal, by target',
    store: TEMPLATE_VALUES(),
    before: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'tpl-from-cm' },
        data: {
          'config.json': 'executed-{{ .one }}-{{ .two }}',
          kv: 'executed-{{ .one }}: {{ .two }}',
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'tpl-from-secret' },
        stringData: { note: 'user={{ .one }}' },
      },
    ],
    spec: {
      data: [...TEMPLATE_DATA, item('pw', 'pw')],
      target: {
        template: {
          templateFrom: [
            {
              configMap: {
                name: 'tpl-from-cm',
                items: [
                  { key: 'config.json', templateAs: 'Values' },
                  { key: 'kv', templateAs: 'KeysAndValues' },
                ],
              },
            },
            {
              target: 'Annotations',
              secret: { name: 'tpl-from-secret', items: [{ key: 'note' }] },
            },
            { literal: 'lit-{{ .one }}: "{{ .pw }}"' },
            { target: 'Labels', literal: 'env: {{ .three }}' },
          ],
        },
      },
    },
    secret: {
      data: {
        'config.json': 'executed-foo1-val-bar2-val',
        'executed-foo1-val': 'bar2-val',
        'lit-foo1-val': `${C}pw`,
      },
      annotations: { note: 'user=foo1-val' },
      labels: { env: 'dev' },
    },
    ready: SYNCED,
  },
];

before(async () => {
  h = await startHarness('behaviours-sync', C);
});

after(async () => {
  await h.assertNoCanary();
  await h.stop();
});

// Rows are independent (each has its own store and ExternalSecret): run them concurrently.
describe('ferry operator behaviours: one sync (eso.md §9)', { concurrency: true }, () => {
  for (const row of ROWS) it(`§9.${String(row.item)} ${row.title}`, () => runRow(h, row));
});
