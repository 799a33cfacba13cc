import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from '../../index.ts';
import type { GoValue } from '../../value.ts';
import { sprigFuncs } from './index.ts';

const funcs = sprigFuncs({ now: () => new Date('2024-03-05T14:07:09Z'), random: () => 0.5 });
const run = (tpl: string, data: GoValue = null): string => render(tpl, data, { funcs });

/** [template, expected output] pairs; cases follow sprig's and its libraries' tests. */
const cases: [string, string][] = [
  ['{{ "foo" | upper }}', 'FOO'],
  ['{{ "FOO" | lower }}', 'foo'],
  ['{{ "hello world" | title }}', 'Hello World'],
  ['{{ "Hello World" | untitle }}', 'hello world'],
  ['{{ "  foo \\n" | trim }}', 'foo'],
  ['{{ "$foo$" | trimAll "$" }}', 'foo'],
  ['{{ trimall "$" "$foo$" }}', 'foo'],
  ['{{ "foo.txt" | trimSuffix ".txt" }}', 'foo'],
  ['{{ "-foo" | trimPrefix "-" }}', 'foo'],
  ['{{ "foobar" | contains "foo" }}', 'true'],
  ['{{ hasPrefix "foo" "foobar" }}{{ hasSuffix "bar" "foobar" }}', 'truetrue'],
  ['{{ repeat 3 "ab" }}', 'ababab'],
  ['{{ "I Am Batman" | replace " " "-" }}', 'I-Am-Batman'],
  ['{{ replace "" "-" "abc" }}', '-a-b-c-'],
  ['{{ substr 0 5 "hello world" }}', 'hello'],
  ['{{ substr -1 3 "hello" }}', 'hel'],
  ['{{ substr 2 -1 "hello" }}', 'llo'],
  ['{{ trunc 5 "hello world" }}{{ trunc -5 "hello world" }}{{ trunc 50 "x" }}', 'helloworldx'],
  ['{{ abbrev 5 "hello world" }}', 'he...'],
  ['{{ abbrev 3 "hello world" }}', 'hello world'],
  ['{{ abbrevboth 5 10 "1234 5678 9123" }}', '...5678...'],
  ['{{ "foo bar" | nospace }}', 'foobar'],
  ['{{ initials "First Try" }}', 'FT'],
  ['{{ swapcase "This Is A.Test" }}', 'tHIS iS a.tEST'],
  ['{{ snakecase "FirstName" }}', 'first_name'],
  ['{{ snakecase "HTTPServer" }}{{ snakecase "NoHTTPS" }}', 'http_serverno_https'],
  [
    '{{ snakecase "HTTP20xOK" }} {{ snakecase "Duration2m3s" }} {{ snakecase "a1b2c3d" }}',
    'http_20x_ok duration_2m3s a_1b2c3d',
  ],
  ['{{ snakecase "  sentence case  " }}', '__sentence_case__'],
  ['{{ kebabcase "FirstName" }} {{ kebabcase "HTTP-20xStatus" }}', 'first-name http-20x-status'],
  [
    '{{ camelcase "http_server" }} {{ camelcase "_complex__case_" }} {{ camelcase "GOLANG_IS_GREAT" }}',
    'HttpServer _Complex_Case_ GolangIsGreat',
  ],
  ['{{ wrap 5 "Hello World" }}', 'Hello\nWorld'],
  ['{{ wrapWith 5 "\\t" "Hello World" }}', 'Hello\tWorld'],
  ['{{ wrapWith 3 "|" "abcdefg" }}', 'abc|def|g'],
  ['{{ quote "a" 1 nil "b\\n" }}', '"a" "1" "b\\n"'],
  ['{{ squote "a" 1 }}', "'a' '1'"],
  ['{{ cat "hello" "beautiful" "world" nil 3 }}', 'hello beautiful world 3'],
  ['{{ indent 2 "a\\nb" }}', '  a\n  b'],
  ['{{ nindent 2 "a" }}', '\n  a'],
  ['{{ plural "one" "many" 1 }} {{ plural "one" "many" 2 }}', 'one many'],
  ['{{ toString 1 }}{{ toString 1.5 }}{{ toString nil }}{{ toString true }}', '11.5<nil>true'],
  ['{{ list 1 "a" nil 2.5 | join "," }}', '1,a,2.5'],
  ['{{ join "," "abc" }}', 'abc'],
  ['{{ toStrings (list 1 2) | typeOf }}', '[]string'],
  ['{{ $s := split "$" "foo$bar$baz" }}{{ $s._0 }}{{ $s._2 }}', 'foobaz'],
  ['{{ splitList "," "a,b,c" }}', '[a b c]'],
  [
    '{{ split "," "a,b" | typeOf }} {{ splitn "," 1 "a,b" | typeOf }}',
    'map[string]string map[string]string',
  ],
  ['{{ $s := splitn "$" 2 "foo$bar$baz" }}{{ $s._1 }}', 'bar$baz'],
  ['{{ "hello" | b64enc }} {{ "aGVsbG8=" | b64dec }}', 'aGVsbG8= hello'],
  ['{{ "aGVsbG8" | b64dec }}', 'illegal base64 data at input byte 4'],
  ['{{ "a!" | b64dec }}', 'illegal base64 data at input byte 1'],
  ['{{ "hello" | b32enc }} {{ "NBSWY3DP" | b32dec }}', 'NBSWY3DP hello'],
  ['{{ "68656c6c6f" | hexdec }}', 'hello'],
  ['{{ "6g" | hexdec }}', "encoding/hex: invalid byte: U+0067 'g'"],
  ['{{ "686" | hexdec }}', 'encoding/hex: odd length hex string'],
  // reference/eso.md §3.3: binary bytes survive hexdec | b64enc.
  ['{{ .example | sha256sum | hexdec | b64enc }}', 'UNhY4JhezH9gQYqvDMWrWH9CwlcKiECVqejMrND2VFw='],
  ['{{ hello }}', 'Hello!'],
  ['{{ shuffle "" }}', ''],
];

describe('sprig strings', () => {
  for (const [tpl, want] of cases) {
    it(`${tpl} renders ${JSON.stringify(want)}`, () => {
      assert.equal(run(tpl, new Map([['example', 'example']])), want);
    });
  }

  it('fail returns its message as an error', () => {
    assert.throws(() => run('{{ fail "boom" }}'), /error calling fail: boom/);
  });

  it('repeat rejects the int64 that add returns, as Go does', () => {
    assert.throws(() => run('{{ repeat (add 1 2) "x" }}'), /expected int; got int64/);
  });

  it('random strings have the requested shape', () => {
    assert.match(run('{{ randAlphaNum 20 }}'), /^[A-Za-z0-9]{20}$/);
    assert.match(run('{{ randAlpha 7 }}'), /^[A-Za-z]{7}$/);
    assert.match(run('{{ randNumeric 9 }}'), /^[0-9]{9}$/);
    assert.match(run('{{ randAscii 12 }}'), /^[ -~]{12}$/);
    assert.equal(run('{{ randAlpha -1 }}'), '');
    assert.equal(run('{{ shuffle "abcd" | len }}'), '4');
  });
});
