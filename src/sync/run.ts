/**
 * One reconcile of an ExternalSecret against a target, minus the writing: decide whether to
 * refresh, read the stores, and compute the result. Callers (operator, agent) perform the
 * returned action and record the events.
 */
import type { ExternalSecret } from '../api/types.ts';
import type { Clock } from '../providers/provider.ts';
import type { FetchDeps } from './fetch.ts';
import { fetchProviderData } from './fetch.ts';
import type { SyncWindowCheck } from './refresh.ts';
import { isPeriodicRefresh, readShareWindowMs } from './refresh.ts';
import type { Requeue, SyncInput, SyncResult } from './sync.ts';
import { planSync, syncExternalSecret } from './sync.ts';
import type { TargetSecret } from './target-secret.ts';

export interface RunSyncOptions extends Omit<SyncInput, 'es' | 'existing' | 'fetched' | 'nowMs'> {
  clock: Clock;
  fetch: FetchDeps;
  windows?: SyncWindowCheck;
  /** The caller's planned time of the next periodic refresh (see `shouldRefresh`). */
  refreshDueAtMs?: number | undefined;
  /**
   * Refresh read sharing (ADR 0015): a periodic refresh may reuse a read shared within this
   * fraction of its refresh interval (`readShareWindowMs`). Absent or 0: reads as before.
   */
  refreshReadShare?: number | undefined;
}

export type RunSyncResult = ({ skipped: false } & SyncResult) | { skipped: true; requeue: Requeue };

export async function runSync(
  es: ExternalSecret,
  existing: TargetSecret | undefined,
  options: RunSyncOptions,
): Promise<RunSyncResult> {
  const { clock, fetch, windows, refreshDueAtMs, refreshReadShare, ...rest } = options;
  const nowMs = clock.now();
  const plan = planSync(es, existing, nowMs, {
    ...(windows ? { windows } : {}),
    ...(rest.random ? { random: rest.random } : {}),
    ...(refreshDueAtMs !== undefined ? { refreshDueAtMs } : {}),
  });
  if (!plan.refresh) return { skipped: true, requeue: plan.requeue };
  const shareMs = isPeriodicRefresh(es, existing, nowMs)
    ? readShareWindowMs(es, refreshReadShare ?? 0)
    : 0;
  const fetched = await fetchProviderData(
    es,
    shareMs > 0 ? { ...fetch, maxAgeMs: shareMs } : fetch,
  );
  return { skipped: false, ...syncExternalSecret({ ...rest, es, existing, fetched, nowMs }) };
}
