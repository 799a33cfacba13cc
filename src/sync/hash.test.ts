import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createdByHash,
  dataHash,
  fieldManagerFor,
  goFormatByteMap,
  sha3_224Hex,
  syncedResourceVersion,
} from './hash.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('ESO hashes (eso.md §2.3, §7.4 vectors)', () => {
  const cases: { name: string; text: string; want: string }[] = [
    {
      name: 'ObjectHash(nil) hashes "<nil>"',
      text: '<nil>',
      want: 'c461202a18e99215f121936fb2452e03843828e448a00a53f285a6fc',
    },
    {
      name: 'ObjectHash("hello there")',
      text: 'hello there',
      want: 'f78681ec611ebaeea0689bff6c7812a83ff98a7faba986d9af76c999',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(sha3_224Hex(c.text), c.want);
    });
  }

  it('data-hash of {foo:value1, bar:value2} matches the ESO vector', () => {
    const data = { foo: bytes('value1'), bar: bytes('value2') };
    assert.equal(
      goFormatByteMap(data),
      'map[bar:[118 97 108 117 101 50] foo:[118 97 108 117 101 49]]',
    );
    assert.equal(dataHash(data), '1bed8bcbcb4547ffe19a19cd47d9078e84aa6598266d86b99f992d64');
  });

  it('data-hash of empty data is the hash of "map[]"', () => {
    assert.equal(dataHash(new Map()), '74a974446e359fb3e6baff9bd0058950e6edd0f040888d9989b0a11b');
    assert.equal(dataHash(undefined), dataHash({}));
  });

  it('data-hash prints empty values as [] and sorts keys bytewise', () => {
    assert.equal(
      goFormatByteMap(
        new Map([
          ['b', new Uint8Array()],
          ['B', bytes('x')],
        ]),
      ),
      'map[B:[120] b:[]]',
    );
  });

  it('created-by label is sha3-224 of namespace/name', () => {
    assert.equal(
      createdByHash('default', 'example'),
      '5b1224068cc3cca5aa3071e518838346f821fe1761229559d4959980',
    );
  });

  it('syncedResourceVersion is generation-hash(annotations, labels) and changes with metadata', () => {
    const a = syncedResourceVersion({ generation: 3 });
    assert.equal(a, `3-${sha3_224Hex('{annotations:map[] labels:map[]}')}`);
    const b = syncedResourceVersion({
      generation: 3,
      annotations: { 'external-secrets.io/force-sync': '1' },
    });
    assert.notEqual(a, b);
  });

  it('field manager switches to the sha3 form past 63 characters', () => {
    assert.equal(fieldManagerFor('short'), 'externalsecrets.external-secrets.io/short');
    const long = 'a'.repeat(28);
    assert.equal(
      fieldManagerFor(long),
      `externalsecrets.external-secrets.io/sha3/${sha3_224Hex(long)}`,
    );
  });
});
