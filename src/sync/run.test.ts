import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExternalSecret } from '../api/types.ts';
import { Coalescer } from './coalescer.ts';
import { runSync, type RunSyncOptions } from './run.ts';
import type { TargetSecret } from './target-secret.ts';
import { goTemplateEngine } from './template/default-engine.ts';
import { externalSecret, memoryClient } from './testing.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('runSync', () => {
  const es = externalSecret({ data: [{ secretKey: 'k', remoteRef: { key: 'a' } }] });

  it('a new ExternalSecret is fetched and synced', async () => {
    const { client, reads } = memoryClient({ a: 'v' });
    const r = await runSync(es, undefined, {
      clock: { now: () => T0 },
      engine: goTemplateEngine(),
      fetch: { clientFor: () => Promise.resolve(client) },
    });
    assert.equal(r.skipped, false);
    assert.deepEqual(reads, ['a']);
    assert.equal(r.action.kind, 'create');
  });

  it('a synced ExternalSecret with a valid Secret is skipped without reading the store', async () => {
    const { client, reads } = memoryClient({ a: 'v' });
    const opts = {
      clock: { now: () => T0 },
      engine: goTemplateEngine(),
      fetch: { clientFor: () => Promise.resolve(client) },
      random: () => 0.5,
    };
    const first = await runSync(es, undefined, opts);
    assert.ok(!first.skipped && first.action.kind === 'create');
    const secret: TargetSecret = {
      ...first.action.secret,
      metadata: { ...first.action.secret.metadata, uid: 's' },
    };
    const later = { ...opts, clock: { now: () => T0 + 60_000 } };
    const second = await runSync({ ...es, status: first.status }, secret, later);
    assert.deepEqual(second, { skipped: true, requeue: { kind: 'after', ms: 3_540_000 } });
    assert.deepEqual(reads, ['a']);
  });
});

describe('runSync: refresh read sharing (ADR 0015)', () => {
  const HOUR = 3_600_000;
  const MINUTE = 60_000;
  const DUE = T0 + HOUR + 1;

  /** Three ExternalSecrets of one namespace reading key `a`, all synced at T0, sharing reads. */
  async function world(refreshReadShare: number) {
    const values: Record<string, string> = { a: 'v1' };
    const { client, reads } = memoryClient(values);
    let now = T0;
    const options: RunSyncOptions = {
      clock: { now: () => now },
      engine: goTemplateEngine(),
      fetch: {
        clientFor: () => Promise.resolve(client),
        coalescer: new Coalescer({ ttlMs: 1000, now: () => now }),
      },
      refreshReadShare,
    };
    const objects = new Map<string, { es: ExternalSecret; secret: TargetSecret }>();
    for (const name of ['one', 'two', 'three']) {
      const es = externalSecret({ data: [{ secretKey: 'k', remoteRef: { key: 'a' } }] }, { name });
      const r = await runSync(es, undefined, options);
      assert.ok(!r.skipped && r.action.kind === 'create');
      objects.set(name, { es: { ...es, status: r.status }, secret: r.action.secret });
    }
    reads.length = 0;
    /** Refreshes `name` at `at` (as it stands, or edited); returns the value it would write. */
    const refresh = async (name: string, at: number, edit = (es: ExternalSecret) => es) => {
      now = at;
      const current = objects.get(name);
      assert.ok(current);
      const r = await runSync(edit(current.es), current.secret, options);
      assert.ok(!r.skipped, `${name} is due at ${String(at - T0)} ms`);
      const secret = r.action.kind === 'update' ? r.action.secret : current.secret;
      objects.set(name, { es: { ...current.es, status: r.status }, secret });
      return Buffer.from(secret.data.get('k') ?? []).toString();
    };
    return { values, reads, refresh };
  }

  it('periodic refreshes within the window (0.1 × 1h = 6 min) share one read, not beyond it', async () => {
    const w = await world(0.1);
    w.values['a'] = 'v2';
    assert.equal(await w.refresh('one', DUE), 'v2');
    assert.equal(await w.refresh('two', DUE + 6 * MINUTE - 1), 'v2');
    assert.deepEqual(w.reads, ['a'], 'one read for both refreshes');
    w.values['a'] = 'v3';
    assert.equal(await w.refresh('three', DUE + 6 * MINUTE), 'v3');
    assert.deepEqual(w.reads, ['a', 'a'], 'older than the window: read again');
  });

  it('with refreshReadShare 0 every periodic refresh reads, as before', async () => {
    const w = await world(0);
    await w.refresh('one', DUE);
    await w.refresh('two', DUE + 2_000);
    assert.deepEqual(w.reads, ['a', 'a']);
  });

  it('a force-sync reads fresh, and the next periodic refresh shares that read', async () => {
    const w = await world(0.1);
    await w.refresh('one', DUE);
    w.values['a'] = 'v2';
    const forceSync = (es: ExternalSecret) => ({
      ...es,
      metadata: { ...es.metadata, annotations: { 'force-sync': '1' } },
    });
    assert.equal(await w.refresh('two', DUE + 2_000, forceSync), 'v2', 'not the shared v1');
    w.values['a'] = 'v3';
    assert.equal(await w.refresh('three', DUE + 3_000), 'v2', "shares the force-sync's read");
    assert.deepEqual(w.reads, ['a', 'a']);
  });
});
