import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSync } from './run.ts';
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
