/**
 * Seeded fuzzing: random template-shaped input and random bytes must only ever produce output or
 * a TemplateError — never another exception, a hang or a stack overflow escaping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, TemplateError, toGoValue } from './index.ts';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = [
  '{{',
  '}}',
  '{{- ',
  ' -}}',
  ' ',
  '.',
  '.a',
  '.b.c',
  '$',
  '$x',
  ':=',
  '=',
  '|',
  '(',
  ')',
  ',',
  '"s"',
  '`r`',
  "'c'",
  '1',
  '-2',
  '0x1F',
  '1e3',
  '1.5',
  '08',
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
  'nil',
  'true',
  'print',
  'printf',
  'index',
  'slice',
  'len',
  'eq',
  'lt',
  'and',
  'or',
  'not',
  'call',
  'html',
  'js',
  'urlquery',
  '/*',
  '*/',
  '\n',
  '"%v"',
  'é',
  '𝄞',
  '\\',
  '"',
  '\t',
  '-',
];

const data = toGoValue({ a: { b: 1 }, b: { c: [1, 'x', null] }, l: [1, 2, 3], s: 'str', n: null });

function check(text: string): void {
  let tpl;
  try {
    tpl = parse(text, { name: 'fuzz' });
  } catch (e) {
    assert.ok(e instanceof TemplateError, `parse(${JSON.stringify(text)}) threw ${String(e)}`);
    return;
  }
  for (const missingKey of ['default', 'error'] as const) {
    try {
      tpl.execute(data, {
        missingKey,
        limits: { maxSteps: 10_000, maxOutput: 100_000, maxTemplateDepth: 50 },
      });
    } catch (e) {
      assert.ok(e instanceof TemplateError, `execute(${JSON.stringify(text)}) threw ${String(e)}`);
    }
  }
}

describe('fuzz', () => {
  it('template-shaped input only ever throws TemplateError', () => {
    const r = rng(20261128);
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(r() * 20);
      let text = '';
      for (let j = 0; j < n; j++) text += pieces[Math.floor(r() * pieces.length)] ?? '';
      check(text);
    }
  });

  it('random bytes only ever throw TemplateError', () => {
    const r = rng(7);
    const decoder = new TextDecoder();
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256));
      check('{{' + decoder.decode(bytes) + '}}');
      check(String.fromCharCode(...Array.from(bytes, (b) => b * 257)));
    }
  });
});
