/**
 * The PushSecret status as ESO writes it (eso.md §1.5, `markAsDone`/`markAsFailed`/
 * `markAsSourceDeleted`): one Ready condition whose lastTransitionTime moves only when its status
 * flips, `syncedPushSecrets` keyed `<Kind>/<store>` then `remoteKey[/property]`, and the refresh
 * bookkeeping (`refreshTime`, `syncedResourceVersion`).
 */
import { canonical } from '../../sync/equality.ts';
import type { Condition, PushSecretData, PushSecretStatus } from '../../api/types.ts';
import { formatTime } from '../../sync/status.ts';

export type SyncedMap = Record<string, Record<string, PushSecretData>>;

export const PushReason = {
  Synced: 'Synced',
  Errored: 'Errored',
  SourceDeleted: 'SourceDeleted',
} as const;

export const PushMessage = {
  synced: 'PushSecret synced successfully',
  syncedIfNotExists: 'PushSecret synced successfully. Existing secrets in providers unchanged.',
  sourceDeleted: 'source secret deleted; provider secrets cleaned up',
  getSource: 'could not get source secret',
} as const;

/** ESO `SetPushSecretCondition`: replaces Ready, keeping lastTransitionTime if status is the same. */
export function withReady(
  status: PushSecretStatus | undefined,
  ready: { status: 'True' | 'False'; reason: string; message: string },
  nowMs: number,
): PushSecretStatus {
  const conditions = status?.conditions ?? [];
  const old = conditions.find((c) => c.type === 'Ready');
  const condition: Condition = {
    type: 'Ready',
    status: ready.status,
    reason: ready.reason,
    message: ready.message,
    lastTransitionTime:
      (old?.status === ready.status ? old.lastTransitionTime : undefined) ?? formatTime(nowMs),
  };
  return {
    ...status,
    conditions: [...conditions.filter((c) => c.type !== 'Ready'), condition],
  };
}

/** ESO `mergeSecretState`: entries of `next` plus those of `old` not in it, per store. */
export function mergeSynced(next: SyncedMap, old: SyncedMap | undefined): SyncedMap {
  const out: SyncedMap = structuredClone(next);
  for (const [store, entries] of Object.entries(old ?? {})) {
    out[store] = { ...entries, ...out[store] };
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The RFC 7386 merge patch that turns `before` into `after`: changed members, `null` for removed
 * ones (so a dropped `syncedPushSecrets` entry really goes), arrays whole.
 */
export function mergePatchOf(before: unknown, after: unknown): unknown {
  if (!isPlainObject(before) || !isPlainObject(after)) return after === undefined ? null : after;
  const patch = new Map<string, unknown>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (b === undefined) {
      if (a !== undefined) patch.set(key, null);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      patch.set(key, isPlainObject(a) && isPlainObject(b) ? mergePatchOf(a, b) : b);
    }
  }
  return Object.fromEntries(patch);
}

/** Deterministic JSON (sorted keys) for "did anything change" checks. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}
