import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncWindows } from '../api/types.ts';
import { parseSchedule } from './cron.ts';
import { syncWindowsAllow } from './syncwindow.ts';
import { externalSecret } from './testing.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

describe('cron schedules (robfig/cron v3 subset)', () => {
  const cases: { spec: string; from: string; want: string }[] = [
    { spec: '0 2 * * *', from: '2026-01-01T00:00:00Z', want: '2026-01-01T02:00:00.000Z' },
    { spec: '0 2 * * *', from: '2026-01-01T02:00:00Z', want: '2026-01-02T02:00:00.000Z' },
    { spec: '*/15 * * * *', from: '2026-01-01T00:07:30Z', want: '2026-01-01T00:15:00.000Z' },
    { spec: '30 9 * * mon-fri', from: '2026-01-03T00:00:00Z', want: '2026-01-05T09:30:00.000Z' },
    { spec: '0 0 1 jan *', from: '2026-03-01T00:00:00Z', want: '2027-01-01T00:00:00.000Z' },
    { spec: '0 0 13 * 5', from: '2026-01-01T00:00:00Z', want: '2026-01-02T00:00:00.000Z' },
    { spec: '@daily', from: '2026-01-01T12:00:00Z', want: '2026-01-02T00:00:00.000Z' },
    { spec: '@every 90m', from: '2026-01-01T00:00:00Z', want: '2026-01-01T01:30:00.000Z' },
    { spec: '0 0 * * 7', from: '2026-01-01T00:00:00Z', want: '2026-01-04T00:00:00.000Z' },
  ];
  for (const c of cases)
    it(`${c.spec} after ${c.from} is ${c.want}`, () => {
      assert.equal(iso(parseSchedule(c.spec).next(at(c.from))), c.want);
    });

  for (const bad of ['* * * *', '61 * * * *', '@fortnightly', 'a b c d e']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseSchedule(bad));
    });
  }
});

describe('sync windows (eso.md §2.4, syncwindow_test.go)', () => {
  const es = (sw: SyncWindows) => externalSecret({ syncWindows: sw });
  const deny = es({ kind: 'deny', windows: [{ schedule: '0 2 * * *', duration: '1h' }] });
  const allow = es({ kind: 'allow', windows: [{ schedule: '0 2 * * *', duration: '1h' }] });
  const cases: { name: string; es: ReturnType<typeof es>; now: string; want: boolean }[] = [
    {
      name: 'deny blocks at the opening instant',
      es: deny,
      now: '2026-01-01T02:00:00Z',
      want: false,
    },
    {
      name: 'deny blocks at the closing instant',
      es: deny,
      now: '2026-01-01T03:00:00Z',
      want: false,
    },
    {
      name: 'deny permits one second after closing',
      es: deny,
      now: '2026-01-01T03:00:01Z',
      want: true,
    },
    { name: 'deny permits outside the window', es: deny, now: '2026-01-01T12:00:00Z', want: true },
    { name: 'allow permits inside the window', es: allow, now: '2026-01-01T02:30:00Z', want: true },
    {
      name: 'allow blocks outside the window',
      es: allow,
      now: '2026-01-01T04:00:00Z',
      want: false,
    },
    {
      name: 'an invalid schedule under allow blocks',
      es: es({ kind: 'allow', windows: [{ schedule: 'nope', duration: '1h' }] }),
      now: '2026-01-01T02:30:00Z',
      want: false,
    },
    {
      name: 'an invalid schedule under deny permits',
      es: es({ kind: 'deny', windows: [{ schedule: 'nope', duration: '1h' }] }),
      now: '2026-01-01T02:30:00Z',
      want: true,
    },
    {
      name: 'an unknown kind always permits',
      es: es({ kind: 'other' as 'allow', windows: [{ schedule: '0 2 * * *', duration: '1h' }] }),
      now: '2026-01-01T04:00:00Z',
      want: true,
    },
    { name: 'no windows permit', es: externalSecret({}), now: '2026-01-01T04:00:00Z', want: true },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.equal(syncWindowsAllow(c.es, at(c.now)), c.want);
    });
});
