/**
 * Differential table: every case was run through Go's text/template (go1.26) with the same data
 * and functions; the expected output or error text is Go's, byte for byte. Data is decoded from
 * JSON as Go's encoding/json does (or as map[string]string when `str` is set, like ESO). Cases
 * with a `note` differ from Go by design (our template depth limit is 1000, Go's 100000).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { FuncMap, GoFunc, GoValue } from './index.ts';
import {
  FuncError,
  GoTyped,
  parse,
  stringMap,
  TemplateError,
  toGoValue,
  withSignature,
} from './index.ts';

interface GoldenCase {
  text: string;
  data?: unknown;
  missing?: 'error' | 'default' | 'zero' | 'invalid';
  str?: boolean;
  l?: string;
  r?: string;
  skip?: string;
  note?: string;
  expect: { out: string; err?: undefined } | { err: string; out?: undefined };
}

const defaultData = {
  str: 'hello',
  int: 17,
  float: 1.5,
  true: true,
  false: false,
  nil: null,
  list: [1, 2, 3],
  strs: ['a', 'b'],
  empty: [],
  emptymap: {},
  map: { one: 1, two: 2, three: '3' },
  nested: { a: { b: 'deep' } },
  html: `<a href='x'>&"</a>`,
  uni: 'héllo wörld ✓ 𝄞',
  zero: 0,
  neg: -5,
  big: 12345678901234567e3,
  esc: 'a\tb\nc',
};

/** The same functions the Go side registered, with their Go signatures. */
const funcs: FuncMap = new Map<string, GoFunc>([
  [
    'fail',
    withSignature({ params: ['string'], result: 'string' }, (s) => {
      throw new FuncError('boom: ' + (s as string));
    }),
  ],
  [
    'upper',
    withSignature({ params: ['string'], result: 'string' }, (s) => (s as string).toUpperCase()),
  ],
  [
    'add',
    withSignature(
      { params: ['int', 'int'], result: 'int' },
      (a, b) => (a as bigint) + (b as bigint),
    ),
  ],
  ['nilf', withSignature({ params: [], result: 'interface {}' }, () => null)],
  [
    'fn',
    withSignature({ params: [], result: 'func(int) int' }, () =>
      withSignature({ params: ['int'], result: 'int' }, (x) => (x as bigint) * 2n),
    ),
  ],
  [
    'concat',
    withSignature({ params: ['string'], variadic: true, result: 'string' }, (...a) =>
      (a as string[]).join(''),
    ),
  ],
  [
    'list',
    withSignature(
      { params: ['interface {}'], variadic: true, result: '[]interface {}' },
      (...a) => a,
    ),
  ],
  [
    'strs',
    withSignature({ params: [], result: '[]string' }, () => new GoTyped('[]string', ['a', 'b'])),
  ],
  ['i64', withSignature({ params: [], result: 'int64' }, () => new GoTyped('int64', 3n))],
  ['u8', withSignature({ params: [], result: 'uint8' }, () => new GoTyped('uint8', 200n))],
  ['bytes', withSignature({ params: [], result: '[]uint8' }, () => new TextEncoder().encode('hi'))],
  [
    'smap',
    withSignature(
      { params: [], result: 'map[string]string' },
      () =>
        new GoTyped(
          'map[string]string',
          new Map([
            ['k', 'v'],
            ['a', 'b'],
          ]),
        ),
    ),
  ],
  ['f32', withSignature({ params: [], result: 'float32' }, () => new GoTyped('float32', 1.5))],
  [
    'dict',
    withSignature(
      { params: ['interface {}'], variadic: true, result: 'map[string]interface {}' },
      (...a) => {
        const m = new Map<string, GoValue>();
        for (let i = 0; i + 1 < a.length; i += 2) m.set(a[i] as string, a[i + 1] ?? null);
        return m;
      },
    ),
  ],
]);

const cases = JSON.parse(
  readFileSync(new URL('./testdata/go-golden.json', import.meta.url), 'utf8'),
) as GoldenCase[];

/** The table holds Go's output as JSON, where each byte that is not UTF-8 became U+FFFD. */
function asRecorded(out: string): string {
  return out.replace(/[\udc80-\udcff]/gu, '\ufffd');
}

function run(c: GoldenCase): { out: string } | { err: string } {
  try {
    const tpl = parse(c.text, { name: 't', funcs, leftDelim: c.l, rightDelim: c.r });
    const raw = 'data' in c ? c.data : defaultData;
    const data = c.str ? stringMap(raw as Record<string, string>) : toGoValue(raw);
    return { out: asRecorded(tpl.execute(data, { missingKey: c.missing ?? 'default' })) };
  } catch (e) {
    if (e instanceof TemplateError) return { err: e.message };
    throw e;
  }
}

describe('text/template matches Go (golden table)', () => {
  for (const c of cases) {
    const opts = c.skip ? { skip: c.skip } : {};
    it(JSON.stringify(c.text).slice(0, 100), opts, () => {
      assert.deepEqual(run(c), c.expect);
    });
  }
});
