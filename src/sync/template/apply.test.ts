import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecretTemplate } from '../../api/types.ts';
import { goTemplateEngine } from './default-engine.ts';
import { templateFuncMap } from './funcmap.ts';
import {
  includesProviderData,
  renderTemplate,
  secretTargetOf,
  templateSourceNames,
  validateSecretTemplate,
} from './apply.ts';
import type { TemplateContext, TemplateTarget } from './apply.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : new TextDecoder().decode(b);
const engine = goTemplateEngine();
const funcs = templateFuncMap();

function target(): TemplateTarget {
  return { data: new Map(), labels: {}, annotations: {} };
}
function ctx(data: Record<string, string>, extra: Partial<TemplateContext> = {}): TemplateContext {
  return { engine, data: new Map(Object.entries(data).map(([k, v]) => [k, enc(v)])), ...extra };
}
function dataOf(t: TemplateTarget): Record<string, string> {
  return Object.fromEntries([...t.data].map(([k, v]) => [k, dec(v)!]));
}

describe('template Values scope (eso.md §7.4 TestExecuteTemplate)', () => {
  const cases: { name: string; tpl: string; data: Record<string, string>; want: string }[] = [
    {
      name: 'b64dec decodes',
      tpl: '{{ .secret | b64dec }}',
      data: { secret: 'MTIzNA==' },
      want: '1234',
    },
    {
      name: 'fromJson then field',
      tpl: '{{ $var := .secret | fromJson }}{{ $var.foo }}',
      data: { secret: '{"foo": "bar"}' },
      want: 'bar',
    },
    {
      name: 'fromJson then toJson of a nested object',
      tpl: '{{ $var := .secret | fromJson }}{{ $var.foo | toJson }}',
      data: { secret: '{"foo": {"baz":"bang"}}' },
      want: '{"baz":"bang"}',
    },
    {
      name: 'ext of a path',
      tpl: '{{ .path | ext }}',
      data: { path: 'foo/bar/baz.exe' },
      want: '.exe',
    },
    {
      name: 'replace scheme',
      tpl: '{{ .conn | replace "postgres://" "db+postgresql://"}}',
      data: { conn: 'postgres://x' },
      want: 'db+postgresql://x',
    },
    { name: 'upper', tpl: '{{ .value | upper }}', data: { value: 'username' }, want: 'USERNAME' },
    {
      name: 'b64enc then b64dec round-trips',
      tpl: '{{ "123412341234" | b64enc | b64dec }}',
      data: {},
      want: '123412341234',
    },
    {
      name: 'b64dec of invalid input is not an error',
      tpl: '{{ .example | b64dec }}',
      data: { example: 'iam_no_base64' },
      want: 'illegal base64 data at input byte 3',
    },
    {
      name: 'fromJson of invalid JSON is not an error',
      tpl: '{{ "{ # no json # }" | fromJson }}',
      data: {},
      want: '<no value>',
    },
    {
      name: 'index reaches keys with dashes',
      tpl: '{{ index . "key-with-dash" }}',
      data: { 'key-with-dash': 'v' },
      want: 'v',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = target();
      renderTemplate({ data: { out: c.tpl } }, t, ctx(c.data));
      assert.equal(dec(t.data.get('out')), c.want);
    });
  }

  it('binary provider data renders byte-exact (Go strings are bytes)', () => {
    const bin = Uint8Array.of(0xff, 0x00, 0xc3, 0x28, 0xe2, 0x98, 0x83, 0x80);
    const t = target();
    renderTemplate(
      { data: { raw: '{{ .bin }}', b64: '{{ .bin | b64enc }}', cut: '{{ substr 0 5 .bin }}' } },
      t,
      { engine, data: new Map([['bin', bin]]) },
    );
    assert.deepEqual(t.data.get('raw'), bin);
    assert.equal(dec(t.data.get('b64')), Buffer.from(bin).toString('base64'));
    assert.deepEqual(t.data.get('cut'), bin.subarray(0, 5));
  });

  it('b64dec of binary data yields the exact bytes', () => {
    const bin = Uint8Array.of(0x30, 0x82, 0x01, 0xff, 0xfe, 0x00);
    const t = target();
    renderTemplate(
      { data: { out: '{{ .v | b64dec }}' } },
      t,
      ctx({ v: Buffer.from(bin).toString('base64') }),
    );
    assert.deepEqual(t.data.get('out'), bin);
  });

  it('a parse error names the key', () => {
    assert.throws(() => {
      renderTemplate({ data: { key: '{{ #xx }}' } }, target(), ctx({}));
    }, /unable to parse template at key key: /);
  });

  it('a missing key is an execution error (missingkey=error)', () => {
    assert.throws(() => {
      renderTemplate({ data: { key: '{{ .unknown }}' } }, target(), ctx({}));
    }, /^SyncError: could not execute template: could not execute template: unable to execute template at key key: /);
  });

  it('custom delimiters are honoured', () => {
    const t = target();
    renderTemplate(
      { data: { out: '<< .secret | b64dec >>' } },
      t,
      ctx({ secret: 'MTIzNA==' }, { leftDelim: '<<', rightDelim: '>>' }),
    );
    assert.equal(dec(t.data.get('out')), '1234');
  });

  it('metadata labels and annotations are rendered', () => {
    const t = target();
    renderTemplate(
      { metadata: { labels: { env: '{{ .env | b64dec }}' }, annotations: { a: 'x-{{ .env }}' } } },
      t,
      ctx({ env: 'ZGV2' }),
    );
    assert.deepEqual(t.labels, { env: 'dev' });
    assert.deepEqual(t.annotations, { a: 'x-ZGV2' });
  });
});

