import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markDone, markFailed, Message, Reason, setReadyCondition } from './status.ts';
import { externalSecret } from './testing.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('Ready condition bookkeeping (eso.md §2.1, §9.16)', () => {
  it('a first condition gets lastTransitionTime now', () => {
    const s = setReadyCondition(
      undefined,
      { status: 'True', reason: Reason.SecretSynced, message: Message.synced },
      T0,
    );
    assert.deepEqual(s.conditions, [
      {
        type: 'Ready',
        status: 'True',
        reason: 'SecretSynced',
        message: 'secret synced',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ]);
  });
  it('a reason change without a status flip keeps lastTransitionTime', () => {
    const a = setReadyCondition(
      undefined,
      { status: 'True', reason: Reason.SecretSynced, message: Message.synced },
      T0,
    );
    const b = setReadyCondition(
      a,
      { status: 'True', reason: Reason.SecretDeleted, message: Message.deleted },
      T0 + 60_000,
    );
    assert.equal(b.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(b.conditions[0].reason, 'SecretDeleted');
  });
  it('a status flip moves lastTransitionTime', () => {
    const a = setReadyCondition(
      undefined,
      { status: 'True', reason: Reason.SecretSynced, message: Message.synced },
      T0,
    );
    const b = setReadyCondition(
      a,
      { status: 'False', reason: Reason.SecretSyncedError, message: Message.errorUpdateSecret },
      T0 + 60_000,
    );
    assert.equal(b.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:01:00Z');
    assert.equal(b.conditions.length, 1);
  });
  it('markDone sets refreshTime to the reconcile start and the synced resource version', () => {
    const es = externalSecret({}, { generation: 4 });
    const s = markDone(es, Reason.SecretSynced, Message.synced, T0 + 1500);
    assert.equal(s.refreshTime, '2026-01-01T00:00:01Z');
    assert.match(s.syncedResourceVersion ?? '', /^4-[0-9a-f]{56}$/);
  });
  it('markFailed keeps the detail out of the condition and in the UpdateFailed event', () => {
    const { status, event } = markFailed(
      externalSecret({}),
      Message.errorGetSecretData,
      'detail text',
      T0,
    );
    assert.equal(status.conditions?.[0]?.message, 'could not get secret data from provider');
    assert.equal(status.conditions[0].status, 'False');
    assert.deepEqual(event, { type: 'Warning', reason: 'UpdateFailed', message: 'detail text' });
  });
});
