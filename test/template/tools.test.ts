import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCorpus } from './corpus.ts';
import { generateCases } from './generate.ts';
import type { TemplateCase } from './oracle.ts';
import { segments, shrinkCase, tokens } from './shrink.ts';

test('the generator is reproducible and case n does not depend on the count', () => {
  const a = generateCases(42, 50);
  assert.deepEqual(a, generateCases(42, 50));
  assert.deepEqual(generateCases(42, 10), a.slice(0, 10));
  assert.notDeepEqual(generateCases(43, 10), a.slice(0, 10));
});

test('segments split text and actions, keeping delimiters inside strings', () => {
  assert.deepEqual(segments('a{{ "}}" }}b{{.x}}'), ['a', '{{ "}}" }}', 'b', '{{.x}}']);
  assert.deepEqual(segments('[[.x]]y', '[[', ']]'), ['[[.x]]', 'y']);
});

test('tokens keep parenthesised groups and quoted strings whole', () => {
  assert.deepEqual(tokens(' printf "%s %d" (add 1 2) .x '), [
    'printf',
    '"%s %d"',
    '(add 1 2)',
    '.x',
  ]);
});

test('shrinking drops blocks and actions that do not matter', async () => {
  const c = {
    id: 't',
    template: 'x{{if true}}{{.a}}{{end}}{{upper "BUG"}}y',
    data: { a: 1, b: 2 },
  };
  const still = (x: TemplateCase): Promise<boolean> => Promise.resolve(x.template.includes('BUG'));
  const small = await shrinkCase(c, still);
  assert.equal(small.template, '{{"BUG"}}');
  assert.deepEqual(small.data, {});
});

test('the corpus has at least 1,000 cases with unique ids', () => {
  const cases = loadCorpus();
  assert.ok(cases.length >= 1000, `${cases.length} cases`);
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
});
