import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileGoRegexp,
  goFindAll,
  goFindString,
  goMatch,
  goReplaceAll,
  goSplit,
  GoRegexpError,
  quoteMeta,
} from './goregexp.ts';

describe('compileGoRegexp', () => {
  const matches: [string, string, boolean][] = [
    ['(?i)abc', 'xABCx', true],
    ['(?i:a)b', 'Ab', true],
    ['(?i:a)b', 'AB', false],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['a.b', 'a\rb', true], // Go's . excludes only \n
    ['(?m)^b$', 'a\nb\nc', true],
    ['^b$', 'a\nb\nc', false],
    ['\\Aab\\z', 'ab', true],
    ['\\Aab\\z', 'ab\n', false],
    ['[[:alpha:]]+[[:digit:]]', 'abc1', true],
    ['[[:^digit:]]', '123', false],
    ['\\pL\\p{Greek}', 'aλ', true],
    ['\\s', '\v', false], // Go's \s has no \v
    ['\\x{41}\\x42\\101', 'ABA', true],
    ['\\Q.*\\E', '.*', true],
    ['a{2,3}', 'aa', true],
    ['a{,3}', 'a{,3}', true], // not a repeat in Go: literal
    ['\\#\\:', '#:', true],
    ['(?P<year>\\d{4})-(?<mon>\\d\\d)', '2024-05', true],
    ['(?i)a(?-i)b', 'Ab', true],
    ['(?i)a(?-i)b', 'AB', false],
    ['(?i:[a-c]x)', 'BX', true],
  ];
  for (const [re, s, want] of matches) {
    it(`${re} ${want ? 'matches' : 'does not match'} ${JSON.stringify(s)}`, () => {
      assert.equal(goMatch(compileGoRegexp(re), s), want);
    });
  }

  const errors: [string, string][] = [
    ['(abc', 'missing closing ): `(abc`'],
    ['abc)', 'unexpected ): `abc)`'],
    ['[a-z', 'missing closing ]: `[a-z`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['a(?=b)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['a(?!b)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['*a', 'missing argument to repetition operator: `*`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['a\\', 'trailing backslash at end of expression: ``'],
    ['\\e', 'invalid escape sequence: `\\e`'],
    ['(?P<a-b>x)', 'invalid named capture: `(?P<a-b>`'],
  ];
  for (const [re, msg] of errors) {
    it(`rejects ${re} with Go's message`, () => {
      assert.throws(
        () => compileGoRegexp(re),
        (e: unknown) => e instanceof GoRegexpError && e.message === `error parsing regexp: ${msg}`,
      );
    });
  }
});

describe('Go match iteration', () => {
  it('skips an empty match right after a match (FindAll and ReplaceAll)', () => {
    assert.deepEqual(goFindAll(compileGoRegexp('a*'), 'baaac'), ['', 'aaa', '']);
    assert.equal(goReplaceAll(compileGoRegexp('a*'), 'baaac', '-', false), '-b-c-');
    assert.equal(goReplaceAll(compileGoRegexp('x*'), 'abc', '-', false), '-a-b-c-');
  });

  it('expands $1, ${1}, $name and treats $1x as a group named "1x"', () => {
    const re = compileGoRegexp('a(x*)b');
    assert.equal(goReplaceAll(re, '-ab-axxb-', '${1}W', false), '-W-xxW-');
    assert.equal(goReplaceAll(re, '-ab-axxb-', '$1W', false), '---');
    assert.equal(goReplaceAll(re, '-ab-axxb-', '$$1', false), '-$1-$1-');
    assert.equal(goReplaceAll(re, '-ab-axxb-', '$1', true), '-$1-$1-');
    const named = compileGoRegexp('(?P<first>\\w+) (?P<last>\\w+)');
    assert.equal(goReplaceAll(named, 'John Smith', '$last, ${first}', false), 'Smith, John');
  });

  it('limits FindAll and Split by n like Go', () => {
    assert.deepEqual(goFindAll(compileGoRegexp('a.'), 'paranormal', 2), ['ar', 'an']);
    assert.deepEqual(goSplit(compileGoRegexp('a'), 'banana', -1), ['b', 'n', 'n', '']);
    assert.deepEqual(goSplit(compileGoRegexp('a'), 'banana', 2), ['b', 'nana']);
    assert.deepEqual(goSplit(compileGoRegexp('z+'), 'pizza', -1), ['pi', 'a']);
    assert.deepEqual(goSplit(compileGoRegexp(''), 'abc', -1), ['a', 'b', 'c']);
    assert.deepEqual(goSplit(compileGoRegexp('a'), '', -1), ['']);
    assert.deepEqual(goSplit(compileGoRegexp('a'), 'banana', 0), []);
  });

  it('finds the leftmost match and quotes metacharacters', () => {
    assert.equal(goFindString(compileGoRegexp('[0-9]+'), 'ab123cd45'), '123');
    assert.equal(quoteMeta('1.5-2.0?'), '1\\.5-2\\.0\\?');
  });
});

describe('more Go regexp errors', () => {
  const errors: [string, string][] = [
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['\\pX', 'invalid character class range: `\\pX`'],
    ['(?<=a)', 'invalid named capture: `(?<=a)`'],
    ['x{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
  ];
  for (const [re, msg] of errors) {
    it(`rejects ${re} with Go's message`, () => {
      assert.throws(() => compileGoRegexp(re), { message: `error parsing regexp: ${msg}` });
    });
  }
});
