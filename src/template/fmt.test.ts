import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GoTyped, type GoValue } from './value.ts';
import {
  compareGoStrings,
  formatFloat,
  formatValue,
  quote,
  quoteRune,
  sprint,
  sprintf,
  sprintln,
  typeName,
} from './fmt.ts';

// Expected values are Go's output (Go 1.26); testdata/go-cases.json holds ~4000 more.
const map = new Map<string, GoValue>([
  ['b', 2n],
  ['a', 'x'],
  ['c', null],
]);

const binStr = new GoTyped('string', new Uint8Array([0x68, 0xff, 0x69]));

const certificate = new GoTyped(
  'sprig.certificate',
  new Map<string, GoValue>([
    ['Cert', 'C'],
    ['Key', 'K'],
  ]),
);

const printfCases: [name: string, format: string, args: GoValue[], want: string][] = [
  [
    'ints in every base',
    '%d %x %X %o %O %b',
    [255n, 255n, 255n, 8n, 8n, 5n],
    '255 ff FF 10 0o10 101',
  ],
  ['width, left-justify and zero padding', '%5d|%-5d|%05d', [42n, 42n, -42n], '   42|42   |-0042'],
  ['precision and zero flag together pad with spaces', '%08.3d', [7n], '     007'],
  [
    'floats default to shortest %g',
    '%v %v %v %v',
    [1.5, 1e6, 100000, 1e-5],
    '1.5 1e+06 100000 1e-05',
  ],
  ['fixed precision rounds half to even', '%.0f %.0f %.2f', [0.5, 2.5, 0.125], '0 2 0.12'],
  ['NaN and infinities', '%v %v %5.1f|', [NaN, -Infinity, Infinity], 'NaN -Inf  +Inf|'],
  ['%#g keeps trailing zeros', '%#g %#.3g', [1.0, 2.0], '1.00000 2.00'],
  ['strings count runes for width and precision', '%5s|%.2s', ['é', 'héllo'], '    é|hé'],
  ['%x of a string encodes its UTF-8 bytes', '%x % X', ['é', 'hi'], 'c3a9 68 69'],
  ['%q uses Go escapes', '%q', ['a\tb"\u00a0😀\u0000'], '"a\\tb\\"\\u00a0😀\\x00"'],
  ['%#q prefers a raw string', '%#q %#q', ['abc', 'a`b'], '`abc` "a`b"'],
  ['%+q escapes to ASCII', '%+q', ['日本'], '"\\u65e5\\u672c"'],
  ['runes', '%c %q %U %#U', [65n, 0x1f600n, 0x1f600n, 0x41n], "A '😀' U+1F600 U+0041 'A'"],
  ['maps sort their keys', '%v', [map], 'map[a:x b:2 c:<nil>]'],
  ['%#v of a map', '%#v', [map], 'map[string]interface {}{"a":"x", "b":2, "c":interface {}(nil)}'],
  [
    'slices',
    '%v %#v',
    [
      [1n, 'a'],
      [1n, 'a'],
    ],
    '[1 a] []interface {}{1, "a"}',
  ],
  [
    '[]byte',
    '%v %s %x %#v',
    [bytes('hi'), bytes('hi'), bytes('hi'), bytes('hi')],
    '[104 105] hi 6869 []byte{0x68, 0x69}',
  ],
  [
    '%T of the model types',
    '%T %T %T %T %T %T %T %T',
    [1n, 1.5, 's', true, null, [], map, bytes('')],
    'int float64 string bool <nil> []interface {} map[string]interface {} []uint8',
  ],
  [
    'typed values',
    '%T %#v %v',
    [new GoTyped('int64', 5n), new GoTyped('uint8', 5n), new GoTyped('float32', Math.fround(0.1))],
    'int64 0x5 0.1',
  ],
  ['wrong verb', '%d %s', ['hi', 1n], '%!d(string=hi) %!s(int=1)'],
  ['missing operand', '%d %d', [1n], '1 %!d(MISSING)'],
  ['extra operands', '%d', [1n, 'x', null], '1%!(EXTRA string=x, <nil>)'],
  ['no verb', 'abc%', [], 'abc%!(NOVERB)'],
  ['argument indexes', '%[2]d %[1]d %d', [1n, 2n], '2 1 2'],
  ['bad index', '%[3]d', [1n], '%!d(BADINDEX)'],
  ['* width and precision', '%*d|%-*d|%.*f', [5n, 1n, 5n, 1n, 2n, 3.14159], '    1|1    |3.14'],
  ['bad width operand', '%*d', ['x', 1n], '%!(BADWIDTH)1'],
  ['percent', '%d%%', [5n], '5%'],
  [
    'a named type holding a Map prints as a struct',
    '%v %+v %#v',
    [certificate, certificate, certificate],
    '{C K} {Cert:C Key:K} sprig.certificate{Cert:"C", Key:"K"}',
  ],
  [
    'a non-UTF-8 Go string (GoTyped string of bytes) quotes and hex-encodes its exact bytes',
    '%q %x %T',
    [binStr, binStr, binStr],
    '"h\\xffi" 68ff69 string',
  ],
];

