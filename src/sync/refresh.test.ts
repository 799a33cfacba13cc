import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExternalSecret } from '../api/types.ts';
import { dataHash, syncedResourceVersion } from './hash.ts';
import {
  ANNOTATION_DATA_HASH,
  isPeriodicRefresh,
  isSecretValid,
  jitter,
  LABEL_MANAGED,
  readShareWindowMs,
  requeueAfterMs,
  shouldRefresh,
} from './refresh.ts';
import { formatTime } from './status.ts';
import type { TargetSecret } from './target-secret.ts';
import { externalSecret } from './testing.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;

function synced(
  es: ExternalSecret,
  refreshedAt: number,
  version = syncedResourceVersion(es.metadata),
): ExternalSecret {
  return {
    ...es,
    status: { refreshTime: formatTime(refreshedAt), syncedResourceVersion: version },
  };
}

describe('shouldRefresh (eso.md §2.4, §9.7, §9.8)', () => {
  const base = externalSecret({});
  const cases: { name: string; es: ExternalSecret; now: number; want: boolean }[] = [
    { name: 'Periodic: never synced refreshes', es: base, now: T0, want: true },
    {
      name: 'Periodic: within the interval does not refresh',
      es: synced(base, T0),
      now: T0 + HOUR - 1,
      want: false,
    },
    {
      name: 'Periodic: exactly at the interval does not refresh',
      es: synced(base, T0),
      now: T0 + HOUR,
      want: false,
    },
    {
      name: 'Periodic: after the interval refreshes',
      es: synced(base, T0),
      now: T0 + HOUR + 1,
      want: true,
    },
    {
      name: 'Periodic: a generation change refreshes',
      es: { ...synced(base, T0), metadata: { ...base.metadata, generation: 2 } },
      now: T0 + 1,
      want: true,
    },
    {
      name: 'Periodic: a force-sync annotation refreshes',
      es: {
        ...synced(base, T0),
        metadata: { ...base.metadata, annotations: { 'external-secrets.io/force-sync': 'now' } },
      },
      now: T0 + 1,
      want: true,
    },
    {
      name: 'Periodic: a refreshTime in the future refreshes',
      es: synced(base, T0 + HOUR),
      now: T0,
      want: true,
    },
    {
      name: 'Periodic: refreshInterval 0 never refreshes again, even after a spec change',
      es: {
        ...synced(externalSecret({ refreshInterval: '0s' }), T0),
        metadata: { ...base.metadata, generation: 5 },
      },
      now: T0 + 10 * HOUR,
      want: false,
    },
    {
      name: 'CreatedOnce: first sync refreshes',
      es: externalSecret({ refreshPolicy: 'CreatedOnce' }),
      now: T0,
      want: true,
    },
    {
      name: 'CreatedOnce: a synced ES never refreshes',
      es: {
        ...synced(externalSecret({ refreshPolicy: 'CreatedOnce' }), T0),
        metadata: { ...base.metadata, generation: 9 },
      },
      now: T0 + 99 * HOUR,
      want: false,
    },
    {
      name: 'OnChange: unchanged does not refresh',
      es: synced(externalSecret({ refreshPolicy: 'OnChange' }), T0),
      now: T0 + 99 * HOUR,
      want: false,
    },
    {
      name: 'OnChange: a label change refreshes',
      es: {
        ...synced(externalSecret({ refreshPolicy: 'OnChange' }), T0),
        metadata: { ...base.metadata, labels: { a: 'b' } },
      },
      now: T0 + 1,
      want: true,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.equal(shouldRefresh(c.es, c.now), c.want);
    });

  it('Periodic: a closed sync window blocks a due refresh', () => {
    assert.equal(
      shouldRefresh(synced(base, T0), T0 + 2 * HOUR, () => false),
      false,
    );
  });
});

describe('isSecretValid (eso.md §2.1 step 5, §9.6)', () => {
  const es = externalSecret({});
  const data = new Map([['k', new Uint8Array([1])]]);
  const good: TargetSecret = {
    metadata: {
      labels: { [LABEL_MANAGED]: 'true' },
      annotations: { [ANNOTATION_DATA_HASH]: dataHash(data) },
    },
    data,
  };
  it('a managed Secret with a matching hash is valid', () => {
    assert.equal(isSecretValid(es, good), true);
  });
  it('a missing Secret is invalid', () => {
    assert.equal(isSecretValid(es, undefined), false);
  });
  it('a missing Secret is valid under Orphan', () => {
    assert.equal(
      isSecretValid(externalSecret({ target: { creationPolicy: 'Orphan' } }), undefined),
      true,
    );
  });
  it('a manual data edit (hash mismatch) is invalid', () => {
    assert.equal(
      isSecretValid(es, { ...good, data: new Map([['k', new Uint8Array([2])]]) }),
      false,
    );
  });
  it('a missing managed label is invalid', () => {
    assert.equal(isSecretValid(es, { ...good, metadata: { ...good.metadata, labels: {} } }), false);
  });
});

