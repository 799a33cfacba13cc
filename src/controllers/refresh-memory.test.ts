import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefreshMemory } from './refresh-memory.ts';

describe('RefreshMemory', () => {
  const condition = { type: 'Ready', status: 'True' };
  const status = { refreshTime: '2026-01-01T00:00:00Z', conditions: [condition] };

  it('remembers the time of a refresh that changed nothing else, and applies it', () => {
    const m = new RefreshMemory();
    const next = { ...status, refreshTime: '2026-01-01T01:00:00Z' };
    assert.equal(m.needsWrite('k', status, next), false);
    assert.equal(m.apply('k', { status }).status.refreshTime, '2026-01-01T01:00:00Z');
    assert.equal(m.apply('other', { status }).status.refreshTime, status.refreshTime);
  });

  it('asks for a write when anything but refreshTime differs, key order aside', () => {
    const m = new RefreshMemory();
    const flipped = { conditions: [{ status: 'False', type: 'Ready' }], refreshTime: 'x' };
    assert.equal(m.needsWrite('k', status, flipped), true);
    const reordered = { conditions: [{ status: 'True', type: 'Ready' }], refreshTime: undefined };
    assert.equal(m.needsWrite('k', status, reordered), false);
  });

  it('never moves a stored time backwards, and forgets on request', () => {
    const m = new RefreshMemory();
    m.needsWrite('k', status, { ...status, refreshTime: '2025-01-01T00:00:00Z' });
    assert.equal(m.apply('k', { status }).status.refreshTime, status.refreshTime);
    m.needsWrite('k', status, { ...status, refreshTime: '2027-01-01T00:00:00Z' });
    m.forget('k');
    assert.equal(m.apply('k', { status }).status.refreshTime, status.refreshTime);
  });
});
