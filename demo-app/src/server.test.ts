import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rename, symlink, writeFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readConfig } from './config.ts';
import { createDemoServer } from './server.ts';

const CANARY = 'canary-9f3b-super_secret_db_pass';
let base = '';
let root = '';
const logs: string[] = [];
let close: () => Promise<void> = () => Promise.resolve();

/** Lays out a directory the way the kubelet does: files are symlinks through `..data`. */
async function kubeletDir(
  dir: string,
  files: Record<string, string>,
  generation: string,
): Promise<void> {
  const stamped = join(dir, `..${generation}`);
  await mkdir(stamped, { recursive: true });
  for (const [name, value] of Object.entries(files)) await writeFile(join(stamped, name), value);
  await symlink(`..${generation}`, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const name of Object.keys(files)) {
    await symlink(join('..data', name), join(dir, name)).catch(() => undefined);
  }
}

async function get(path: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'demo-app-'));
  const secretsDir = join(root, 'secrets');
  const configDir = join(root, 'config');
  await mkdir(secretsDir);
  await mkdir(configDir);
  await kubeletDir(
    secretsDir,
    {
      'tls.crt': '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n',
      'tls.key': 'key',
    },
    '2026_01',
  );
  await kubeletDir(configDir, { 'database.conf': 'host=db\nport=5432\n' }, '2026_01');
  const config = readConfig({
    DEMO_PORT: '0',
    DEMO_SECRETS_DIR: secretsDir,
    DEMO_CONFIG_DIR: configDir,
  });
  const env = {
    DATABASE_PASSWORD: CANARY,
    API_KEY: 'sk-demo',
    APP_NAME: 'External Secrets Demo <script>alert(1)</script>',
    DEBUG_MODE: 'true',
    MAX_CONNECTIONS: '100',
    PATH: '/usr/bin',
  };
  const server = createDemoServer({ config, env: () => env, log: (l) => logs.push(l) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () =>
    new Promise((r) =>
      server.close(() => {
        r();
      }),
    );
});

after(async () => {
  await close();
  await rm(root, { recursive: true, force: true });
});

describe('demo app', () => {
  it('counts 2 secrets, 3 configs, 3 files and the rest as system, adding up to the total', async () => {
    const res = await get('/api/combined');
    const body = JSON.parse(res.body) as {
      counts: Record<string, number>;
      total: number;
      items: { key: string }[];
    };
    assert.deepEqual(body.counts, { secret: 2, config: 3, system: 1, file: 3 });
    assert.equal(body.total, 9);
    assert.ok(!body.items.some((i) => i.key.startsWith('..')), 'no ..data entries');
  });

  it('masks values in the page and sends a strict CSP', async () => {
    const res = await get('/combined');
    assert.equal(res.status, 200);
    assert.ok(!res.body.includes(CANARY), 'secret value not in the HTML');
    assert.match(res.body, /data-stat="secret">2</);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /unsafe-inline/);
  });

  it('reveals values only through the API, as JSON', async () => {
    const masked = await get('/api/env');
    assert.ok(!masked.body.includes(CANARY));
    const revealed = JSON.parse((await get('/api/env?reveal=true')).body) as {
      items: { key: string; value: string }[];
    };
    assert.equal(revealed.items.find((i) => i.key === 'DATABASE_PASSWORD')?.value, CANARY);
  });

  it('escapes markup in keys and values', async () => {
    const res = await get('/api/env?reveal=true');
    assert.match(res.body, /<script>alert/); // JSON carries the raw text; the page inserts it with textContent
    const page = await get('/env');
    assert.ok(!page.body.includes('<script>alert'));
  });

  it('re-reads files after the ..data symlink is swapped', async () => {
    const before = JSON.parse((await get('/api/files')).body) as { digest: string };
    const configDir = join(root, 'config');
    await kubeletDir(configDir, { 'database.conf': 'host=db2\n' }, '2026_02');
    const after = JSON.parse((await get('/api/files?reveal=true')).body) as {
      digest: string;
      items: { key: string; value: string }[];
    };
    assert.notEqual(after.digest, before.digest);
    assert.equal(after.items.find((i) => i.key === 'database.conf')?.value, 'host=db2\n');
  });

  it('serves /healthz and 404s unknown paths', async () => {
    assert.equal((await get('/healthz')).status, 200);
    assert.equal((await get('/nope')).status, 404);
  });

  it('never logs a value', () => {
    assert.ok(logs.length > 0);
    assert.ok(!logs.some((l) => l.includes(CANARY) || l.includes('reveal')));
  });
});
