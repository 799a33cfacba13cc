import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Rewrite } from '../api/types.ts';
import { rewriteMap } from './rewrite.ts';
import { goTemplateEngine } from './template/default-engine.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const engine = goTemplateEngine();

function keysAfter(ops: Rewrite[], keys: string[]): string[] {
  const input = new Map(keys.map((k) => [k, enc('v')]));
  return [...rewriteMap(ops, input, engine).keys()].sort();
}
function valuesAfter(ops: Rewrite[], input: Record<string, string>): Record<string, string> {
  const m = new Map(Object.entries(input).map(([k, v]) => [k, enc(v)]));
  return Object.fromEntries([...rewriteMap(ops, m, engine)].map(([k, v]) => [k, dec(v)]));
}

describe('rewrite (eso.md §7.4 TestRewrite)', () => {
  const cases: { name: string; ops: Rewrite[]; keys: string[]; want: string[] }[] = [
    {
      name: 'regexp replaces dashes',
      ops: [{ regexp: { source: '-', target: '_' } }],
      keys: ['foo-bar'],
      want: ['foo_bar'],
    },
    {
      name: 'a non-matching regexp leaves keys',
      ops: [{ regexp: { source: 'zzz', target: '_' } }],
      keys: ['foo-bar'],
      want: ['foo-bar'],
    },
    {
      name: 'a prefix is stripped',
      ops: [{ regexp: { source: '^my/initial/path/', target: '' } }],
      keys: ['my/initial/path/foo'],
      want: ['foo'],
    },
    {
      name: '$1 expands a group',
      ops: [{ regexp: { source: 'f(.*)o', target: 'a_new_path_$1' } }],
      keys: ['foo', 'foodaloo'],
      want: ['a_new_path_o', 'a_new_path_oodalo'],
    },
    {
      name: 'named and numbered groups expand',
      ops: [{ regexp: { source: 'f(?P<content>.*)o', target: 'a_new_path_${content}_${1}' } }],
      keys: ['floo'],
      want: ['a_new_path_lo_lo'],
    },
    {
      name: 'chained regexps apply in order',
      ops: [
        { regexp: { source: 'my/(.*?)/bar/(.*)', target: '$1-$2' } },
        { regexp: { source: '-', target: '_' } },
        { regexp: { source: 'ass', target: '***' } },
      ],
      keys: ['my/app/bar/password'],
      want: ['app_p***word'],
    },
    {
      name: 'a transform after a regexp sees the rewritten key',
      ops: [
        { regexp: { source: 'my/(.*?)/bar/(.*)', target: '$1-$2' } },
        { transform: { template: '{{ .value | upper | replace "-" "_" }}' } },
      ],
      keys: ['my/app/bar/key'],
      want: ['APP_KEY'],
    },
    {
      name: '$1x names the group "1x" (empty)',
      ops: [{ regexp: { source: '(a)', target: '$1x' } }],
      keys: ['a'],
      want: [''],
    },
    { name: 'a merge-less rewrite list is a no-op', ops: [{}], keys: ['k'], want: ['k'] },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.deepEqual(keysAfter(c.ops, c.keys), c.want);
    });

  it('a bad regexp names the operation index', () => {
    assert.throws(
      () => keysAfter([{ regexp: { source: '(', target: '' } }], ['a']),
      /^SyncError: failed rewrite operation\[0\]: regexp failed with failed to compile: error parsing regexp/,
    );
  });
});

describe('rewrite merge (eso.md §7.4 TestRewriteMerge)', () => {
  it('JSON into merged then Extract gives the merged keys; numbers use %f', () => {
    const got = valuesAfter(
      [
        { merge: { strategy: 'JSON', into: 'merged', conflictPolicy: 'Ignore' } },
        { merge: { priority: ['merged'], conflictPolicy: 'Ignore' } },
      ],
      { a: '{"host":"dba","pass":"yola"}', b: '{"host":"dbb","pass":"yolb","port":123}' },
    );
    assert.equal(got.host, 'dbb');
    assert.equal(got.pass, 'yolb');
    assert.equal(got.port, '123');
  });
  it('keys merge alphabetically with priority keys last', () => {
    const got = valuesAfter([{ merge: { priority: ['a'], conflictPolicy: 'Ignore' } }], {
      a: '{"x":"from-a"}',
      b: '{"x":"from-b"}',
    });
    assert.deepEqual(got, { x: 'from-a' });
  });
  it('a conflict with policy Error fails listing the key', () => {
    assert.throws(
      () => valuesAfter([{ merge: {} }], { a: '{"x":"1"}', b: '{"x":"2"}' }),
      /merge failed with conflicts: x/,
    );
  });
  it('Strict priority with an unknown key fails; IgnoreNotFound skips it', () => {
    assert.throws(
      () => valuesAfter([{ merge: { priority: ['nope'] } }], { a: '{"x":"1"}' }),
      /merge failed with key "nope" not found in input map/,
    );
    assert.deepEqual(
      valuesAfter([{ merge: { priority: ['nope'], priorityPolicy: 'IgnoreNotFound' } }], {
        a: '{"x":"1"}',
      }),
      { x: '1' },
    );
  });
  it('JSON strategy without into fails', () => {
    assert.throws(
      () => valuesAfter([{ merge: { strategy: 'JSON' } }], { a: '{}' }),
      /merge failed with missing 'into' field/,
    );
  });
  it('invalid JSON fails without quoting the value', () => {
    assert.throws(
      () => valuesAfter([{ merge: {} }], { a: 'not-json-s3cr3t' }),
      (e: Error) =>
        e.message.includes('merge failed with failed to unmarshal JSON') &&
        !e.message.includes('s3cr3t'),
    );
  });
  it('nested objects are JSON-encoded with HTML escaping', () => {
    assert.deepEqual(valuesAfter([{ merge: {} }], { a: '{"o":{"k":"<v>"}}' }), {
      o: '{"k":"\\u003cv\\u003e"}',
    });
  });
});
