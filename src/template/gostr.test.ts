import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalGoString,
  compareGoStrings,
  goQuote,
  goStringBytes,
  goStringFromBytes,
  utf8Length,
  withRuneErrors,
} from './gostr.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('Go strings that are not UTF-8', () => {
  const samples: [name: string, bytesHex: string][] = [
    ['ASCII', '616263'],
    ['valid multibyte', 'e29883c3a9f09f9880'],
    ['a lone continuation byte', '61806263'],
    ['a truncated sequence', 'e298'],
    ['an encoded surrogate (invalid in Go)', 'eda080'],
    ['an overlong encoding', 'c0af'],
    ['bytes above U+10FFFF', 'f4908080'],
    ['all high bytes', 'ff80fe'],
    ['an encoded U+FFFD stays a character', 'efbfbdff'],
  ];
  for (const [name, h] of samples) {
    it(`round-trips ${name}`, () => {
      const bytes = Uint8Array.from(Buffer.from(h, 'hex'));
      const s = goStringFromBytes(bytes);
      assert.equal(hex(goStringBytes(s)), h);
      assert.equal(utf8Length(s), bytes.length);
    });
  }

  it('escapes each invalid byte as one lone surrogate', () => {
    assert.equal(goStringFromBytes(Uint8Array.of(0x61, 0xff, 0xe2, 0x98)), 'a\udcff\udce2\udc98');
  });

  it('strconv.Quote writes invalid bytes as \\x escapes', () => {
    assert.equal(goQuote(goStringFromBytes(Uint8Array.of(0x61, 0xe2, 0x98))), '"a\\xe2\\x98"');
  });

  it('concatenated halves of a character become the character again', () => {
    const half = (b: number[]): string => goStringFromBytes(Uint8Array.from(b));
    const joined = half([0xe2]) + half([0x98, 0x83]);
    assert.notEqual(joined, '☃');
    assert.equal(canonicalGoString(joined), '☃');
    assert.equal(compareGoStrings(joined, '☃'), 0);
  });

  it('rune-wise views see U+FFFD per invalid byte', () => {
    assert.equal(
      withRuneErrors(goStringFromBytes(Uint8Array.of(0x61, 0xe2, 0x98))),
      'a\ufffd\ufffd',
    );
  });

  it('other lone surrogates encode as U+FFFD', () => {
    assert.equal(hex(goStringBytes('a\ud800')), '61efbfbd');
  });
});
