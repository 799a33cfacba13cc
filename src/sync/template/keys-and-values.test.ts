import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeysAndValues } from './keys-and-values.ts';

/**
 * Expected outputs were produced by sigs.k8s.io/yaml v1.6.0 `yaml.Unmarshal` into
 * map[string]string (what ESO's KeysAndValues scope does), on Go 1.26.
 */
const GO_ORACLE: { input: string; want: Record<string, string> | RegExp }[] = [
  {
    input: 'i: 0x1F\nf: 3.14159265358979\nb: yes\nz: ~\ns: "quoted"\nk: 1_000',
    want: { b: 'true', f: '3.1415927', i: '31', k: '1000', s: 'quoted', z: '' },
  },
  { input: 'n: 1.5\ny: on', want: { false: '1.5', true: 'true' } },
  {
    input: 'o: 017\nbin: 0b101\nsmall: 1e-7\nbig: 12345678901\nflt: 1.0\ninf: .inf\nneg: -.5',
    want: {
      big: '12345678901',
      bin: '5',
      flt: '1',
      inf: '+Inf',
      neg: '-0.5',
      o: '15',
      small: '1e-07',
    },
  },
  {
    input: 'd: 2001-12-14\nt: 2001-12-14t21:59:43.10-05:00',
    want: { d: '2001-12-14', t: '2001-12-14t21:59:43.10-05:00' },
  },
  { input: 'a:\n  b: c', want: /json: cannot unmarshal object into Go value of type string$/ },
  {
    input: '- a\n- b',
    want: /json: cannot unmarshal array into Go value of type map\[string\]string$/,
  },
  {
    input: 'just a string',
    want: /json: cannot unmarshal string into Go value of type map\[string\]string$/,
  },
  { input: '42', want: /json: cannot unmarshal number into Go value of type map\[string\]string$/ },
  { input: '', want: {} },
  { input: '~: nul', want: /unsupported map key of type: %!s\(<nil>\), key: <nil>$/ },
  { input: 'a: b\na: c', want: { a: 'c' } },
  { input: "e: ''\nq: 'it''s'", want: { e: '', q: "it's" } },
  { input: 'sexa: 1:20\noct2: 0o17', want: { oct2: '15', sexa: '1:20' } },
  { input: 'a: &x v\nb: *x', want: { a: 'v', b: 'v' } },
  { input: 'multi: |\n  line1\n  line2\n', want: { multi: 'line1\nline2\n' } },
  {
    input:
      'a: +1\nb: -0\nc: 0x\nd: 1e3\ne: 1.5e+3\nf: 12345678901234567890\ng: -9223372036854775809\nh: .5\ni: +.5\nj: 1_0.5\nk: 0b102\nl: 08\nm: 09.5\n' +
      "n: 'yes'\no: tRue\np: 1e400\nq: -.inf\nr: .NaN\ns: 18446744073709551615\nt: +18446744073709551615\nu: 0x_1F\nv: 1__2\nw: 0.1\nx: 100000000\ny: 1.0e10\nz: -0.0",
    want: {
      a: '1',
      b: '0',
      c: '0x',
      d: '1000',
      e: '1500',
      f: '12345678901234567890',
      false: 'yes',
      g: '-9.223372e+18',
      h: '0.5',
      i: '0.5',
      j: '10.5',
      k: '0b102',
      l: '8',
      m: '9.5',
      o: 'tRue',
      p: '1e400',
      q: '-Inf',
      r: 'NaN',
      s: '18446744073709551615',
      t: '1.8446744e+19',
      true: '1e+10',
      u: '31',
      v: '12',
      w: '0.1',
      x: '100000000',
      z: '-0',
    },
  },
  {
    input: '1: a\n2.5: b\nyes: c\n0x10: d\n-1: e',
    want: { '-1': 'e', 1: 'a', 16: 'd', 2.5: 'b', true: 'c' },
  },
  { input: 'k: "a\\tb"\nl: >\n  folded\n  text\n', want: { k: 'a\tb', l: 'folded text\n' } },
  { input: '? complex\n: v', want: { complex: 'v' } },
];

describe('KeysAndValues YAML matches sigs.k8s.io/yaml into map[string]string', () => {
  GO_ORACLE.forEach((c, i) => {
    it(`oracle case ${i}: ${JSON.stringify(c.input.slice(0, 40))}`, () => {
      if (c.want instanceof RegExp) {
        assert.throws(() => parseKeysAndValues(c.input), c.want);
        return;
      }
      assert.deepEqual(Object.fromEntries(parseKeysAndValues(c.input)), c.want);
    });
  });

  it('a YAML syntax error names the line and never quotes the text', () => {
    assert.throws(
      () => parseKeysAndValues('ok: 1\nsecret-value-xyz: [unclosed'),
      (e: Error) =>
        /^error converting YAML to JSON: yaml: line \d+: /.test(e.message) &&
        !e.message.includes('secret-value-xyz'),
    );
  });
});
