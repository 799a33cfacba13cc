import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDataPath, buildMetadataPath, type KvLayout } from './paths.ts';

describe('buildDataPath matches ESO TestGetSecretPath', () => {
  const table: [KvLayout, string, string][] = [
    [{ version: 'v2', mount: 'secret/path' }, 'secret/path/data/test', 'secret/path/data/test'],
    [{ version: 'v2', mount: 'secret/path' }, 'secret/path/test', 'secret/path/data/test'],
    [{ version: 'v2', mount: 'secret/path' }, 'test', 'secret/path/data/test'],
    [{ version: 'v2' }, 'secret/test/big/path', 'secret/data/test/big/path'],
    [
      { version: 'v2' },
      'secret/test/data/not/the/first/and/data/twice',
      'secret/test/data/not/the/first/and/data/twice',
    ],
    [{ version: 'v1', mount: 'secret/path' }, 'secret/path/test', 'secret/path/test'],
    [{ version: 'v1', mount: 'secret/path' }, 'test', 'secret/path/test'],
    [{ version: 'v1' }, 'secret/test', 'secret/test'],
    [
      { version: 'v2', mount: 'secret' },
      'secret/data/demo-app/secrets',
      'secret/data/demo-app/secrets',
    ],
    [{ version: 'v2', mount: 'secret' }, 'demo-app/secrets', 'secret/data/demo-app/secrets'],
    [{ version: 'v2', mount: 'secret' }, 'secret/demo-app/secrets', 'secret/data/demo-app/secrets'],
    // ESO's acknowledged quirk: a secret really named secret/foo under mount secret reads secret/data/foo
    [{ version: 'v2', mount: 'secret' }, 'secret/foo', 'secret/data/foo'],
    [{ version: 'v1', mount: 'kv' }, 'kv/data/x', 'kv/data/x'],
  ];
  for (const [layout, key, want] of table) {
    it(`${layout.version} mount=${layout.mount ?? 'nil'} ${key} → ${want}`, () => {
      assert.equal(buildDataPath(layout, key), want);
    });
  }
});

describe('buildMetadataPath matches ESO TestGetSecretMetadataPath', () => {
  it('v2 with a mount never strips', () => {
    assert.equal(
      buildMetadataPath({ version: 'v2', mount: 'secret/path' }, 'secret/path/data/test'),
      'secret/path/metadata/secret/path/data/test',
    );
    assert.equal(
      buildMetadataPath({ version: 'v2', mount: 'secret' }, 'app/db'),
      'secret/metadata/app/db',
    );
  });
  it('v2 without a mount swaps the first /data/', () => {
    assert.equal(
      buildMetadataPath({ version: 'v2' }, 'secret/data/app/data/x'),
      'secret/metadata/app/data/x',
    );
    assert.throws(
      () => buildMetadataPath({ version: 'v2' }, 'secret/app'),
      /isn't a valid kv v2 path/,
    );
  });
  it('v1 needs a mount', () => {
    assert.equal(buildMetadataPath({ version: 'v1', mount: 'kv' }, 'a/b'), 'kv/a/b');
    assert.throws(() => buildMetadataPath({ version: 'v1' }, 'a'), /path is required/);
  });
});
