import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from '../provider.ts';
import {
  dataAsJson,
  dataProperty,
  goStringOfBytes,
  metadataAsJson,
  metadataProperty,
  propertyMap,
  type SecretView,
} from './values.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : new TextDecoder().decode(b);

const secret: SecretView = {
  name: 'db',
  labels: { team: 'payments' },
  annotations: { owner: '{"name":"ops","tags":["a","b"]}' },
  data: new Map([
    ['cfg', enc('{"host":"db","port":5432,"tls":{"on":true}}')],
    ['file.png', enc('png')],
    ['plain', enc('x')],
  ]),
};

describe('kubernetes values: Go string conversion of bytes', () => {
  const cases: [string, number[], string][] = [
    ['valid UTF-8 is kept', [0x68, 0xc3, 0xa9], 'hé'],
    ['a stray byte is one U+FFFD', [0x61, 0xff], 'a\ufffd'],
    ['a truncated sequence is one U+FFFD per byte', [0xe2, 0x82], '\ufffd\ufffd'],
    ['an encoded surrogate is three U+FFFD', [0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'],
    ['an overlong form is rejected per byte', [0xc0, 0xaf], '\ufffd\ufffd'],
    ['a four-byte rune is kept', [0xf0, 0x9f, 0x98, 0x80], '😀'],
  ];
  for (const [name, bytes, want] of cases)
    it(name, () => {
      assert.equal(goStringOfBytes(new Uint8Array(bytes)), want);
    });
});

describe('kubernetes values: GetSecret shapes', () => {
  it('the whole data map is Go JSON: sorted keys, HTML kept, quotes escaped', () => {
    const data = new Map([
      ['b', enc('<&>')],
      ['a', enc('"q"')],
    ]);
    assert.equal(text(dataAsJson(data)), '{"a":"\\"q\\"","b":"<&>"}');
  });

  it('metadata without a property: annotations then labels, absent maps are null', () => {
    assert.equal(
      text(metadataAsJson({ name: 'x', data: new Map() })),
      '{"annotations":null,"labels":null}',
    );
  });

  const dataCases: [string, string | undefined][] = [
    ['plain', 'x'],
    ['file.png', 'png'],
    ['cfg.port', '5432'],
    ['cfg.tls', '{"on":true}'],
    ['cfg.tls.on', 'true'],
    ['cfg.missing', undefined],
    ['cfg.', undefined],
    ['.cfg', undefined],
    ['nope', undefined],
  ];
  for (const [property, want] of dataCases)
    it(`data property ${property}`, () => {
      assert.equal(text(dataProperty(secret, property)), want);
    });

  const metaCases: [string, string | undefined][] = [
    ['labels', '{"team":"payments"}'],
    ['labels.team', 'payments'],
    ['labels.none', undefined],
    ['annotations.owner.name', 'ops'],
    // ESO joins the parts after the key with no separator: tags.1 reads "tags1".
    ['annotations.owner.tags.1', undefined],
    ['spec', undefined],
  ];
  for (const [property, want] of metaCases)
    it(`metadata property ${property}`, () => {
      assert.equal(text(metadataProperty(secret, property)), want);
    });
});

describe('kubernetes values: extract with a property', () => {
  it('members come back as Go JSON: strings stay quoted, numbers as float64', () => {
    const m = propertyMap('db', 'cfg', secret.data);
    assert.deepEqual(Object.fromEntries([...m].map(([k, v]) => [k, text(v)])), {
      host: '"db"',
      port: '5432',
      tls: '{"on":true}',
    });
  });

  it('a key with a dot is found by escaping the dot first', () => {
    const data = new Map([['a.json', enc('{"k":"v"}')]]);
    assert.equal(text(propertyMap('s', 'a.json', data).get('k')), '"v"');
  });

  it('a value that is not a JSON object fails without quoting it', () => {
    const data = new Map([['p', enc('canary-secret-value')]]);
    assert.throws(
      () => propertyMap('s', 'p', data),
      (e: Error) =>
        e instanceof ProviderError &&
        e.message === 'failed to unmarshal secret: invalid JSON format',
    );
  });

  it('a missing property names it and the key', () => {
    assert.throws(
      () => propertyMap('db', 'nope', secret.data),
      /property nope does not exist in key db/,
    );
  });

  it('JSON null is an empty map, as Go unmarshals it', () => {
    assert.equal(propertyMap('s', 'p', new Map([['p', enc('null')]])).size, 0);
  });
});
