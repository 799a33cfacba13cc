import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDefaultRegistry } from '../providers/registry.ts';
import { goTemplateEngine } from '../sync/index.ts';
import { silentLogger } from '../telemetry/logger.ts';
import { Agent } from './agent.ts';
import { fakeDemoStore, SEED_VALUES } from './demo.ts';
import { loadManifests } from './manifests.ts';

const manifests = [
  'deploy/manifests/external-secrets.yaml',
  'deploy/manifests/external-secrets-files.yaml',
];
let out = '';

before(async () => {
  out = await mkdtemp(join(tmpdir(), 'ferry-agent-'));
});
after(async () => {
  await rm(out, { recursive: true, force: true });
});

async function newAgent(now: { ms: number }, withStore = true) {
  const set = await loadManifests(manifests);
  if (withStore) set.stores.push(fakeDemoStore());
  const clock = { now: () => now.ms };
  return new Agent({
    manifests: set,
    outputDir: out,
    registry: createDefaultRegistry({ clock }),
    engine: goTemplateEngine(),
    clock,
    logger: silentLogger(),
    fetch: globalThis.fetch,
    random: () => 0.5,
  });
}

describe('agent', () => {
  it("writes the seed's four targets as files and env vars", async () => {
    const now = { ms: Date.parse('2026-11-28T00:00:00Z') };
    const agent = await newAgent(now);
    const pass = await agent.syncDue();
    assert.deepEqual(pass, { envChanged: true, failed: 0 });
    const secrets = SEED_VALUES['secret/data/demo-app/secrets']!;
    assert.equal(
      await readFile(join(out, 'default/demo-app-secrets/DATABASE_PASSWORD'), 'utf8'),
      secrets['database_password'],
    );
    const files = SEED_VALUES['secret/data/demo-app/tls-files']!;
    assert.equal(
      await readFile(join(out, 'default/demo-app-tls-files/tls.crt'), 'utf8'),
      files['tls.crt'],
    );
    assert.match(
      await readFile(join(out, 'default/demo-app-config.env'), 'utf8'),
      /^APP_NAME="External Secrets Demo"$/m,
    );
    assert.deepEqual(Object.keys(agent.environment()).sort(), [
      'API_KEY',
      'APP_NAME',
      'DATABASE_PASSWORD',
      'DEBUG_MODE',
      'MAX_CONNECTIONS',
    ]);
  });

  it('refreshes on refreshInterval and rewrites nothing when nothing changed', async () => {
    const now = { ms: Date.parse('2026-11-28T00:00:00Z') };
    const agent = await newAgent(now);
    await agent.syncDue();
    const versions = await readdir(join(out, 'default/demo-app-secrets'));
    assert.equal(agent.nextDueIn(), 10_000, 'refreshInterval 10s, jitter centred');
    now.ms += 10_000;
    const pass = await agent.syncDue();
    assert.deepEqual(pass, { envChanged: false, failed: 0 });
    assert.deepEqual(await readdir(join(out, 'default/demo-app-secrets')), versions);
  });

  it('reports a missing store, writes no target and backs off', async () => {
    const now = { ms: Date.parse('2026-11-28T00:00:00Z') };
    const empty = await mkdtemp(join(tmpdir(), 'ferry-agent-empty-'));
    const set = await loadManifests(manifests);
    const clock = { now: () => now.ms };
    const agent = new Agent({
      manifests: set,
      outputDir: empty,
      registry: createDefaultRegistry({ clock }),
      engine: goTemplateEngine(),
      clock,
      logger: silentLogger(),
      fetch: globalThis.fetch,
      random: () => 0.5,
    });
    const pass = await agent.syncDue();
    assert.equal(pass.failed, 4);
    assert.deepEqual(await readdir(empty), []);
    assert.equal(agent.nextDueIn(), 1000, 'first retry after 1 s');
    await rm(empty, { recursive: true, force: true });
  });
});