describe('template KeysAndValues scope', () => {
  for (const targetName of [
    'Data',
    'data',
    'Annotations',
    'annotations',
    'ANNOTATIONS',
    'Labels',
  ]) {
    it(`literal writes key=value into target ${targetName} (case-insensitive)`, () => {
      const t = target();
      renderTemplate(
        { templateFrom: [{ literal: '{{ .key }}: {{ .value }}', target: targetName }] },
        t,
        ctx({ key: 'foo', value: 'bar' }),
      );
      const kind = secretTargetOf(targetName);
      const got = kind === 'data' ? dataOf(t) : t[kind];
      assert.deepEqual(got, { foo: 'bar' });
    });
  }

  it('an empty literal writes nothing', () => {
    const t = target();
    renderTemplate({ templateFrom: [{ literal: '' }] }, t, ctx({}));
    assert.equal(t.data.size, 0);
  });

  it('YAML scalars are coerced like sigs.k8s.io/yaml (ints, 32-bit floats, YAML 1.1 bools, null)', () => {
    const t = target();
    renderTemplate(
      {
        templateFrom: [
          { literal: 'i: 0x1F\nf: 3.14159265358979\nb: yes\nz: ~\ns: "quoted"\nk: 1_000' },
        ],
      },
      t,
      ctx({}),
    );
    assert.deepEqual(dataOf(t), {
      i: '31',
      f: '3.1415927',
      b: 'true',
      z: '',
      s: 'quoted',
      k: '1000',
    });
  });

  it('nested YAML values are rejected without quoting the text', () => {
    assert.throws(() => {
      renderTemplate({ templateFrom: [{ literal: 'a:\n  b: c' }] }, target(), ctx({}));
    }, /could not unmarshal template to 'map\[string\]\[\]byte': error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type string/);
  });

  it('valuesDecodingStrategy decodes values, never keys', () => {
    const t = target();
    renderTemplate(
      { templateFrom: [{ literal: 'Zm9v: YmFy', valuesDecodingStrategy: 'Base64' }] },
      t,
      ctx({}),
    );
    assert.deepEqual(dataOf(t), { Zm9v: 'bar' });
  });

  it('valuesDecodingStrategy Base64 on non-base64 output fails naming the key', () => {
    assert.throws(() => {
      renderTemplate(
        { templateFrom: [{ literal: 'k: not base64!', valuesDecodingStrategy: 'Base64' }] },
        target(),
        ctx({}),
      );
    }, /failed to decode rendered template value for key k: illegal base64 data/);
  });
});

