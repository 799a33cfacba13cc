import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMap, decodeValue } from './decoding.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('decodingStrategy (eso.md §2.2, runtime/decoding tests)', () => {
  const ok: { name: string; strategy: string | undefined; input: string; want: string }[] = [
    {
      name: 'Base64 decodes padded standard base64',
      strategy: 'Base64',
      input: 'Zm9vYmFy',
      want: 'foobar',
    },
    {
      name: 'Base64 ignores newlines like Go',
      strategy: 'Base64',
      input: 'Zm9v\r\nYmFy',
      want: 'foobar',
    },
    {
      name: 'Base64URL decodes padded URL base64',
      strategy: 'Base64URL',
      input: 'Pz8_',
      want: '???',
    },
    { name: 'None passes through', strategy: 'None', input: 'Zm9vYmFy', want: 'Zm9vYmFy' },
    {
      name: 'empty strategy behaves as None',
      strategy: undefined,
      input: 'Zm9vYmFy',
      want: 'Zm9vYmFy',
    },
    {
      name: 'Auto decodes base64',
      strategy: 'Auto',
      input: 'Z3JlYXQtbmFtZQ==',
      want: 'great-name',
    },
    { name: 'Auto decodes base64url', strategy: 'Auto', input: 'Pz8_', want: '???' },
    {
      name: 'Auto keeps non-base64 text raw',
      strategy: 'Auto',
      input: 'happy calm street No. 1',
      want: 'happy calm street No. 1',
    },
    {
      name: 'Auto decodes any valid base64 text such as "test"',
      strategy: 'Auto',
      input: 'test',
      want: '\xb5\xeb\x2d',
    },
  ];
  for (const c of ok) {
    it(c.name, () => {
      const got = decodeValue(c.strategy, enc(c.input));
      if (c.name.includes('"test"')) assert.deepEqual([...got], [0xb5, 0xeb, 0x2d]);
      else assert.equal(dec(got), c.want);
    });
  }

  const bad: { name: string; strategy: string; input: string; message: RegExp }[] = [
    {
      name: 'Base64 rejects invalid characters',
      strategy: 'Base64',
      input: 'Zm9v!mFy',
      message: /: illegal base64 data at input byte 4$/,
    },
    {
      name: 'Base64 requires padding',
      strategy: 'Base64',
      input: 'Zm9vYg',
      message: /illegal base64 data/,
    },
    {
      name: 'Base64 rejects URL alphabet',
      strategy: 'Base64',
      input: 'Pz8_',
      message: /illegal base64 data at input byte 3/,
    },
    {
      name: 'Base64URL rejects standard alphabet',
      strategy: 'Base64URL',
      input: 'Pz8/',
      message: /illegal base64 data at input byte 3/,
    },
    {
      name: 'unsupported strategy errors',
      strategy: 'Rot13',
      input: 'x',
      message: /: decoding strategy Rot13 is not supported$/,
    },
  ];
  for (const c of bad)
    it(c.name, () => {
      assert.throws(() => decodeValue(c.strategy, enc(c.input)), c.message);
    });

  it('decodeMap names the failing key but not its value', () => {
    assert.throws(
      () => decodeMap('Base64', new Map([['k', enc('s3cr3t-value!')]])),
      (e: Error) =>
        e.message.startsWith('failure decoding key k: illegal base64') &&
        !e.message.includes('s3cr3t'),
    );
  });
});
