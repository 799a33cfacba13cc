/**
 * Sprig's date.go. Times are GoTime values; Go's "Local" is the configured zone (UTC unless
 * the caller says otherwise). Note sprig's quirks: `date` accepts time.Time and int/int64/int32
 * Unix seconds, anything else (a float64 from JSON, a string) formats *now*; `duration` only
 * understands strings and int64, so a plain int gives "0s".
 */
import { DurationError, formatGoDurationNs, parseGoDurationNs } from '../../../api/duration.ts';
import { FuncError, GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import { any, conv, fixed, GoArgError, goTypeName, str, type Conv } from './args.ts';
import {
  GoTime,
  GoTimeParseError,
  isKnownZone,
  parseGoTime,
  UTC,
  type GoLocation,
} from './gotime.ts';
import type { ResolvedDeps } from './index.ts';

/** A `time.Time` parameter. */
const timeArg: Conv<GoTime> = conv('time.Time', (v) => {
  if (v instanceof GoTime) return v;
  if (v === null) throw new GoArgError('invalid value; expected time.Time');
  throw new GoArgError(`wrong type for value; expected time.Time; got ${goTypeName(v)}`);
});

/** Go's Duration.Round(time.Second): half away from zero. */
function roundToSecond(ns: bigint): bigint {
  const s = 1_000_000_000n;
  const r = ns % s;
  const base = ns - r;
  if (r >= 0n) return r + r >= s ? base + s : base;
  return -r - r >= s ? base - s : base;
}

function durationRound(v: GoValue, nowNs: bigint): string {
  let d = 0n;
  if (typeof v === 'string') {
    try {
      d = parseGoDurationNs(v);
    } catch {
      d = 0n;
    }
  } else if (v instanceof GoTime) d = nowNs - v.ns;
  else if (v instanceof GoTyped && v.type === 'int64' && typeof v.value === 'bigint') d = v.value;
  const u = d < 0n ? -d : d;
  const units: [bigint, string][] = [
    [3_600_000_000_000n * 24n * 365n, 'y'],
    [3_600_000_000_000n * 24n * 30n, 'mo'],
    [3_600_000_000_000n * 24n, 'd'],
    [3_600_000_000_000n, 'h'],
    [60_000_000_000n, 'm'],
    [1_000_000_000n, 's'],
  ];
  for (const [size, suffix] of units) if (u > size) return `${u / size}${suffix}`;
  return '0s';
}

function durationOf(v: GoValue): string {
  let n = 0n;
  if (typeof v === 'string') n = /^[+-]?\d+$/.test(v) ? BigInt(v) : 0n;
  else if (v instanceof GoTyped && v.type === 'int64' && typeof v.value === 'bigint') n = v.value;
  if (n > 9223372036854775807n || n < -9223372036854775808n) n = 0n; // ParseInt range error
  return formatGoDurationNs(BigInt.asIntN(64, n * 1_000_000_000n));
}

/** The date.go functions, keyed by template name. */
export function dateFuncs(deps: ResolvedDeps): [string, GoFunc][] {
  const local: GoLocation = { zone: deps.localZone };
  const now = (): GoTime => GoTime.fromDate(deps.now(), local);
  const loadLocation = (zone: string): GoLocation => {
    if (zone === '' || zone === 'UTC') return UTC;
    if (zone === 'Local') return local;
    return isKnownZone(zone) ? { zone } : UTC;
  };
  /** The instant sprig's date helpers accept: time.Time or Unix seconds, else now. */
  const instant = (v: GoValue, int32 = true): GoTime => {
    if (v instanceof GoTime) return v;
    if (typeof v === 'bigint') return new GoTime(Number(v), 0, local);
    const types = int32 ? ['int64', 'int', 'int32'] : ['int64', 'int'];
    if (v instanceof GoTyped && types.includes(v.type) && typeof v.value === 'bigint') {
      return new GoTime(Number(v.value), 0, local);
    }
    return now();
  };
  const dateInZone = (layout: string, v: GoValue, zone: string): string =>
    instant(v).in(loadLocation(zone)).format(layout);
  const modify =
    (must: boolean) =>
    (d: string, t: GoTime): GoValue => {
      try {
        return t.addNs(parseGoDurationNs(d));
      } catch (e) {
        if (!must) return t;
        throw new FuncError(e instanceof DurationError ? e.message : String(e));
      }
    };
  const toDate =
    (must: boolean) =>
    (layout: string, s: string): GoValue => {
      try {
        return parseGoTime(layout, s, local);
      } catch (e) {
        if (!must) return GoTime.zero();
        throw new FuncError(e instanceof GoTimeParseError ? e.message : String(e));
      }
    };
  return [
    fixed('now', [], now),
    fixed('date', [str, any], (layout, v) => dateInZone(layout, v, 'Local')),
    fixed('dateInZone', [str, any, str], dateInZone),
    fixed('date_in_zone', [str, any, str], dateInZone),
    fixed('htmlDate', [any], (v) => dateInZone('2006-01-02', v, 'Local')),
    fixed('htmlDateInZone', [any, str], (v, z) => dateInZone('2006-01-02', v, z)),
    fixed('dateModify', [str, timeArg], modify(false)),
    fixed('date_modify', [str, timeArg], modify(false)),
    fixed('mustDateModify', [str, timeArg], modify(true)),
    fixed('must_date_modify', [str, timeArg], modify(true)),
    fixed('ago', [any], (v) => formatGoDurationNs(roundToSecond(now().ns - instant(v, false).ns))),
    fixed('duration', [any], durationOf),
    fixed('durationRound', [any], (v) => durationRound(v, now().ns)),
    fixed('toDate', [str, str], toDate(false)),
    fixed('mustToDate', [str, str], toDate(true)),
    fixed('unixEpoch', [timeArg], (t) => String(t.sec)),
  ];
}