describe('templateFrom sources and precedence (eso.md §3.4, §3.5)', () => {
  const sources = {
    configMaps: new Map([
      ['cm', { 'config.json': 'executed-{{ .one }}-{{ .two }}', kv: '{{ .one }}: from-cm' }],
    ]),
    secrets: new Map([['sec', new Map([['tpl', enc('secret-{{ .one }}')]])]]),
  };

  it('configMap items render as Values (item key) or KeysAndValues', () => {
    const t = target();
    const tpl: SecretTemplate = {
      templateFrom: [
        {
          configMap: {
            name: 'cm',
            items: [{ key: 'config.json' }, { key: 'kv', templateAs: 'KeysAndValues' }],
          },
        },
      ],
    };
    renderTemplate(tpl, t, ctx({ one: 'foo1-val', two: 'bar2-val' }, { sources }));
    assert.deepEqual(dataOf(t), {
      'config.json': 'executed-foo1-val-bar2-val',
      'foo1-val': 'from-cm',
    });
  });

  it('secret items render from their bytes', () => {
    const t = target();
    renderTemplate(
      { templateFrom: [{ secret: { name: 'sec', items: [{ key: 'tpl' }] } }] },
      t,
      ctx({ one: 'x' }, { sources }),
    );
    assert.deepEqual(dataOf(t), { tpl: 'secret-x' });
  });

  it('a missing configMap key is an error naming the configmap and key', () => {
    assert.throws(() => {
      renderTemplate(
        { templateFrom: [{ configMap: { name: 'cm', items: [{ key: 'nope' }] } }] },
        target(),
        ctx({}, { sources }),
      );
    }, /error fetching templateFrom data: error in configmap cm: missing key nope/);
  });

  it('a missing secret key is an error naming the secret and key', () => {
    assert.throws(() => {
      renderTemplate(
        { templateFrom: [{ secret: { name: 'sec', items: [{ key: 'nope' }] } }] },
        target(),
        ctx({}, { sources }),
      );
    }, /error in secret sec: missing key nope/);
  });

  it('template.data overrides templateFrom, later templateFrom entries override earlier ones', () => {
    const t = target();
    renderTemplate(
      { templateFrom: [{ literal: 'a: 1\nb: 1' }, { literal: 'b: 2\nc: 2' }], data: { c: '3' } },
      t,
      ctx({}),
    );
    assert.deepEqual(dataOf(t), { a: '1', b: '2', c: '3' });
  });

  it('provider data is included only for mergePolicy Merge or a template without data/templateFrom', () => {
    assert.equal(includesProviderData({}), true);
    assert.equal(includesProviderData({ metadata: { labels: { a: 'b' } } }), true);
    assert.equal(includesProviderData({ data: { a: 'b' } }), false);
    assert.equal(includesProviderData({ data: { a: 'b' }, mergePolicy: 'Merge' }), true);
  });

  it('lists the templateFrom objects to fetch', () => {
    assert.deepEqual(
      templateSourceNames({
        templateFrom: [
          { configMap: { name: 'cm', items: [] } },
          { secret: { name: 's', items: [] } },
        ],
      }),
      {
        configMaps: ['cm'],
        secrets: ['s'],
      },
    );
  });
});

