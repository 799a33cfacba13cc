import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertKeys, validateKeys } from './keys.ts';

const v = new Uint8Array([1]);
const one = (key: string): Map<string, Uint8Array> => new Map([[key, v]]);

describe('ConvertKeys (eso.md §7.4 TestConvertKeys)', () => {
  const cases: { name: string; strategy: string | undefined; key: string; want: string }[] = [
    {
      name: 'Default maps symbols to _',
      strategy: 'Default',
      key: 'foo$bar%baz*bing',
      want: 'foo_bar_baz_bing',
    },
    {
      name: 'Default maps a leading slash',
      strategy: 'Default',
      key: '/foo/bar/baz/bing',
      want: '_foo_bar_baz_bing',
    },
    {
      name: 'Default maps a trailing slash',
      strategy: 'Default',
      key: 'foo/bar/baz/bing/',
      want: 'foo_bar_baz_bing_',
    },
    { name: 'empty strategy behaves as Default', strategy: undefined, key: 'a/b', want: 'a_b' },
    {
      name: 'Unicode escapes runes as _U%04x_',
      strategy: 'Unicode',
      key: '😀foo😁bar😂baz😈bing',
      want: '_U1f600_foo_U1f601_bar_U1f602_baz_U1f608_bing',
    },
    {
      name: 'Unicode pads short code points to 4 digits',
      strategy: 'Unicode',
      key: 'a/b',
      want: 'a_U002f_b',
    },
    {
      name: 'letters of any script are kept',
      strategy: 'Default',
      key: 'ключ-1.x_y',
      want: 'ключ-1.x_y',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.deepEqual([...convertKeys(c.strategy, one(c.key)).keys()], [c.want]);
    });

  it('a collision after conversion errors', () => {
    const input = new Map([
      ['foo$bar%baz*bing', v],
      ['foo_bar_baz$bing', v],
    ]);
    assert.throws(
      () => convertKeys('Default', input),
      /^SyncError: secret name collision during conversion: foo_bar_baz_bing$/,
    );
  });
});

describe('ValidateKeys', () => {
  it('drops empty keys silently', () => {
    const m = new Map([
      ['', v],
      ['ok', v],
    ]);
    validateKeys(m);
    assert.deepEqual([...m.keys()], ['ok']);
  });
  it('rejects keys longer than 253 bytes', () => {
    assert.throws(() => {
      validateKeys(one('a'.repeat(254)));
    }, /^SyncError: key has length 254 but max is 253: \(following is truncated\): a{253}$/);
  });
  it('rejects invalid characters naming the rune and key', () => {
    assert.throws(() => {
      validateKeys(one('a/b'));
    }, /key has invalid character \/, only alphanumeric, '-', '.' and '_' are allowed: a\/b/);
  });
});