void describe('sprintf', () => {
  for (const [name, format, args, want] of printfCases) {
    void test(name, () => {
      assert.equal(sprintf(format, args), want);
    });
  }
});

void test('sprint adds spaces only between two non-strings', () => {
  assert.equal(sprint(['a', 1n, 2n, 'b', 'c', 1.5, null]), 'a1 2bc1.5 <nil>');
});

void test('sprintln always adds spaces and a newline', () => {
  assert.equal(sprintln(['a', 1n, 'b']), 'a 1 b\n');
});

void test('formatValue is %v', () => {
  assert.equal(formatValue(1e21), '1e+21');
  assert.equal(formatValue(null), '<nil>');
  assert.equal(formatValue(new Map()), 'map[]');
});

void test('typeName is %T', () => {
  assert.equal(typeName(new GoTyped('[]string', ['a'])), '[]string');
  assert.equal(typeName(new GoTyped('map[string]string', null)), 'map[string]string');
});

void test('strconv helpers', () => {
  assert.equal(quote('\u2028x'), '"\\u2028x"');
  assert.equal(quoteRune(0xd800), "'�'");
  assert.equal(formatFloat(0.1, 'e', -1, 32), '1e-01');
  assert.equal(formatFloat(1 / 3, 'f', 20), '0.33333333333333331483');
});

void test('map keys sort by UTF-8 bytes, not UTF-16 units', () => {
  assert.ok(compareGoStrings('\uffff', '😀') < 0);
  assert.equal(
    sprintf('%v', [
      new Map<string, GoValue>([
        ['😀', 1n],
        ['\uffff', 2n],
      ]),
    ]),
    'map[\uffff:2 😀:1]',
  );
});

function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

void describe('complex numbers', () => {
  const c = (re: number, im: number, type = 'complex128'): GoValue => new GoTyped(type, [re, im]);
  const cases: [name: string, got: () => string, want: string][] = [
    ['print shows (re+imi)', () => sprint([c(0, 1)]), '(0+1i)'],
    ['a negative imaginary part keeps its sign', () => sprintf('%g', [c(7, -3)]), '(7-3i)'],
    ['zero is (0+0i)', () => sprintf('%v', [c(0, 0)]), '(0+0i)'],
    ['float verbs apply to both parts', () => sprintf('%.2f', [c(1.5, 2.25)]), '(1.50+2.25i)'],
    ['%+v signs the real part too', () => sprintf('%+.1e', [c(1, 2)]), '(+1.0e+00+2.0e+00i)'],
    ['%T names the type', () => sprintf('%T', [c(1, 2, 'complex64')]), 'complex64'],
    ['an integer verb is a bad verb', () => sprintf('%d', [c(1, 2)]), '%!d(complex128=(1+2i))'],
  ];
  for (const [name, got, want] of cases)
    test(name, () => {
      assert.equal(got(), want);
    });
});

void describe('%w outside Errorf', () => {
  const cases: [name: string, args: GoValue[], want: string][] = [
    ['a slice is one bad verb', [[1, 'a', null]], '%!w([]interface {}=[1 a <nil>])'],
    ['a typed slice names its type', [new GoTyped('[]int', [1n, 2n])], '%!w([]int=[1 2])'],
    [
      'a map is one bad verb',
      [new GoTyped('map[string]string', new Map([['k', 'v']]))],
      '%!w(map[string]string=map[k:v])',
    ],
    ['a string is a bad verb', ['x'], '%!w(string=x)'],
    ['a float is a bad verb', [1.5], '%!w(float64=1.5)'],
    ['bytes are formatted per element', [new Uint8Array([1, 2])], '[%!w(uint8=1) %!w(uint8=2)]'],
  ];
  for (const [name, args, want] of cases)
    test(name, () => {
      assert.equal(sprintf('%w', args), want);
    });
});
