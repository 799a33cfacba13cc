/**
 * When an ExternalSecret refreshes and when it is looked at again (ESO `shouldRefresh`,
 * `isSecretValid`, `getRequeueResult`; eso.md §2.4, §9.6–§9.8). Time is injected (ms epoch).
 */
import { parseGoDuration } from '../api/duration.ts';
import type { ExternalSecret } from '../api/types.ts';
import { dataHash, syncedResourceVersion } from './hash.ts';
import { syncWindowsAllow } from './syncwindow.ts';
import type { TargetSecret } from './target-secret.ts';

export const LABEL_MANAGED = 'reconcile.external-secrets.io/managed';
export const ANNOTATION_DATA_HASH = 'reconcile.external-secrets.io/data-hash';

const DEFAULT_INTERVAL_MS = 60 * 60 * 1000;

/** `spec.refreshInterval` in ms; absent means the 1h default, `0s` means sync once. */
export function refreshIntervalMs(es: ExternalSecret): number {
  const text = es.spec.refreshInterval;
  return text === undefined || text === '' ? DEFAULT_INTERVAL_MS : parseGoDuration(text);
}

/** `status.refreshTime` in ms, or undefined when zero/unset (Go's zero time counts as unset). */
export function refreshTimeMs(es: ExternalSecret): number | undefined {
  const text = es.status?.refreshTime;
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms <= Date.parse('0001-01-01T00:00:00Z') ? undefined : ms;
}

/** Whether sync windows permit a periodic refresh now (default: ESO's `spec.syncWindows` rules). */
export type SyncWindowCheck = (es: ExternalSecret, nowMs: number) => boolean;

/** ESO: due once refreshTime + interval has passed; a planned `dueAtMs` replaces that time. */
function notYetDue(es: ExternalSecret, lastMs: number, nowMs: number, dueAtMs?: number): boolean {
  return dueAtMs === undefined ? lastMs + refreshIntervalMs(es) >= nowMs : dueAtMs > nowMs;
}

function shouldRefreshPeriodic(
  es: ExternalSecret,
  nowMs: number,
  windows?: SyncWindowCheck,
  dueAtMs?: number,
): boolean {
  const synced = es.status?.syncedResourceVersion ?? '';
  if (refreshIntervalMs(es) <= 0 && synced !== '') return false;
  if (synced !== syncedResourceVersion(es.metadata)) return true;
  const last = refreshTimeMs(es);
  if (last === undefined || last > nowMs) return true;
  if (notYetDue(es, last, nowMs, dueAtMs)) return false;
  return (windows ?? syncWindowsAllow)(es, nowMs);
}

/**
 * ESO `shouldRefresh` for CreatedOnce, OnChange and Periodic (the default). `dueAtMs`, when the
 * caller has planned the next periodic refresh (ADR 0013), replaces refreshTime + interval as
 * the time it falls due.
 */
export function shouldRefresh(
  es: ExternalSecret,
  nowMs: number,
  windows?: SyncWindowCheck,
  dueAtMs?: number,
): boolean {
  const synced = es.status?.syncedResourceVersion ?? '';
  const neverSynced = synced === '' || refreshTimeMs(es) === undefined;
  switch (es.spec.refreshPolicy) {
    case 'CreatedOnce':
      return neverSynced;
    case 'OnChange':
      return neverSynced || synced !== syncedResourceVersion(es.metadata);
    default:
      return shouldRefreshPeriodic(es, nowMs, windows, dueAtMs);
  }
}

/**
 * Whether a refresh now would be a periodic one: due only because its time came. Not when the
 * object was never synced, its spec or metadata changed (this includes the force-sync
 * annotation), its Secret is missing or edited, or its last sync failed (a retry).
 */
export function isPeriodicRefresh(
  es: ExternalSecret,
  existing: TargetSecret | undefined,
  nowMs: number,
): boolean {
  const ready = es.status?.conditions?.find((c) => c.type === 'Ready');
  return (
    ready?.status === 'True' &&
    !shouldRefresh(es, nowMs, undefined, Number.POSITIVE_INFINITY) &&
    isSecretValid(es, existing)
  );
}

/** Longest read-share window of a periodic refresh, whatever its interval (ADR 0015). */
export const MAX_READ_SHARE_WINDOW_MS = 10 * 60 * 1000;

/**
 * How old a read, shared by another reconcile of the namespace, a periodic refresh of `es` may
 * reuse: `fraction` of its refresh interval, at most 10 min (ADR 0015). 0 shares nothing beyond
 * the in-flight burst window.
 */
export function readShareWindowMs(es: ExternalSecret, fraction: number): number {
  const interval = refreshIntervalMs(es);
  if (!(fraction > 0) || interval <= 0) return 0;
  return Math.min(Math.round(interval * fraction), MAX_READ_SHARE_WINDOW_MS);
}

/** ESO `isSecretValid`: exists, carries the managed label, and its data matches the hash. */
export function isSecretValid(es: ExternalSecret, existing: TargetSecret | undefined): boolean {
  if (es.spec.target?.creationPolicy === 'Orphan') return true;
  if (!existing) return false;
  if (existing.metadata.labels?.[LABEL_MANAGED] !== 'true') return false;
  return existing.metadata.annotations?.[ANNOTATION_DATA_HASH] === dataHash(existing.data);
}

/** When to look again: `undefined` means never (interval 0), 0 means now. */
export function requeueAfterMs(es: ExternalSecret, nowMs: number): number | undefined {
  const interval = refreshIntervalMs(es);
  if (interval <= 0) return undefined;
  const last = refreshTimeMs(es);
  if (last === undefined) return interval;
  const elapsed = nowMs - last;
  if (elapsed < 0) return 0;
  return elapsed < interval ? interval - elapsed : 0;
}

/**
 * Spreads a delay by ±`fraction` (default 10 %) so equal intervals and restarts do not hit a
 * store at once (DESIGN.md). `random` returns [0, 1); 0 stays 0.
 */
export function jitter(delayMs: number, random: () => number, fraction = 0.1): number {
  if (delayMs <= 0) return delayMs;
  return Math.max(0, Math.round(delayMs * (1 + (2 * random() - 1) * fraction)));
}
