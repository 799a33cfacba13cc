import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item } from './lexer.ts';
import { itemString, Lexer, T } from './lexer.ts';

function lex(text: string, left = '{{', right = '}}'): string[] {
  const l = new Lexer(text, left, right);
  const out: string[] = [];
  for (;;) {
    const i: Item = l.nextItem();
    out.push(i.typ === T.EOF || i.typ === T.Error ? itemString(i) : `${i.val}@${i.line}`);
    if (i.typ === T.EOF || i.typ === T.Error) return out;
  }
}

describe('lexer', () => {
  it('splits text and actions and counts lines', () => {
    assert.deepEqual(lex('a\n{{ .x }}\nb'), [
      'a\n@1',
      '{{@2',
      ' @2',
      '.x@2',
      ' @2',
      '}}@2',
      '\nb@2',
      'EOF',
    ]);
  });

  it('trim markers eat surrounding spaces', () => {
    assert.deepEqual(lex('a \n{{- 3 -}}\n b'), ['a@1', '{{@2', '3@2', '}}@2', 'b@3', 'EOF']);
  });

  it('a minus without a following space is a number sign', () => {
    assert.deepEqual(lex('{{-3}}'), ['{{@1', '-3@1', '}}@1', 'EOF']);
  });

  it('custom delimiters', () => {
    assert.deepEqual(lex('[[.a]]{{', '[[', ']]'), ['[[@1', '.a@1', ']]@1', '{{@1', 'EOF']);
  });

  it('reports Go lexer errors', () => {
    assert.deepEqual(lex('{{ "abc }}'), ['{{@1', ' @1', 'unterminated quoted string']);
    assert.deepEqual(lex('{{ \u0001 }}'), [
      '{{@1',
      ' @1',
      'unrecognized character in action: U+0001',
    ]);
    assert.deepEqual(lex('{{ 3k }}'), ['{{@1', ' @1', 'bad number syntax: "3k"']);
  });
});