describe('ValidateSecretTemplate', () => {
  const rejected: { name: string; tpl: SecretTemplate; message: RegExp }[] = [
    {
      name: 'templateFrom target type',
      tpl: { templateFrom: [{ literal: 'a: b', target: 'type' }] },
      message: /templateFrom target="type" is not allowed/,
    },
    {
      name: 'templateFrom target metadata.ownerReferences',
      tpl: { templateFrom: [{ literal: 'a: b', target: 'metadata.ownerReferences' }] },
      message: /must be one of "Data", "Annotations" or "Labels"/,
    },
    {
      name: 'bootstrap token type',
      tpl: { type: 'bootstrap.kubernetes.io/token' },
      message: /template.type="bootstrap.kubernetes.io\/token" is not allowed/,
    },
    {
      name: 'service-account-token with the service-account annotation',
      tpl: {
        type: 'kubernetes.io/service-account-token',
        metadata: { annotations: { 'kubernetes.io/service-account.name': 'x' } },
      },
      message: /with annotation "kubernetes.io\/service-account.name" is not allowed/,
    },
    {
      name: 'service-account-token with a templateFrom target of Annotations',
      tpl: {
        type: 'kubernetes.io/service-account-token',
        templateFrom: [{ literal: 'a: b', target: 'annotations' }],
      },
      message: /with templateFrom target="Annotations" is not allowed/,
    },
  ];
  for (const c of rejected)
    it(`rejects ${c.name}`, () => {
      assert.throws(() => {
        validateSecretTemplate(c.tpl);
      }, c.message);
    });

  it('accepts Data, Annotations and Labels targets in any case', () => {
    validateSecretTemplate({
      templateFrom: [{ target: 'data' }, { target: 'LABELS' }, { target: 'Annotations' }, {}],
    });
  });

  it('rejects an unsupported engine version', () => {
    assert.throws(() => {
      renderTemplate({ engineVersion: 'v1' as 'v2' }, target(), ctx({}));
    }, /unsupported template engine version: v1/);
  });
});

describe('ESO function map', () => {
  it('toYaml and fromYaml come from ESO, not sprig', () => {
    const t = target();
    renderTemplate(
      { data: { y: '{{ .secret | fromJson | toYaml }}', j: '{{ .yaml | fromYaml | toJson }}' } },
      t,
      ctx({ secret: '{"foo": "bar"}', yaml: 'foo: bar' }),
    );
    assert.deepEqual(dataOf(t), { y: 'foo: bar', j: '{"foo":"bar"}' });
  });

  const missing = (...names: string[]): string | false => {
    const absent = names.filter((n) => !funcs.has(n));
    return absent.length > 0 ? `sprig does not provide ${absent.join(', ')} yet` : false;
  };

  it(
    'sha256sum | hexdec | b64enc matches the ESO vector',
    { skip: missing('sha256sum', 'hexdec', 'b64enc') },
    () => {
      const t = target();
      renderTemplate(
        { data: { out: '{{ .example | sha256sum | hexdec | b64enc }}' } },
        t,
        ctx({ example: 'example' }),
      );
      assert.equal(dec(t.data.get('out')), 'UNhY4JhezH9gQYqvDMWrWH9CwlcKiECVqejMrND2VFw=');
    },
  );

  it('env, expandenv and getHostByName are not available', () => {
    for (const fn of ['env', 'expandenv', 'getHostByName']) {
      assert.throws(
        () => {
          renderTemplate({ data: { out: `{{ ${fn} "HOME" }}` } }, target(), ctx({}));
        },
        new RegExp(`function "${fn}" not defined`),
      );
    }
  });

  it('htpasswd sha matches the ESO vector', { skip: missing('htpasswd') }, () => {
    const t = target();
    renderTemplate(
      { data: { out: '{{ htpasswd .username .password "sha" }}' } },
      t,
      ctx({ username: 'foo1', password: "FZ4jR;l]ON;pHKi=_'zh79P" }),
    );
    assert.equal(dec(t.data.get('out')), 'foo1:{SHA}wtdJD6OIjUniEJkTlewnKzfFxA4=');
  });
});
