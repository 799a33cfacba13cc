import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  goByteValue,
  goJsonMarshal,
  goQuote,
  JsonNumber,
  parseJson,
  type JsonValue,
} from './gojson.ts';

describe('goJsonMarshal', () => {
  it('sorts keys, stays compact and keeps number literals', () => {
    const v = parseJson(
      '{ "b": 1.0, "a": [ 2.12, 2.1234534153423423, 42, 1e400 ], "c": {"z": true, "y": null} }',
    );
    assert.equal(
      goJsonMarshal(v),
      '{"a":[2.12,2.1234534153423423,42,1e400],"b":1.0,"c":{"y":null,"z":true}}',
    );
  });

  it('escapes <, > and & and control characters like encoding/json', () => {
    assert.equal(goQuote('<a&b>'), '"\\u003ca\\u0026b\\u003e"');
    assert.equal(goQuote('<a>', false), '"<a>"');
    assert.equal(goQuote('\u0001\n\t\u2028"\\'), '"\\u0001\\n\\t\\u2028\\"\\\\"');
  });

  it('orders keys by code point (UTF-8 byte order), not UTF-16', () => {
    assert.equal(goJsonMarshal({ '\uffff': 1, '😀': 2, a: 3 }), '{"a":3,"\uffff":1,"😀":2}');
  });

  it('marshals Maps and JS numbers', () => {
    assert.equal(goJsonMarshal(new Map([['k', 'v']])), '{"k":"v"}');
    assert.equal(goJsonMarshal([1, 0.5, 1e21]), '[1,0.5,1e+21]');
  });
});

describe('parseJson', () => {
  it('keeps numbers as JsonNumber', () => {
    const v = parseJson('{"n": -0.10}') as Record<string, unknown>;
    assert.ok(v.n instanceof JsonNumber);
    assert.equal(String(v.n), '-0.10');
  });

  it('never echoes input in syntax errors', () => {
    assert.throws(
      () => parseJson('{"password": s3cr3t}'),
      (e: Error) => !e.message.includes('s3cr3t'),
    );
    assert.throws(() => parseJson('12 34'));
  });
});

describe('goByteValue (ESO GetByteValue)', () => {
  it('converts each member type', () => {
    const v = parseJson(
      '{"s":"x","n":5432,"b":true,"z":null,"o":{"b":1,"a":"<"},"l":[1,"a"]}',
    ) as Record<string, JsonValue>;
    assert.equal(goByteValue(v.s!), 'x');
    assert.equal(goByteValue(v.n!), '5432');
    assert.equal(goByteValue(v.b!), 'true');
    assert.equal(goByteValue(v.z!), '');
    assert.equal(goByteValue(v.o!), '{"a":"\\u003c","b":1}');
    assert.equal(goByteValue(v.l!), '[1,"a"]');
  });
});