describe('isPeriodicRefresh (refresh read sharing, ADR 0015)', () => {
  const data = new Map([['k', new Uint8Array([1])]]);
  const secret: TargetSecret = {
    metadata: {
      labels: { [LABEL_MANAGED]: 'true' },
      annotations: { [ANNOTATION_DATA_HASH]: dataHash(data) },
    },
    data,
  };
  const ready = (es: ExternalSecret, status: 'True' | 'False' = 'True'): ExternalSecret => ({
    ...es,
    status: { ...es.status, conditions: [{ type: 'Ready', status, reason: 'r', message: 'm' }] },
  });
  const base = externalSecret({});
  const due = T0 + HOUR + 1;
  const cases: { name: string; es: ExternalSecret; existing?: TargetSecret; want: boolean }[] = [
    { name: 'due only because its time came', es: ready(synced(base, T0)), want: true },
    { name: 'never synced (a create)', es: base, want: false },
    {
      name: 'a spec change (generation bump)',
      es: { ...ready(synced(base, T0)), metadata: { ...base.metadata, generation: 2 } },
      want: false,
    },
    {
      name: 'the force-sync annotation',
      es: {
        ...ready(synced(base, T0)),
        metadata: { ...base.metadata, annotations: { 'force-sync': String(T0) } },
      },
      want: false,
    },
    {
      name: 'a retry after an error (Ready=False)',
      es: ready(synced(base, T0), 'False'),
      want: false,
    },
    { name: 'no Ready condition yet', es: synced(base, T0), want: false },
  ];
  for (const c of cases)
    it(`${c.name}: ${c.want ? 'periodic' : 'not periodic'}`, () => {
      assert.equal(isPeriodicRefresh(c.es, c.existing ?? secret, due), c.want);
    });
  it('a missing or edited target Secret is not periodic', () => {
    const es = ready(synced(base, T0));
    assert.equal(isPeriodicRefresh(es, undefined, due), false);
    const edited = { ...secret, data: new Map([['k', new Uint8Array([9])]]) };
    assert.equal(isPeriodicRefresh(es, edited, due), false);
  });

  it('the window is the fraction of the interval, at most 10 min; 0 is off', () => {
    const every = (refreshInterval: string) => externalSecret({ refreshInterval });
    assert.equal(readShareWindowMs(every('10s'), 0.1), 1_000);
    assert.equal(readShareWindowMs(every('1h'), 0.1), 360_000);
    assert.equal(readShareWindowMs(every('24h'), 0.1), 600_000);
    assert.equal(readShareWindowMs(every('1h'), 0), 0);
    assert.equal(readShareWindowMs(every('0s'), 0.1), 0);
  });
});

describe('requeue', () => {
  const es = synced(externalSecret({}), T0);
  it('requeues after interval minus elapsed', () => {
    assert.equal(requeueAfterMs(es, T0 + 10_000), HOUR - 10_000);
  });
  it('requeues now when the interval elapsed', () => {
    assert.equal(requeueAfterMs(es, T0 + 2 * HOUR), 0);
  });
  it('never requeues with refreshInterval 0', () => {
    assert.equal(
      requeueAfterMs(synced(externalSecret({ refreshInterval: '0s' }), T0), T0),
      undefined,
    );
  });
  it('jitter stays within ±10 %', () => {
    assert.equal(
      jitter(1000, () => 0),
      900,
    );
    assert.equal(
      jitter(1000, () => 0.5),
      1000,
    );
    assert.ok(jitter(1000, () => 0.999999) <= 1100);
    assert.equal(
      jitter(0, () => 0),
      0,
    );
  });
});

describe('shouldRefresh with spec.syncWindows', () => {
  it('a due refresh inside a deny window is blocked', () => {
    const es = externalSecret({
      syncWindows: { kind: 'deny', windows: [{ schedule: '0 2 * * *', duration: '1h' }] },
    });
    const s = synced(es, T0);
    assert.equal(shouldRefresh(s, Date.parse('2026-01-01T02:30:00Z')), false);
    assert.equal(shouldRefresh(s, Date.parse('2026-01-01T04:00:00Z')), true);
  });
});
