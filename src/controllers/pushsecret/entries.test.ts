import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PushSecretData, PushSecretDataTo } from '../../api/types.ts';
import { goTemplateEngine } from '../../sync/index.ts';
import { labelSelectorQuery } from '../label-selector.ts';
import {
  entriesForStore,
  PushSpecError,
  reverseKey,
  statusRef,
  validateDataToMatchesStores,
  validateDataToStoreRefs,
} from './entries.ts';

const utf8 = new TextEncoder();
const engine = goTemplateEngine();
const store = { kind: 'SecretStore', name: 'vault', labels: { env: 'prod' } };
const source = new Map(
  ['db-user', 'db-pass', 'api_U0040_key', 'other'].map((k) => [k, utf8.encode(`v-${k}`)]),
);

function remoteKeys(spec: { data?: PushSecretData[]; dataTo?: PushSecretDataTo[] }): string[] {
  return entriesForStore(spec, store, source, engine).map((e) => statusRef(e.data));
}

describe('PushSecret entries', () => {
  it('reverses unicode escapes only with ReverseUnicode', () => {
    const cases: [Parameters<typeof reverseKey>[0], string, string][] = [
      ['ReverseUnicode', 'api_U0040_key', 'api@key'],
      ['ReverseUnicode', 'a_U1F600_b', 'a😀b'],
      ['None', 'api_U0040_key', 'api_U0040_key'],
      [undefined, 'plain', 'plain'],
    ];
    for (const [strategy, key, want] of cases) assert.equal(reverseKey(strategy, key), want);
  });

  it('status keys are remoteKey or remoteKey/property', () => {
    assert.equal(statusRef({ match: { remoteRef: { remoteKey: 'a' } } }), 'a');
    assert.equal(statusRef({ match: { remoteRef: { remoteKey: 'a', property: 'p' } } }), 'a/p');
  });

  it('expands dataTo per key with match and rewrite, sorted', () => {
    const keys = remoteKeys({
      dataTo: [
        {
          storeRef: { name: 'vault' },
          match: { regexp: '^db-' },
          rewrite: [{ regexp: { source: '^db-(.*)$', target: 'app/$1' } }],
        },
      ],
    });
    assert.deepEqual(keys, ['app/pass', 'app/user']);
  });

  it('bundles matched keys under remoteKey with only those keys as the source', () => {
    const entries = entriesForStore(
      { dataTo: [{ storeRef: { name: 'vault' }, remoteKey: 'bundle', match: { regexp: '^db-' } }] },
      store,
      source,
      engine,
    );
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.data.match.secretKey, undefined);
    assert.deepEqual([...(entries[0]?.source.keys() ?? [])], ['db-pass', 'db-user']);
  });

  it('renames keys with a transform template', () => {
    const keys = remoteKeys({
      dataTo: [
        {
          storeRef: { name: 'vault' },
          match: { regexp: '^other$' },
          rewrite: [{ transform: { template: 'x/{{ .value | upper }}' } }],
        },
      ],
    });
    assert.deepEqual(keys, ['x/OTHER']);
  });

  it('explicit data wins over dataTo for the same source key', () => {
    const keys = remoteKeys({
      data: [{ match: { secretKey: 'db-user', remoteRef: { remoteKey: 'explicit' } } }],
      dataTo: [{ storeRef: { name: 'vault' }, match: { regexp: '^db-' } }],
    });
    assert.deepEqual(keys, ['db-pass', 'explicit']);
  });

  it('ignores dataTo aimed at another store, and matches stores by label', () => {
    assert.deepEqual(remoteKeys({ dataTo: [{ storeRef: { name: 'elsewhere' } }] }), []);
    const byLabel = remoteKeys({
      dataTo: [
        {
          storeRef: { labelSelector: { matchLabels: { env: 'prod' } } },
          match: { regexp: 'other' },
        },
      ],
    });
    assert.deepEqual(byLabel, ['other']);
  });

  it('rejects two entries writing the same destination', () => {
    assert.throws(
      () =>
        remoteKeys({
          data: [
            { match: { secretKey: 'db-user', remoteRef: { remoteKey: 'same' } } },
            { match: { secretKey: 'db-pass', remoteRef: { remoteKey: 'same' } } },
          ],
        }),
      (e: Error) =>
        e instanceof PushSpecError &&
        e.message ===
          'failed to merge data entries: duplicate remote key "same": source keys "db-user" and "db-pass" both map to the same destination',
    );
  });

  it('validates dataTo store references against secretStoreRefs', () => {
    assert.throws(() => {
      validateDataToStoreRefs([{ storeRef: { name: 'x' } }], [{ name: 'vault' }]);
    }, /dataTo\[0\]: storeRef "x" not found in secretStoreRefs/);
    assert.throws(() => {
      validateDataToStoreRefs([{}], []);
    }, /dataTo\[0\]: storeRef is required/);
    assert.throws(() => {
      validateDataToMatchesStores(
        [{ storeRef: { labelSelector: { matchLabels: { env: 'dev' } } } }],
        [store],
      );
    }, /labelSelector does not match any store/);
  });

  it('writes label selectors in the API server query syntax', () => {
    assert.equal(
      labelSelectorQuery({
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [
          { key: 'c', operator: 'In', values: ['y', 'x'] },
          { key: 'd', operator: 'DoesNotExist' },
          { key: 'e', operator: 'Exists' },
          { key: 'f', operator: 'NotIn', values: ['z'] },
        ],
      }),
      'a=1,b=2,c in (x,y),!d,e,f notin (z)',
    );
  });
});
