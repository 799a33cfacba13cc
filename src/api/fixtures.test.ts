import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseManifests } from './manifest-source.ts';
import { classifyManifest, validateManifest } from './validate.ts';
import { validateCommand } from '../cli/commands/validate.ts';
import type { CommandIO } from '../cli/command.ts';

const dir = fileURLToPath(new URL('../../test/fixtures/eso-docs/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

void describe('ESO documentation examples', () => {
  void it('has at least 40 example files', () => {
    assert.ok(files.length >= 40, `${files.length} fixtures`);
  });

  void it('covers every kind and the typed providers', () => {
    const seen = new Set<string>();
    for (const f of files) {
      for (const { object } of parseManifests(readFileSync(dir + f, 'utf8')).objects) {
        const kind = classifyManifest(object);
        if (!kind.served) continue;
        seen.add(kind.info.kind);
        const provider = (object as { spec?: { provider?: object } }).spec?.provider;
        if (provider) for (const key of Object.keys(provider)) seen.add(`provider:${key}`);
      }
    }
    for (const want of [
      'ExternalSecret',
      'SecretStore',
      'ClusterSecretStore',
      'ClusterExternalSecret',
      'PushSecret',
    ]) {
      assert.ok(seen.has(want), want);
    }
    for (const p of ['vault', 'fake', 'kubernetes', 'aws', 'gcpsm', 'azurekv', 'openBao'])
      assert.ok(seen.has(`provider:${p}`), p);
  });

  for (const f of files) {
    void it(`accepts ${f}`, () => {
      const parsed = parseManifests(readFileSync(dir + f, 'utf8'));
      assert.deepEqual(parsed.errors, []);
      for (const { object } of parsed.objects) {
        const errors = validateManifest(object).filter((i) => i.severity === 'error');
        assert.deepEqual(errors, [], JSON.stringify((object as { metadata?: unknown }).metadata));
      }
    });
  }

  void it('reports the known mistakes in ESO docs exactly as recorded', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const io: CommandIO = {
      stdout,
      stderr,
      env: {},
      cwd: dir,
      shutdown: new AbortController().signal,
    };
    const code = await validateCommand.run(['-f', 'invalid'], io);
    assert.equal(code, 1);
    assert.equal(
      Buffer.concat(chunks).toString('utf8'),
      readFileSync(`${dir}invalid/expected.txt`, 'utf8'),
    );
  });
});
