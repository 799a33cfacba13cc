import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { envFromData, readFilesTarget, writeEnvFile, writeFilesTarget } from './files.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
let root = '';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-files-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('files target', () => {
  it('writes each key as a file reachable through ..data', async () => {
    const dir = join(root, 'a');
    assert.equal(
      await writeFilesTarget(
        dir,
        new Map([
          ['tls.crt', bytes('CERT\n')],
          ['tls.key', bytes('KEY')],
        ]),
      ),
      true,
    );
    assert.equal(await readFile(join(dir, 'tls.crt'), 'utf8'), 'CERT\n');
    const names = await readdir(dir);
    assert.ok(names.includes('..data'));
    assert.deepEqual(names.filter((n) => !n.startsWith('..')).sort(), ['tls.crt', 'tls.key']);
  });

  it('writes nothing when the data is unchanged', async () => {
    const dir = join(root, 'b');
    const data = new Map([['k', bytes('v')]]);
    assert.equal(await writeFilesTarget(dir, data), true);
    const before = await readdir(dir);
    assert.equal(await writeFilesTarget(dir, new Map([['k', bytes('v')]])), false);
    assert.deepEqual(await readdir(dir), before);
  });

  it('swaps to a new version, drops removed keys and old versions', async () => {
    const dir = join(root, 'c');
    await writeFilesTarget(
      dir,
      new Map([
        ['one', bytes('1')],
        ['two', bytes('2')],
      ]),
    );
    await writeFilesTarget(dir, new Map([['one', bytes('uno')]]));
    assert.deepEqual(await readFilesTarget(dir), new Map([['one', bytes('uno')]]));
    const names = await readdir(dir);
    assert.deepEqual(
      names.filter((n) => !n.startsWith('..')),
      ['one'],
    );
    assert.equal(
      names.filter((n) => n.startsWith('..') && n !== '..data').length,
      1,
      'one version directory',
    );
  });

  it('refuses keys that would escape the directory', async () => {
    await assert.rejects(
      writeFilesTarget(join(root, 'd'), new Map([['../x', bytes('v')]])),
      /cannot write key/,
    );
    await assert.rejects(
      writeFilesTarget(join(root, 'd'), new Map([['..data', bytes('v')]])),
      /cannot write key/,
    );
  });
});

describe('env file target', () => {
  it('keeps valid variable names and skips the rest', () => {
    const { env, skipped } = envFromData(
      new Map([
        ['API_KEY', bytes('k')],
        ['tls.crt', bytes('c')],
      ]),
    );
    assert.deepEqual(env, { API_KEY: 'k' });
    assert.deepEqual(skipped, ['tls.crt']);
  });

  it('escapes quotes, dollars and newlines, and writes only on change', async () => {
    const path = join(root, 'app.env');
    assert.equal(await writeEnvFile(path, { A: 'x"y$z\nline2', B: 'plain' }), true);
    assert.equal(await readFile(path, 'utf8'), 'A="x\\"y\\$z\\nline2"\nB="plain"\n');
    assert.equal(await writeEnvFile(path, { A: 'x"y$z\nline2', B: 'plain' }), false);
  });
});
