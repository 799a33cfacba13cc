import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gjsonGet, gjsonString } from './gjson.ts';

// The document of gjson's SYNTAX.md.
const DOC = `{
  "name": {"first": "Tom", "last": "Anderson"},
  "age":37,
  "children": ["Sara","Alex","Jack"],
  "fav.movie": "Deer Hunter",
  "friends": [
    {"first": "Dale", "last": "Murphy", "age": 44, "nets": ["ig", "fb", "tw"]},
    {"first": "Roger", "last": "Craig", "age": 68, "nets": ["fb", "tw"]},
    {"first": "Jane", "last": "Murphy", "age": 47, "nets": ["ig", "tw"]}
  ]
}`;

const CASES: [string, string][] = [
  ['name.last', 'Anderson'],
  ['age', '37'],
  ['children', '["Sara","Alex","Jack"]'],
  ['children.#', '3'],
  ['children.1', 'Alex'],
  ['child*.2', 'Jack'],
  ['c?ildren.0', 'Sara'],
  ['fav\\.movie', 'Deer Hunter'],
  ['friends.#.first', '["Dale","Roger","Jane"]'],
  ['friends.1.last', 'Craig'],
  ['friends.#(last=="Murphy").first', 'Dale'],
  ['friends.#(last=="Murphy")#.first', '["Dale","Jane"]'],
  ['friends.#(age>45)#.last', '["Craig","Murphy"]'],
  ['friends.#(first%"D*").last', 'Murphy'],
  ['friends.#(first!%"D*").last', 'Craig'],
  ['friends.#(nets.#(=="fb"))#.first', '["Dale","Roger"]'],
  ['children.#(!%"*a*")', 'Alex'],
  ['children.#(%"*a*")#', '["Sara","Jack"]'],
  ['children|@reverse', '["Jack","Alex","Sara"]'],
  ['children|@reverse|0', 'Jack'],
  ['friends.#(last=="Murphy")#|#', '2'],
  ['friends.#.nets.0', '["ig","fb","ig"]'],
  ['name|@keys', '["first","last"]'],
  ['name', '{"first":"Tom","last":"Anderson"}'],
  ['@this.age', '37'],
  ['friends.#(age==44).first', 'Dale'],
  ['friends.#(age<=44)#.first', '["Dale"]'],
];

describe('gjsonGet follows SYNTAX.md', () => {
  for (const [path, want] of CASES) {
    it(`${path} gives ${want}`, () => {
      const r = gjsonGet(DOC, path);
      assert.equal(r.exists, true);
      assert.equal(gjsonString(r), want);
    });
  }

  it('misses do not exist and stringify empty', () => {
    for (const path of ['nope', 'name.middle', 'children.9', 'friends.#(last=="X").first', '']) {
      const r = gjsonGet(DOC, path);
      assert.equal(r.exists, false, path);
      assert.equal(gjsonString(r), '');
    }
  });

  it('null stringifies empty but exists', () => {
    const r = gjsonGet('{"a":null}', 'a');
    assert.equal(r.exists, true);
    assert.equal(gjsonString(r), '');
  });

  it('keeps number text and HTML-escapes raw JSON like Go', () => {
    assert.equal(gjsonString(gjsonGet('{"n":1.50e3}', 'n')), '1.50e3');
    assert.equal(gjsonString(gjsonGet('{"o":{"x":"<&>"}}', 'o')), '{"x":"\\u003c\\u0026\\u003e"}');
    assert.equal(gjsonString(gjsonGet('{"o":{"x":"<&>"}}', 'o.x')), '<&>');
  });
});
