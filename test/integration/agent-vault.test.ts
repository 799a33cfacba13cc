/**
 * `ferry agent` as a real process against the real OpenBao: files and env written, a rotation
 * reaching the supervised command, and no secret value in the agent's own output.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTestEnv, repoRoot, type TestEnv } from '../env/testenv.ts';
import { eventually } from '../support/kube.ts';

let env: TestEnv;
let dir = '';
const id = randomBytes(4).toString('hex');
const CANARY = `canary-${randomBytes(6).toString('hex')}`;

async function bao(
  method: string,
  path: string,
  body: unknown,
  contentType = 'application/json',
): Promise<void> {
  const res = await fetch(`${env.vaultAddr}/v1/${path}`, {
    method,
    headers: { 'x-vault-token': env.vaultToken, 'content-type': contentType },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
}

before(async () => {
  env = loadTestEnv();
  dir = await mkdtemp(join(tmpdir(), 'ferry-agent-it-'));
  await bao('POST', `secret/data/agent-${id}/secrets`, {
    data: { database_password: CANARY, api_key: 'k-1' },
  });
  const manifests = `
apiVersion: v1
kind: Secret
metadata: { name: vault-token, namespace: ferry }
stringData: { token: "${env.vaultToken}" }
---
apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata: { name: bao }
spec:
  provider:
    vault:
      server: ${env.vaultAddr}
      path: secret
      version: v2
      auth: { tokenSecretRef: { name: vault-token, namespace: ferry, key: token } }
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: { name: app, namespace: default }
spec:
  refreshInterval: 1s
  secretStoreRef: { name: bao, kind: ClusterSecretStore }
  target: { name: app-secrets }
  data:
    - secretKey: DATABASE_PASSWORD
      remoteRef: { key: secret/data/agent-${id}/secrets, property: database_password }
    - secretKey: API_KEY
      remoteRef: { key: agent-${id}/secrets, property: api_key }
`;
  await writeFile(join(dir, 'manifests.yaml'), manifests);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ferry agent against OpenBao', () => {
  it('syncs once into files and .env with --once', async () => {
    const out = join(dir, 'once');
    const code = await new Promise<number | null>((resolve) => {
      spawn(
        process.execPath,
        [
          join(repoRoot, 'bin/ferry.js'),
          'agent',
          '-f',
          join(dir, 'manifests.yaml'),
          '-o',
          out,
          '--once',
        ],
        {
          stdio: 'ignore',
        },
      ).on('exit', resolve);
    });
    assert.equal(code, 0);
    assert.equal(
      await readFile(join(out, 'default/app-secrets/DATABASE_PASSWORD'), 'utf8'),
      CANARY,
    );
    assert.equal(
      await readFile(join(out, 'default/app-secrets.env'), 'utf8'),
      `API_KEY="k-1"\nDATABASE_PASSWORD="${CANARY}"\n`,
    );
  });

  it('restarts the command with the rotated value within refreshInterval + 5 s', async () => {
    const out = join(dir, 'run');
    const seen = join(dir, 'seen');
    const script = `require('fs').writeFileSync(${JSON.stringify(seen)}, process.env.DATABASE_PASSWORD ?? ''); setInterval(() => {}, 1000)`;
    const agent = spawn(
      process.execPath,
      [
        join(repoRoot, 'bin/ferry.js'),
        'agent',
        '-f',
        join(dir, 'manifests.yaml'),
        '-o',
        out,
        '--',
        process.execPath,
        '-e',
        script,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    agent.stdout.on('data', (d: Buffer) => (output += d.toString()));
    agent.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => agent.on('exit', resolve));
    try {
      await eventually(
        'the first value',
        async () => ((await readFile(seen, 'utf8')) === CANARY ? true : undefined),
        15_000,
      );
      const rotated = `${CANARY}-rotated`;
      await bao(
        'PATCH',
        `secret/data/agent-${id}/secrets`,
        { data: { database_password: rotated } },
        'application/merge-patch+json',
      );
      const started = Date.now();
      await eventually(
        'the rotated value',
        async () => ((await readFile(seen, 'utf8')) === rotated ? true : undefined),
        6_000,
      );
      assert.ok(Date.now() - started < 6_000);
    } finally {
      agent.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.ok(!output.includes(CANARY), 'no secret value in the agent output');
    assert.match(output, /secret created/);
  });
});
