/**
 * ESO's sync windows (`isPeriodicRefreshAllowedByWindows`, eso.md §2.4): a window is active
 * when prev ≤ now ≤ prev + duration, where prev is the schedule's latest firing. `deny` blocks
 * periodic refreshes while any window is active, `allow` permits them only then; unparseable
 * schedules are ignored.
 */
import { parseGoDuration } from '../api/duration.ts';
import type { ExternalSecret } from '../api/types.ts';
import { parseSchedule } from './cron.ts';

function isActive(schedule: string, duration: string, nowMs: number): boolean {
  let durationMs: number;
  let next: (t: number) => number | undefined;
  try {
    durationMs = parseGoDuration(duration);
    const parsed = parseSchedule(schedule);
    next = (t) => parsed.next(t);
  } catch {
    return false;
  }
  // robfig's Next is strictly after its argument: back up by duration + 1s to find the opening.
  const prev = next(nowMs - durationMs - 1000);
  return prev !== undefined && prev <= nowMs && nowMs <= prev + durationMs;
}

/** Whether the ExternalSecret's sync windows permit a periodic refresh at `nowMs`. */
export function syncWindowsAllow(es: ExternalSecret, nowMs: number): boolean {
  const sw = es.spec.syncWindows;
  if (!sw || sw.windows.length === 0) return true;
  const anyActive = sw.windows.some((w) => isActive(w.schedule, w.duration, nowMs));
  const kind: string = sw.kind; // any other value permits, as in ESO
  if (kind === 'deny') return !anyActive;
  if (kind === 'allow') return anyActive;
  return true;
}
