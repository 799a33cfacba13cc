import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from '../../index.ts';
import type { GoValue } from '../../value.ts';
import { sprigFuncs } from './index.ts';

const funcs = sprigFuncs();
const run = (tpl: string, data: GoValue = null): string => render(tpl, data, { funcs });

/** Lists, dicts, defaults and JSON: [template, expected]. */
const cases: [string, string][] = [
  ['{{ list 1 2 3 }}', '[1 2 3]'],
  ['{{ tuple 1 "a" | typeOf }}', '[]interface {}'],
  [
    '{{ append (list 1 2) 3 }} {{ push (list 1) 2 }} {{ prepend (list 1 2) 0 }}',
    '[1 2 3] [1 2] [0 1 2]',
  ],
  ['{{ first (list 1 2 3) }} {{ last (list 1 2 3) }} {{ first (list) }}', '1 3 <no value>'],
  [
    '{{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }} {{ reverse (list 1 2 3) }}',
    '[2 3] [1 2] [3 2 1]',
  ],
  ['{{ uniq (list 1 1 2 "1" 2) }}', '[1 2 1]'],
  ['{{ without (list 1 2 3 4) 1 3 }}', '[2 4]'],
  ['{{ has 4 (list 1 2 3) }} {{ has 2 (list 1 2 3) }} {{ has 1 nil }}', 'false true false'],
  ['{{ compact (list 1 "" nil 0 "a" false) }}', '[1 a]'],
  [
    '{{ slice (list 1 2 3 4 5) 1 3 }} {{ slice (list 1 2 3) 1 }} {{ slice (list 1 2 3) }}',
    '[2 3] [2 3] [1 2 3]',
  ],
  ['{{ concat (list 1 2) (list 3) (list) }}', '[1 2 3]'],
  ['{{ chunk 2 (list 1 2 3 4 5) }}', '[[1 2] [3 4] [5]]'],
  ['{{ sortAlpha (list "c" "a" "B" 1) }} {{ sortAlpha "x" }}', '[1 B a c] [x]'],
  [
    '{{ until 3 }} {{ until -3 }} {{ untilStep 0 10 3 }} {{ untilStep 3 0 -1 }}',
    '[0 1 2] [0 -1 -2] [0 3 6 9] [3 2 1]',
  ],
  [
    '{{ seq 3 }}|{{ seq 2 -2 }}|{{ seq 0 2 10 }}|{{ seq 3 1 }}|{{ seq 1 -1 5 }}',
    '1 2 3|2 1 0 -1 -2|0 2 4 6 8 10|3 2 1|',
  ],
  ['{{ dict "a" 1 "b" }}', 'map[a:1 b:]'],
  ['{{ dict 1 2 | keys }}', '[1]'],
  [
    '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }} {{ unset $d "a" }} {{ hasKey $d "b" }}',
    'map[a:1 b:2] map[b:2] true',
  ],
  ['{{ get (dict "a" 1) "a" }} [{{ get (dict) "x" }}]', '1 []'],
  ['{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}', '[1 3]'],
  [
    '{{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" "x" }} {{ omit (dict "a" 1 "b" 2) "a" }}',
    'map[a:1 c:3] map[b:2]',
  ],
  ['{{ values (dict "a" 1) }} {{ keys (dict "a" 1) (dict "b" 2) | sortAlpha }}', '[1] [a b]'],
  [
    '{{ dig "a" "b" "zz" (dict "a" (dict "b" "v")) }} {{ dig "a" "x" "zz" (dict "a" (dict)) }}',
    'v zz',
  ],
  [
    '{{ $dst := dict "k" "dst" "empty" "" "nested" (dict "x" 1) }}{{ merge $dst (dict "k" "src" "empty" "filled" "new" 1 "nested" (dict "x" 2 "y" 3)) }}',
    'map[empty:filled k:dst nested:map[x:1 y:3] new:1]',
  ],
  [
    '{{ $dst := dict "k" "dst" "flag" true }}{{ mergeOverwrite $dst (dict "k" "src" "flag" false) }}',
    'map[flag:false k:src]',
  ],
  [
    '{{ $a := dict "l" (list 1) }}{{ $b := deepCopy $a }}{{ $_ := set $b "l" 2 }}{{ $a }}',
    'map[l:[1]]',
  ],
  ['{{ deepCopy (dict "a" nil) }}', 'map[a:<nil>]'],
  [
    '{{ default "foo" "" }} {{ default "foo" "bar" }} {{ default 1 0 }} {{ default "x" (list) }} {{ default "x" false }}',
    'foo bar 1 x x',
  ],
  [
    '{{ empty "" }} {{ empty 0 }} {{ empty 1 }} {{ empty nil }} {{ empty (dict "a" 1) }} {{ empty false }}',
    'true true false true false true',
  ],
  ['{{ coalesce 0 "" "x" "y" }} {{ coalesce 0 nil }}', 'x <no value>'],
  [
    '{{ all 1 "a" true }} {{ all 1 "" }} {{ any 0 "" "x" }} {{ any 0 nil }}',
    'true false true false',
  ],
  [
    '{{ ternary "a" "b" true }} {{ true | ternary "a" "b" }} {{ false | ternary "a" "b" }}',
    'a a b',
  ],
  ['{{ dict "b" 2 "a" "<x&y>" | toJson }}', '{"a":"\\u003cx\\u0026y\\u003e","b":2}'],
  ['{{ dict "a" "<x>" | toRawJson }}', '{"a":"<x>"}'],
  ['{{ list 1 2.5 "a" nil true | toJson }}', '[1,2.5,"a",null,true]'],
  ['{{ dict "a" (list 1) "b" (dict) | toPrettyJson }}', '{\n  "a": [\n    1\n  ],\n  "b": {}\n}'],
  ['{{ (fromJson "{\\"a\\": {\\"b\\": [1, 2.5e3]}}").a.b }}', '[1 2500]'],
  ['{{ fromJson "{bad" }}', '<no value>'],
  ['{{ fromJson "1e-7" }} {{ fromJson "12345678" }}', '1e-07 1.2345678e+07'],
  [
    '{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf "a" }} {{ typeOf (list) }} {{ typeOf (dict) }} {{ typeOf nil }}',
    'int float64 string []interface {} map[string]interface {} <nil>',
  ],
  [
    '{{ kindOf 1 }} {{ kindOf (list) }} {{ kindOf (dict) }} {{ kindOf (int64 1) }} {{ kindIs "string" "a" }} {{ typeIs "int" 1 }} {{ typeIsLike "int" 1 }}',
    'int slice map int64 true true true',
  ],
  [
    '{{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual 1 1.0 }} {{ deepEqual (dict "a" 1) (dict "a" 1) }}',
    'true false true',
  ],
];

