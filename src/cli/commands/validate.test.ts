import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { UsageError } from '../../errors.ts';
import type { Command, CommandIO } from '../command.ts';
import { crdsCommand } from './crds.ts';
import { createValidateCommand } from './validate.ts';

interface Run {
  code: number | UsageError;
  stdout: string;
  stderr: string;
}

async function run(command: Command, args: string[], cwd: string): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CommandIO = { stdout, stderr, env: {}, cwd, shutdown: new AbortController().signal };
  let code: number | UsageError;
  try {
    code = await command.run(args, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    code = e;
  }
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

const valid = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: good
spec:
  secretStoreRef:
    name: vault
  data:
    - secretKey: a
      remoteRef:
        key: k
`;

const invalid = `apiVersion: v1
kind: Secret
metadata:
  name: plain
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: bad
spec:
  refreshInterval: 10
  data:
    - secretKey: a
      remoteRef:
        property: p
`;

void describe('ferry validate', () => {
  let dir = '';
  const stdin = { text: '' };
  const command = createValidateCommand({ readStdin: () => Promise.resolve(stdin.text) });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-validate-'));
    await mkdir(join(dir, 'nested', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'good.yaml'), valid);
    await writeFile(join(dir, 'nested', 'deeper', 'bad.yml'), invalid);
    await writeFile(join(dir, 'nested', 'notes.txt'), 'not a manifest');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  void it('exits 0 when every manifest is valid', async () => {
    const r = await run(command, ['-f', 'good.yaml'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '1 checked, 0 invalid, 0 skipped, 0 warning(s)\n');
  });

  void it('exits 1 and prints file:line:col: kind/name: path: message', async () => {
    const r = await run(command, ['-f', 'nested/deeper/bad.yml'], dir);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      [
        'nested/deeper/bad.yml:1:1: Secret/plain: skipped: v1 Secret is not a Ferry resource',
        'nested/deeper/bad.yml:11:3: ExternalSecret/bad: spec.refreshInterval: Invalid value: "integer": must be of type string',
        'nested/deeper/bad.yml:14:7: ExternalSecret/bad: spec.data[0].remoteRef.key: Required value',
        '',
      ].join('\n'),
    );
    assert.equal(r.stderr, '1 checked, 1 invalid, 1 skipped, 0 warning(s)\n');
  });

  void it('walks directories for .yaml, .yml and .json files', async () => {
    const r = await run(command, ['-f', '.'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^2 checked, 1 invalid, 1 skipped/);
    assert.doesNotMatch(r.stdout, /notes\.txt/);
  });

  void it('accepts several files after one -f', async () => {
    const r = await run(command, ['-f', 'good.yaml', 'nested/deeper/bad.yml'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^2 checked/);
  });

  void it('reads stdin for -f -', async () => {
    stdin.text = valid.replace('name: vault', 'name: Vault');
    const r = await run(command, ['-f', '-'], dir);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^<stdin>:7:5: ExternalSecret\/good: spec\.secretStoreRef\.name: Invalid value: "Vault"/,
    );
  });

  void it('reports YAML syntax errors with positions and exits 1', async () => {
    stdin.text = 'kind: [unclosed\n';
    const r = await run(command, ['-f', '-'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^<stdin>:\d+:\d+: YAML: /);
  });

  void it('exits 2 on usage errors', async () => {
    for (const args of [
      [],
      ['-f'],
      ['--bogus', '-f', 'good.yaml'],
      ['good.yaml'],
      ['-f', 'missing.yaml'],
    ]) {
      const r = await run(command, args, dir);
      assert.ok(r.code instanceof UsageError, JSON.stringify(args));
      assert.equal(r.code.exitCode, 2);
    }
  });

  void it('hides warnings with --quiet but still counts them', async () => {
    stdin.text = `apiVersion: external-secrets.io/v1
kind: ClusterExternalSecret
metadata:
  name: ces
spec:
  externalSecretSpec:
    data: [{secretKey: a, remoteRef: {key: k}}]
`;
    const loud = await run(command, ['-f', '-'], dir);
    assert.match(loud.stdout, /warning: no namespaceSelectors/);
    const quiet = await run(command, ['-q', '-f', '-'], dir);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stdout, '');
    assert.match(quiet.stderr, /1 warning\(s\)/);
  });
});

void describe('ferry crds', () => {
  void it('prints six CRDs as YAML', async () => {
    const r = await run(crdsCommand, [], tmpdir());
    assert.equal(r.code, 0);
    assert.equal(r.stdout.match(/^kind: CustomResourceDefinition$/gm)?.length, 6);
  });

  void it('prints a JSON List with -o json', async () => {
    const r = await run(crdsCommand, ['-o', 'json'], tmpdir());
    assert.equal(r.code, 0);
    const list = JSON.parse(r.stdout) as { kind: string; items: unknown[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 6);
  });

  void it('exits 2 on unknown flags and formats', async () => {
    for (const args of [['--nope'], ['-o', 'xml']]) {
      const r = await run(crdsCommand, args, tmpdir());
      assert.ok(r.code instanceof UsageError);
      assert.equal(r.code.exitCode, 2);
    }
  });
});
