import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreConfigError } from '../provider.ts';
import { checkPushRef, mergedMetadata, parsePushMetadata, pushedData } from './push.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const META = { apiVersion: 'kubernetes.external-secrets.io/v1alpha1', kind: 'PushSecretMetadata' };

describe('kubernetes push: PushSecretMetadata', () => {
  it('absent metadata is no metadata', () => {
    assert.equal(parsePushMetadata(undefined), undefined);
  });

  it('reads the spec', () => {
    assert.deepEqual(
      parsePushMetadata({ ...META, spec: { remoteNamespace: 'x', labels: { a: 'b' } } }),
      {
        remoteNamespace: 'x',
        labels: { a: 'b' },
      },
    );
  });

  const bad: [string, unknown, RegExp][] = [
    ['wrong apiVersion', { ...META, apiVersion: 'v1' }, /unexpected apiVersion "v1"/],
    ['wrong kind', { ...META, kind: 'Other' }, /unexpected kind "Other"/],
    ['unknown top-level field', { ...META, extra: 1 }, /unknown field "extra"/],
    ['unknown spec field', { ...META, spec: { color: 'red' } }, /unknown field "spec.color"/],
    ['labels not strings', { ...META, spec: { labels: { a: 1 } } }, /spec.labels must be a map/],
  ];
  for (const [name, raw, message] of bad)
    it(`rejects ${name}`, () => {
      assert.throws(
        () => parsePushMetadata(raw),
        (e: Error) => e instanceof StoreConfigError && message.test(e.message),
      );
    });
});

describe('kubernetes push: metadata merge', () => {
  const source = { data: new Map(), labels: { s: '1', both: 'source' }, annotations: { sa: '1' } };
  const remote = { labels: { r: '1', both: 'remote' }, annotations: { ra: '1' } };
  const cases: [string, Parameters<typeof parsePushMetadata>[0], unknown][] = [
    [
      'no metadata merges the source into the remote',
      undefined,
      {
        labels: { r: '1', both: 'source', s: '1' },
        annotations: { ra: '1', sa: '1' },
      },
    ],
    [
      'source Replace uses only the metadata labels',
      { ...META, spec: { sourceMergePolicy: 'Replace', labels: { m: '1' } } },
      {
        labels: { r: '1', both: 'remote', m: '1' },
        annotations: { ra: '1' },
      },
    ],
    [
      'target Replace drops the remote labels',
      { ...META, spec: { targetMergePolicy: 'Replace' } },
      {
        labels: { s: '1', both: 'source' },
        annotations: { sa: '1' },
      },
    ],
    [
      'target Ignore keeps the remote labels',
      { ...META, spec: { targetMergePolicy: 'Ignore' } },
      remote,
    ],
  ];
  for (const [name, raw, want] of cases)
    it(name, () => {
      assert.deepEqual(mergedMetadata(source, remote, parsePushMetadata(raw)), want);
    });
});

describe('kubernetes push: remote data', () => {
  const source = {
    data: new Map([
      ['a', enc('1')],
      ['b', enc('"2"')],
    ]),
  };
  const remote = new Map([['keep', enc('k')]]);
  const text = (m: Map<string, Uint8Array>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, new TextDecoder().decode(v)]));

  it('no property replaces the remote data with the source', () => {
    assert.deepEqual(
      text(pushedData(source, { match: { remoteRef: { remoteKey: 'r' } } }, remote)),
      { a: '1', b: '"2"' },
    );
  });

  it('a property with a secretKey adds that key', () => {
    const data = { match: { secretKey: 'a', remoteRef: { remoteKey: 'r', property: 'p' } } };
    assert.deepEqual(text(pushedData(source, data, remote)), { keep: 'k', p: '1' });
  });

  it('a property without a secretKey holds the whole source as Go JSON', () => {
    const data = { match: { remoteRef: { remoteKey: 'r', property: 'p' } } };
    assert.deepEqual(text(pushedData(source, data, remote)), {
      keep: 'k',
      p: '{"a":"1","b":"\\"2\\""}',
    });
  });

  it('a secretKey needs a property', () => {
    assert.throws(() => {
      checkPushRef({ match: { secretKey: 'a', remoteRef: { remoteKey: 'r' } } });
    }, /requires property in RemoteRef to push secret value if secret key is defined/);
  });
});