describe('sprig lists, dicts, defaults and JSON', () => {
  for (const [tpl, want] of cases) {
    it(`${tpl} renders ${JSON.stringify(want)}`, () => {
      assert.equal(run(tpl), want);
    });
  }

  const errors: [string, RegExp][] = [
    ['{{ deepCopy nil }}', /error calling deepCopy: reflect: call of reflect.Value.Type on zero/],
    ['{{ mustDeepCopy nil }}', /reflect: call of reflect.Value.Type on zero Value/],
    ['{{ first "abc" }}', /error calling first: Cannot find first on type string/],
    ['{{ mustLast 1 }}', /Cannot find last on type int/],
    ['{{ append nil 1 }}', /invalid memory address or nil pointer dereference/],
    ['{{ slice (list 1 2) 1 5 }}', /reflect.Value.Slice: slice index out of bounds/],
    ['{{ slice "abc" 1 }}', /list should be type of slice or array but string/],
    ['{{ concat (list 1) 2 }}', /Cannot concat type int as list/],
    [
      '{{ mustFromJson "{\\"a\\": tru}" }}',
      /invalid character '}' in literal true \(expecting 'e'\)/,
    ],
    ['{{ mustFromJson "" }}', /unexpected end of JSON input/],
    ['{{ mustFromJson "[1,]" }}', /invalid character '\]' looking for beginning of value/],
    [
      '{{ dig "a" "b" "def" (dict "a" "str") }}',
      /interface conversion: interface \{\} is string, not map/,
    ],
    ['{{ mustToJson (list 1 (divf 0 0)) }}', /./],
  ];
  for (const [tpl, want] of errors) {
    it(`${tpl} fails like Go`, () => {
      assert.throws(() => run(tpl), want);
    });
  }
});
