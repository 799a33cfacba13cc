/**
 * The demo as a person sees it: `ferry demo` fed by the real OpenBao, driven by Debian's
 * Chromium through playwright-core. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, loadTestEnv, repoRoot, type TestEnv } from '../env/testenv.ts';
import { eventually } from '../support/kube.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const results = join(repoRoot, 'test-results');
let env: TestEnv;
let demo: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let base = '';
let output = '';

async function patchSecret(path: string, data: Record<string, string>): Promise<void> {
  const res = await fetch(`${env.vaultAddr}/v1/secret/data/demo-app/${path}`, {
    method: 'PATCH',
    headers: { 'x-vault-token': env.vaultToken, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ data }),
  });
  assert.ok(res.ok, `PATCH ${path}: ${res.status}`);
}

before(async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does)`,
  );
  env = loadTestEnv();
  mkdirSync(results, { recursive: true });
  const init = spawnSync('bash', [join(repoRoot, 'deploy/vault/init-vault.sh')], {
    env: {
      ...process.env,
      VAULT_ADDR: env.vaultAddr,
      VAULT_TOKEN: env.vaultToken,
      WAIT_SECONDS: '10',
    },
    encoding: 'utf8',
  });
  assert.equal(init.status, 0, init.stderr);
  await patchSecret('config', { app_name: 'Demo <script>window.__xss = 1</script>' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  demo = spawn(process.execPath, [join(repoRoot, 'bin/ferry.js'), 'demo', '--port', String(port)], {
    env: { ...process.env, VAULT_ADDR: env.vaultAddr, VAULT_TOKEN: env.vaultToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  demo.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await eventually(
    'the demo app',
    async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined),
    30_000,
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  demo?.kill('SIGTERM');
});

const stat = (name: string) => page.locator(`[data-stat="${name}"]`).innerText();
const passwordCard = () => page.locator('pre.value[data-id="env:DATABASE_PASSWORD"]');

describe('demo app in a browser, fed by ferry demo from OpenBao', () => {
  it("shows the seed's 2 secrets, 3 configs and 3 files, masked", async () => {
    await page.goto(`${base}/combined`);
    assert.equal(await stat('secret'), '2');
    assert.equal(await stat('config'), '3');
    assert.equal(await stat('file'), '3');
    const total = Number(await stat('total'));
    const sum = ['secret', 'config', 'file', 'system'].map(async (c) => Number(await stat(c)));
    assert.equal(
      (await Promise.all(sum)).reduce((a, b) => a + b, 0),
      total,
    );
    const text = await page.locator('body').innerText();
    assert.ok(
      !text.includes('super_secret_db_pass_123') && !text.includes('sk-demo-api-key-xyz789'),
      'values are masked',
    );
    await page.screenshot({ path: join(results, 'demo-masked.png'), fullPage: true });
  });

  it('shows a value containing <script> as text', async () => {
    await page.locator('#reveal-all').click();
    const appName = page.locator('pre.value[data-id="env:APP_NAME"]');
    await eventually(
      'APP_NAME revealed',
      async () => ((await appName.innerText()).includes('<script>') ? true : undefined),
      5_000,
    );
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss),
      undefined,
    );
    await page.screenshot({ path: join(results, 'demo-revealed.png'), fullPage: true });
  });

  it('shows a rotated database_password within refreshInterval + 5 s', async () => {
    assert.equal(await passwordCard().innerText(), 'super_secret_db_pass_123');
    const rotated = `rotated-${Date.now()}`;
    await patchSecret('secrets', { database_password: rotated });
    const started = Date.now();
    await eventually(
      'the rotated value on the page',
      async () => ((await passwordCard().innerText()) === rotated ? true : undefined),
      15_000,
    );
    assert.ok(Date.now() - started <= 15_000);
    await page.screenshot({ path: join(results, 'demo-rotated.png'), fullPage: true });
    assert.ok(!output.includes(rotated), 'ferry demo never prints a value');
  });
});
