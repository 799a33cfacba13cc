import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render, toGoValue } from './index.ts';
import type { FuncMap, GoValue } from './value.ts';

// text/template's builtin slice (ESO's sprig map replaces it with sprig's, which the
// differential suite checks); Go semantics: s[lo:hi] may reach up to cap(s).
describe('slice keeps Go capacity', () => {
  const funcs: FuncMap = new Map([['list', (...xs: GoValue[]) => xs]]);
  const cases: [name: string, template: string, want: string][] = [
    [
      'reads past the length into the backing array',
      '{{ slice (slice (list 7 3 5) 0 1) 0 3 }}',
      '[7 3 5]',
    ],
    ['capacity starts at the low index', '{{ slice (slice (list 7 3 5) 1 2) 0 2 }}', '[3 5]'],
    ['a 3-index slice limits the capacity', '{{ slice (slice (list 7 3 5) 0 1 2) 0 2 }}', '[7 3]'],
  ];
  for (const [name, template, want] of cases) {
    it(name, () => {
      assert.equal(render(template, null, { funcs }), want);
    });
  }

  it('beyond the capacity is an error', () => {
    assert.throws(
      () => render('{{ slice (slice (list 7 3 5) 0 1 2) 0 3 }}', null, { funcs }),
      /error calling slice: index out of range: 3/,
    );
  });

  it('a JSON-decoded array has the spare capacity of Go append growth', () => {
    const data = new Map<string, GoValue>([['l', toGoValue([7, 3, 5])]]);
    assert.equal(render('{{ slice .l 0 4 }}', data, { funcs }), '[7 3 5 <nil>]');
    assert.throws(() => render('{{ slice .l 0 5 }}', data, { funcs }), /index out of range: 5/);
  });
});
