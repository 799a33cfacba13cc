import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { main } from '../main.ts';
import type { CommandIO } from '../command.ts';

async function workdir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-template-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function ferry(
  dir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (chunks.out += c.toString()));
  stderr.on('data', (c: Buffer) => (chunks.err += c.toString()));
  const io: CommandIO = {
    stdout,
    stderr,
    env: {},
    cwd: dir,
    shutdown: new AbortController().signal,
  };
  const code = await main(['template', ...args], io);
  return { code, stdout: chunks.out, stderr: chunks.err };
}

const ES = (template: string): string => `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: demo}
spec:
  target:
    template:
${template}
`;
const DATA = 'user: YWRtaW4=\npassword: czNjcjN0\n';
const BASE = ['--source-templated-object', 'es.yaml', '--source-secret-data-file', 'data.yaml'];

describe('ferry template (esoctl-compatible)', () => {
  it('renders templateFrom, data and labels and prints the Secret with base64 data', async () => {
    const dir = await workdir({
      'es.yaml': ES(
        '      metadata: {labels: {who: "{{ .user }}"}}\n      data: {dsn: "db://{{ .user }}:{{ .password }}"}\n      templateFrom: [{literal: "k-{{ .user }}: v"}]',
      ),
      'data.yaml': DATA,
    });
    const r = await ferry(dir, BASE);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `data:\n  dsn: ${Buffer.from('db://admin:s3cr3t').toString('base64')}\n  k-admin: dg==\nmetadata:\n  creationTimestamp: null\n  labels:\n    who: admin\n\n`,
    );
  });

  it('reads a PushSecret template from spec.template', async () => {
    const dir = await workdir({
      'es.yaml':
        'apiVersion: external-secrets.io/v1alpha1\nkind: PushSecret\nspec:\n  template:\n    data: {u: "{{ .user }}"}\n',
      'data.yaml': DATA,
    });
    const r = await ferry(dir, BASE);
    assert.match(r.stdout, /u: YWRtaW4=/);
  });

  it('uses the given ConfigMap and Secret for templateFrom and writes --output', async () => {
    const dir = await workdir({
      'es.yaml': ES(
        '      templateFrom:\n        - configMap: {name: any, items: [{key: c}]}\n        - secret: {name: other, items: [{key: s}]}',
      ),
      'data.yaml': DATA,
      'cm.yaml': 'data:\n  c: "cm-{{ .user }}"\n',
      'sec.yaml': `data:\n  s: ${Buffer.from('sec-{{ .password }}').toString('base64')}\n`,
    });
    const r = await ferry(dir, [
      ...BASE,
      '--template-from-config-map',
      'cm.yaml',
      '--template-from-secret=sec.yaml',
      '--output',
      'out.yaml',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = await readFile(join(dir, 'out.yaml'), 'utf8');
    assert.match(out, new RegExp(`c: ${Buffer.from('cm-admin').toString('base64')}`));
    assert.match(out, new RegExp(`s: ${Buffer.from('sec-s3cr3t').toString('base64')}`));
  });

  const failures: { name: string; es: string; data?: string; message: RegExp }[] = [
    {
      name: 'a template parse error names the key and line',
      es: ES('      data: {bad: "{{ .user | nope }}"}'),
      message:
        /unable to parse template at key bad: .*function "nope" not defined \(key "bad", line 1:11\)/,
    },
    {
      name: 'a missing key names the key, line and column',
      es: ES('      data: {k: "x{{ .missing }}"}'),
      message:
        /unable to execute template at key k: .*map has no entry for key "missing" \(key "k", line 1:4\)/,
    },
    {
      name: 'bad base64 in the data file names the key and line:column',
      es: ES('      data: {k: v}'),
      data: 'user: "not base64!"\n',
      message: /data.yaml:1:7: secret data key "user": illegal base64 data at input byte 3/,
    },
    {
      name: 'an unsupported kind is rejected',
      es: 'kind: ConfigMap\n',
      message: /unsupported template kind ConfigMap/,
    },
    {
      name: 'invalid YAML reports file:line:column',
      es: 'kind: [unclosed\n',
      message: /es.yaml:\d+:\d+: invalid YAML/,
    },
  ];
  for (const f of failures) {
    it(`${f.name} (exit 1, no stack trace)`, async () => {
      const dir = await workdir({ 'es.yaml': f.es, 'data.yaml': f.data ?? DATA });
      const r = await ferry(dir, BASE);
      assert.equal(r.code, 1);
      assert.match(r.stderr, f.message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }

  it('never prints a secret value in an error', async () => {
    const dir = await workdir({
      'es.yaml': ES('      data: {k: "{{ fail .password }}"}'),
      'data.yaml': DATA,
    });
    const r = await ferry(dir, BASE);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /s3cr3t/);
  });

  it('missing required flags are a usage error (exit 2)', async () => {
    const r = await ferry(await workdir({}), ['--source-secret-data-file', 'data.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--source-templated-object is required/);
  });
});
