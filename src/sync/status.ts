/**
 * The ExternalSecret's status as ESO writes it (eso.md §2.1 `markAsDone`/`markAsFailed`,
 * `SetExternalSecretCondition`, §9.16): a single `Ready` condition whose lastTransitionTime
 * changes only when its status flips.
 */
import type { Condition, ExternalSecret, ExternalSecretStatus } from '../api/types.ts';
import type { SyncEvent } from './events.ts';
import { syncedResourceVersion } from './hash.ts';

export const Reason = {
  SecretSynced: 'SecretSynced',
  SecretSyncedError: 'SecretSyncedError',
  SecretDeleted: 'SecretDeleted',
  SecretMissing: 'SecretMissing',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

/** Ready condition messages, exactly ESO's. */
export const Message = {
  synced: 'secret synced',
  syncedRetain: 'secret retained due to DeletionPolicy=Retain',
  deleted: 'secret deleted due to DeletionPolicy=Delete',
  missing: 'secret will not be created due to CreationPolicy=Merge',
  errorGetSecretData: 'could not get secret data from provider',
  errorDeleteSecret: 'could not delete secret',
  errorDeleteOrphaned: 'could not delete orphaned secrets',
  errorUpdateSecret: 'could not update secret',
  errorUpdateImmutable: 'could not update secret, target is immutable',
  errorBecomeOwner: 'failed to take ownership of target secret',
  errorIsOwned: 'target is owned by another ExternalSecret',
} as const;

/** metav1.Time's wire form: RFC 3339, whole seconds, UTC. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** ESO `SetExternalSecretCondition` for the Ready condition; returns a new status. */
export function setReadyCondition(
  status: ExternalSecretStatus | undefined,
  next: { status: 'True' | 'False'; reason: Reason; message: string },
  nowMs: number,
): ExternalSecretStatus {
  const conditions = status?.conditions ?? [];
  const current = conditions.find((c) => c.type === 'Ready');
  if (
    current &&
    current.status === next.status &&
    current.reason === next.reason &&
    current.message === next.message
  ) {
    return { ...status, conditions: [...conditions] };
  }
  const keepTime =
    current !== undefined &&
    current.status === next.status &&
    current.lastTransitionTime !== undefined;
  const condition: Condition = {
    type: 'Ready',
    status: next.status,
    reason: next.reason,
    message: next.message,
    lastTransitionTime: keepTime ? current.lastTransitionTime : formatTime(nowMs),
  };
  return { ...status, conditions: [...conditions.filter((c) => c.type !== 'Ready'), condition] };
}

/** ESO `markAsDone`: Ready=True, refreshTime = reconcile start, syncedResourceVersion. */
export function markDone(
  es: ExternalSecret,
  reason: Reason,
  message: string,
  startMs: number,
): ExternalSecretStatus {
  const status = setReadyCondition(es.status, { status: 'True', reason, message }, startMs);
  return {
    ...status,
    refreshTime: formatTime(startMs),
    syncedResourceVersion: syncedResourceVersion(es.metadata),
  };
}

/**
 * ESO `markAsFailed`: Ready=False with a generic message; the detail goes only into the Warning
 * event `UpdateFailed` (already redacted by the caller).
 */
export function markFailed(
  es: ExternalSecret,
  message: string,
  detail: string,
  nowMs: number,
): { status: ExternalSecretStatus; event: SyncEvent } {
  return {
    status: setReadyCondition(
      es.status,
      { status: 'False', reason: Reason.SecretSyncedError, message },
      nowMs,
    ),
    event: { type: 'Warning', reason: 'UpdateFailed', message: detail },
  };
}
