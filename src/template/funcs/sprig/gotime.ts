/**
 * Go's time.Time for templates: an instant (Unix seconds + nanoseconds) shown in a location,
 * with Go's layout-based Format and Parse. Zones are IANA names resolved through Intl; Go's
 * "Local" is whatever zone the caller configures (UTC by default).
 */
import { readFileSync } from 'node:fs';
import { withSignature } from '../../types.ts';
import { GO_METHODS, GoTyped, type GoFunc, type GoValue, type HasGoMethods } from '../../value.ts';

/** Where a time is shown: an IANA zone, or a fixed offset (from a parsed "-07:00"). */
export type GoLocation = { zone: string } | { fixed: number; name: string };

export const UTC: GoLocation = { zone: 'UTC' };

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** True if `name` is an IANA zone Intl knows. */
export function isKnownZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function partsIn(zone: string, ms: number, locale: string): Intl.DateTimeFormatPart[] {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
    timeZoneName: 'short',
  }).formatToParts(new Date(ms));
}

/** The UTC offset (seconds) and abbreviation of a location at an instant. */
export function zoneAt(loc: GoLocation, sec: number): { offset: number; abbr: string } {
  if ('fixed' in loc) return { offset: loc.fixed, abbr: loc.name };
  if (loc.zone === 'UTC') return { offset: 0, abbr: 'UTC' };
  // Intl only covers JS Date's range; clamp far-away instants (year 1 zero times) to it.
  const ms = Math.max(-8.64e15, Math.min(8.64e15, sec * 1000));
  const parts = partsIn(loc.zone, ms, 'en-US');
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '0';
  const year = get('era') === 'BC' ? 1 - Number(get('year')) : Number(get('year'));
  const wall =
    daysFromCivil(year, Number(get('month')), Number(get('day'))) * 86400 +
    Number(get('hour')) * 3600 +
    Number(get('minute')) * 60 +
    Number(get('second'));
  const offset = wall - Math.floor(ms / 1000);
  const isGmt = (a: string): boolean => /^GMT([+-]|$)/.test(a);
  const fromTzdata = tzdataAbbr(loc.zone, Math.floor(ms / 1000), offset);
  if (fromTzdata !== null) return { offset, abbr: fromTzdata };
  let abbr = get('timeZoneName');
  // en-US names American zones (EST), en-GB European ones (CET, BST); tzdata numbers the rest.
  if (isGmt(abbr))
    abbr = partsIn(loc.zone, ms, 'en-GB').find((p) => p.type === 'timeZoneName')?.value ?? abbr;
  if (isGmt(abbr) && !(abbr === 'GMT' && offset === 0)) abbr = offsetAbbr(offset);
  return { offset, abbr };
}

/**
 * The zone abbreviation Go would print, from the system's tzdata (TZif) file — the same data
 * Go reads. Intl supplies the offset; this only names it. Null when the file is unavailable.
 */
function tzdataAbbr(zone: string, sec: number, offset: number): string | null {
  if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return null;
  let b: Buffer;
  try {
    b = readFileSync(`/usr/share/zoneinfo/${zone}`);
  } catch {
    return null;
  }
  if (b.toString('latin1', 0, 4) !== 'TZif') return null;
  type Header = [number, number, number, number, number, number];
  const header = (from: number): Header =>
    [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(from + 20 + 4 * i)) as Header;
  const v1 = header(0);
  const wide = b[4] !== 0;
  // Version 2+ files repeat the data with 64-bit times after the 32-bit block: use those.
  const [isut, isstd, leap, cnt1, types1, chars1] = v1;
  const skip = wide ? 44 + cnt1 * 5 + types1 * 6 + chars1 + leap * 8 + isstd + isut : 0;
  const [, , , timecnt, typecnt, charcnt] = wide ? header(skip) : v1;
  const at = skip + 44;
  const size = wide ? 8 : 4;
  const times = Array.from({ length: timecnt }, (_, i) =>
    wide ? Number(b.readBigInt64BE(at + i * 8)) : b.readInt32BE(at + i * 4),
  );
  const idx = Array.from({ length: timecnt }, (_, i) => b[at + timecnt * size + i] ?? 0);
  const typesAt = at + timecnt * (size + 1);
  const types = Array.from({ length: typecnt }, (_, i) => ({
    utoff: b.readInt32BE(typesAt + i * 6),
    abbr: b[typesAt + i * 6 + 5] ?? 0,
  }));
  const chars = b.subarray(typesAt + typecnt * 6, typesAt + typecnt * 6 + charcnt);
  const nameOf = (t: { abbr: number }): string => {
    const end = chars.indexOf(0, t.abbr);
    return chars.toString('latin1', t.abbr, end < 0 ? chars.length : end);
  };
  let k = times.length - 1;
  while (k >= 0 && (times[k] ?? 0) > sec) k--;
  const current = types[k >= 0 ? (idx[k] ?? 0) : 0];
  if (current !== undefined && current.utoff === offset) return nameOf(current);
  // Past the file's last transition (slim tzdata): the latest type with this offset.
  for (let j = times.length - 1; j >= 0; j--) {
    const t = types[idx[j] ?? 0];
    if (t !== undefined && t.utoff === offset) return nameOf(t);
  }
  const any = types.find((t) => t.utoff === offset);
  return any === undefined ? null : nameOf(any);
}

/** Go's abbreviation for zones without one in tzdata: "+01", "-0330". */
function offsetAbbr(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = String(Math.floor(a / 3600)).padStart(2, '0');
  const m = Math.floor((a % 3600) / 60);
  return `${sign}${h}${m === 0 ? '' : String(m).padStart(2, '0')}`;
}

/** time.Month and time.Weekday: named ints that print as their English names. */
class NamedInt extends GoTyped implements HasGoMethods {
  constructor(
    type: string,
    n: number,
    private readonly text: string,
  ) {
    super(type, BigInt(n));
  }

  [GO_METHODS](name: string): GoFunc | undefined {
    return name === 'String'
      ? withSignature({ params: [], result: 'string' }, () => this.text)
      : undefined;
  }
}

const nullary = (result: string, f: () => GoValue): GoFunc =>
  withSignature({ params: [], result }, f);

/** A Go time.Time value. Prints (as %v) through its Go String() form. */
export class GoTime extends GoTyped implements HasGoMethods {
  constructor(
    readonly sec: number,
    readonly nsec: number,
    readonly loc: GoLocation,
  ) {
    super('time.Time', formatGoTime(sec, nsec, loc, '2006-01-02 15:04:05.999999999 -0700 MST'));
  }

  static fromDate(d: Date, loc: GoLocation): GoTime {
    const ms = d.getTime();
    return new GoTime(Math.floor(ms / 1000), (((ms % 1000) + 1000) % 1000) * 1e6, loc);
  }

  /** Go's zero Time: January 1, year 1, 00:00:00 UTC. */
  static zero(): GoTime {
    return new GoTime(daysFromCivil(1, 1, 1) * 86400, 0, UTC);
  }

  in(loc: GoLocation): GoTime {
    return new GoTime(this.sec, this.nsec, loc);
  }

  /** Unix nanoseconds. */
  get ns(): bigint {
    return BigInt(this.sec) * 1_000_000_000n + BigInt(this.nsec);
  }

  addNs(d: bigint): GoTime {
    const t = this.ns + d;
    const sec = t / 1_000_000_000n - (t % 1_000_000_000n < 0n ? 1n : 0n);
    return new GoTime(Number(sec), Number(t - sec * 1_000_000_000n), this.loc);
  }

  format(layout: string): string {
    return formatGoTime(this.sec, this.nsec, this.loc, layout);
  }

  /** json.Marshal of a time.Time: RFC 3339 with nanoseconds. */
  goJson(): string {
    return `"${this.format('2006-01-02T15:04:05.999999999Z07:00')}"`;
  }

  /** time.Time's methods that need no other time value (`.Year`, `.Format "2006"`, `.UTC`). */
  [GO_METHODS](name: string): GoFunc | undefined {
    const f = (): Fields => fieldsOf(this.sec, this.nsec, this.loc);
    const int = (pick: (x: Fields) => number): GoFunc => nullary('int', () => BigInt(pick(f())));
    const int64 = (n: bigint): GoFunc => nullary('int64', () => new GoTyped('int64', n));
    switch (name) {
      case 'Year':
        return int((x) => x.year);
      case 'Day':
        return int((x) => x.day);
      case 'YearDay':
        return int((x) => x.yday);
      case 'Hour':
        return int((x) => x.hour);
      case 'Minute':
        return int((x) => x.min);
      case 'Second':
        return int((x) => x.sec);
      case 'Nanosecond':
        return int((x) => x.nsec);
      case 'Month':
        return nullary('time.Month', () => {
          const m = f().month;
          return new NamedInt('time.Month', m, MONTHS[m - 1] ?? '');
        });
      case 'Weekday':
        return nullary('time.Weekday', () => {
          const d = f().wday;
          return new NamedInt('time.Weekday', d, DAYS[d] ?? '');
        });
      case 'Unix':
        return int64(BigInt(this.sec));
      case 'UnixMilli':
        return int64(this.ns / 1_000_000n - (this.ns % 1_000_000n < 0n ? 1n : 0n));
      case 'UnixNano':
        return int64(this.ns);
      case 'IsZero':
        return nullary('bool', () => this.ns === GoTime.zero().ns);
      case 'UTC':
        return nullary('time.Time', () => this.in(UTC));
      case 'String':
        return nullary('string', () => this.value);
      case 'Format':
        return withSignature({ params: ['string'], result: 'string' }, (layout) =>
          this.format(typeof layout === 'string' ? layout : ''),
        );
    }
    return undefined;
  }
}

// ---- layout tokens (Go's nextStdChunk) ----

const TOKENS = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '2006',
  '002',
  '__2',
  '_2',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  '1',
  '2',
  '3',
  '4',
  '5',
  'PM',
  'pm',
  '-07:00:00',
  '-070000',
  '-07:00',
  '-0700',
  '-07',
  'Z07:00:00',
  'Z070000',
  'Z07:00',
  'Z0700',
  'Z07',
];

/** Go's exceptions: "Janx"/"Monx" are literal, and "_2006" is "_" then the year. */
function tokenStandsAlone(tok: string, rest: string): boolean {
  if (tok === 'Jan' || tok === 'Mon') return !/^[a-z]/.test(rest.slice(3));
  return !(tok === '_2' && rest.startsWith('_2006'));
}

export type Chunk = { lit: string } | { std: string } | { frac: string; digits: number };

/** Splits a Go layout into literal text and standard tokens. */
export function layoutChunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  let i = 0;
  while (i < layout.length) {
    const rest = layout.slice(i);
    const frac = /^[.,](0+|9+)(?!\d)/.exec(rest);
    const tok = frac === null ? TOKENS.find((t) => rest.startsWith(t)) : undefined;
    const valid = tok !== undefined && tokenStandsAlone(tok, rest);
    if (frac !== null) {
      if (lit !== '') out.push({ lit });
      lit = '';
      out.push({ frac: frac[0], digits: frac[1]?.length ?? 0 });
      i += frac[0].length;
    } else if (tok !== undefined && valid) {
      if (lit !== '') out.push({ lit });
      lit = '';
      out.push({ std: tok });
      i += tok.length;
    } else {
      lit += layout[i] ?? '';
      i++;
    }
  }
  if (lit !== '') out.push({ lit });
  return out;
}

const pad = (n: number, w: number, c = '0'): string => String(n).padStart(w, c);

interface Fields {
  year: number;
  month: number;
  day: number;
  yday: number;
  wday: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  offset: number;
  abbr: string;
}

function fieldsOf(sec: number, nsec: number, loc: GoLocation): Fields {
  const { offset, abbr } = zoneAt(loc, sec);
  const local = sec + offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    wday: (((days + 4) % 7) + 7) % 7,
    hour: Math.floor(secOfDay / 3600),
    min: Math.floor((secOfDay % 3600) / 60),
    sec: secOfDay % 60,
    nsec,
    offset,
    abbr,
  };
}

function formatZone(tok: string, f: Fields): string {
  if (tok.startsWith('Z') && f.offset === 0) return 'Z';
  const a = Math.abs(f.offset);
  const sign = f.offset < 0 ? '-' : '+';
  const hh = pad(Math.floor(a / 3600), 2);
  const mm = pad(Math.floor((a % 3600) / 60), 2);
  const ss = pad(a % 60, 2);
  const body = tok.slice(1);
  const table: Record<string, string> = {
    '07:00:00': `${hh}:${mm}:${ss}`,
    '070000': `${hh}${mm}${ss}`,
    '07:00': `${hh}:${mm}`,
    '0700': `${hh}${mm}`,
    '07': hh,
  };
  return sign + (table[body] ?? '');
}

function formatYear(y: number): string {
  if (y < 0) return `-${pad(-y, 4)}`;
  return pad(y, 4);
}

function formatStd(tok: string, f: Fields): string {
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  const table: Record<string, () => string> = {
    January: () => MONTHS[f.month - 1] ?? '',
    Jan: () => (MONTHS[f.month - 1] ?? '').slice(0, 3),
    Monday: () => DAYS[f.wday] ?? '',
    Mon: () => (DAYS[f.wday] ?? '').slice(0, 3),
    MST: () => (f.abbr === '' ? formatZone('-0700', f) : f.abbr),
    '2006': () => formatYear(f.year),
    '06': () => pad(((f.year % 100) + 100) % 100, 2),
    '01': () => pad(f.month, 2),
    '1': () => String(f.month),
    '02': () => pad(f.day, 2),
    _2: () => pad(f.day, 2, ' '),
    '2': () => String(f.day),
    '002': () => pad(f.yday, 3),
    __2: () => pad(f.yday, 3, ' '),
    '15': () => pad(f.hour, 2),
    '03': () => pad(h12, 2),
    '3': () => String(h12),
    '04': () => pad(f.min, 2),
    '4': () => String(f.min),
    '05': () => pad(f.sec, 2),
    '5': () => String(f.sec),
    PM: () => (f.hour >= 12 ? 'PM' : 'AM'),
    pm: () => (f.hour >= 12 ? 'pm' : 'am'),
  };
  return table[tok]?.() ?? formatZone(tok, f);
}

function formatFrac(c: { frac: string; digits: number }, nsec: number): string {
  const digits = pad(nsec, 9).slice(0, c.digits);
  const sep = c.frac[0] ?? '.';
  if (c.frac[1] === '0') return sep + digits;
  const trimmed = digits.replace(/0+$/, '');
  return trimmed === '' ? '' : sep + trimmed;
}

/** time.Time.Format. */
export function formatGoTime(sec: number, nsec: number, loc: GoLocation, layout: string): string {
  const f = fieldsOf(sec, nsec, loc);
  return layoutChunks(layout)
    .map((c) => ('lit' in c ? c.lit : 'std' in c ? formatStd(c.std, f) : formatFrac(c, nsec)))
    .join('');
}

// ---- Parse ----

/** A time.Parse failure, worded like Go's *time.ParseError. */
export class GoTimeParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTimeParseError';
  }
}

const q = (s: string): string => JSON.stringify(s);

interface ParseState {
  v: string;
  year: number;
  month: number;
  day: number;
  yday: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  pm: boolean | null;
  offset: number | null;
  abbr: string | null;
}

function takeNum(st: ParseState, fixed: boolean, width = 2): number | null {
  const m = new RegExp(`^\\d{${fixed ? width : 1},${width}}`).exec(st.v);
  if (m === null) return null;
  st.v = st.v.slice(m[0].length);
  return Number(m[0]);
}

function takeName(st: ParseState, names: string[]): number | null {
  const i = names.findIndex((n) => st.v.slice(0, n.length).toLowerCase() === n.toLowerCase());
  if (i < 0) return null;
  st.v = st.v.slice(names[i]?.length ?? 0);
  return i;
}

function takeZone(st: ParseState, tok: string): boolean {
  if (tok.startsWith('Z') && st.v.startsWith('Z')) {
    st.v = st.v.slice(1);
    st.offset = 0;
    return true;
  }
  const shape = tok.slice(1).replace(/\d/g, '\\d');
  const m = new RegExp(`^[+-]${shape}`).exec(st.v);
  if (m === null) return false;
  const digits = m[0].slice(1).replaceAll(':', '');
  const secs =
    Number(digits.slice(0, 2)) * 3600 +
    Number(digits.slice(2, 4) || 0) * 60 +
    Number(digits.slice(4, 6) || 0);
  st.offset = m[0].startsWith('-') ? -secs : secs;
  st.v = st.v.slice(m[0].length);
  return true;
}

function stdSetters(st: ParseState): Record<string, () => boolean> {
  const num =
    (set: (n: number) => void, fixed: boolean, width = 2) =>
    (): boolean => {
      const n = takeNum(st, fixed, width);
      if (n !== null) set(n);
      return n !== null;
    };
  const name = (names: string[], set: (i: number) => void) => (): boolean => {
    const i = takeName(st, names);
    if (i !== null) set(i);
    return i !== null;
  };
  return {
    '2006': num((n) => (st.year = n), true, 4),
    '06': num((n) => (st.year = n >= 69 ? 1900 + n : 2000 + n), true),
    '01': num((n) => (st.month = n), true),
    '1': num((n) => (st.month = n), false),
    '02': num((n) => (st.day = n), true),
    '2': num((n) => (st.day = n), false),
    _2: () => {
      if (st.v.startsWith(' ')) st.v = st.v.slice(1);
      return num((n) => (st.day = n), false)();
    },
    '002': num((n) => (st.yday = n), true, 3),
    __2: num((n) => (st.yday = n), false, 3),
    '15': num((n) => (st.hour = n), false),
    '03': num((n) => (st.hour = n), true),
    '3': num((n) => (st.hour = n), false),
    '04': num((n) => (st.min = n), true),
    '4': num((n) => (st.min = n), false),
    '05': num((n) => (st.sec = n), true),
    '5': num((n) => (st.sec = n), false),
    January: name(MONTHS, (i) => (st.month = i + 1)),
    Jan: name(
      MONTHS.map((m) => m.slice(0, 3)),
      (i) => (st.month = i + 1),
    ),
    Monday: name(DAYS, () => undefined),
    Mon: name(
      DAYS.map((d) => d.slice(0, 3)),
      () => undefined,
    ),
    PM: name(['AM', 'PM'], (i) => (st.pm = i === 1)),
    pm: name(['am', 'pm'], (i) => (st.pm = i === 1)),
    MST: () => {
      const m = /^(UTC|GMT([+-]\d{1,2})?|[A-Z]{3,5}T?)/.exec(st.v);
      if (m === null) return false;
      st.abbr = m[0];
      st.v = st.v.slice(m[0].length);
      return true;
    },
  };
}

function takeFrac(st: ParseState, c: { frac: string; digits: number }): boolean {
  const nine = c.frac[1] === '9';
  const m = /^[.,](\d+)/.exec(st.v);
  if (m === null) return nine;
  if (!nine && (m[1]?.length ?? 0) < c.digits) return false;
  const digits = nine ? (m[1] ?? '') : (m[1] ?? '').slice(0, c.digits);
  st.nsec = Number(digits.slice(0, 9).padEnd(9, '0'));
  st.v = st.v.slice(1 + digits.length);
  return true;
}

function takeLit(st: ParseState, lit: string): boolean {
  let p = lit;
  while (p.length > 0) {
    if (p.startsWith(' ')) {
      if (st.v.length > 0 && !st.v.startsWith(' ')) return false;
      p = p.trimStart();
      st.v = st.v.replace(/^ +/, '');
      continue;
    }
    if (st.v[0] !== p[0]) return false;
    p = p.slice(1);
    st.v = st.v.slice(1);
  }
  return true;
}

function rangeCheck(st: ParseState): string | null {
  if (st.pm !== null && (st.hour < 0 || st.hour > 12)) return 'hour';
  if (st.pm === true && st.hour < 12) st.hour += 12;
  if (st.pm === false && st.hour === 12) st.hour = 0;
  if (st.month < 1 || st.month > 12) return 'month';
  const dim =
    daysFromCivil(st.month === 12 ? st.year + 1 : st.year, (st.month % 12) + 1, 1) -
    daysFromCivil(st.year, st.month, 1);
  if (st.day < 1 || st.day > dim) return 'day';
  if (st.hour > 23) return 'hour';
  if (st.min > 59) return 'minute';
  if (st.sec > 59) return 'second';
  return null;
}

/** time.ParseInLocation(layout, value, loc). */
export function parseGoTime(layout: string, value: string, loc: GoLocation): GoTime {
  const st: ParseState = {
    v: value,
    year: 0,
    month: 1,
    day: 1,
    yday: -1,
    hour: 0,
    min: 0,
    sec: 0,
    nsec: 0,
    pm: null,
    offset: null,
    abbr: null,
  };
  const setters = stdSetters(st);
  const chunks = layoutChunks(layout);
  const prefix = `parsing time ${q(value)} as ${q(layout)}: cannot parse `;
  for (const [k, c] of chunks.entries()) {
    const before = st.v;
    let ok: boolean;
    let elem: string;
    if ('lit' in c) [ok, elem] = [takeLit(st, c.lit), c.lit];
    else if ('frac' in c) [ok, elem] = [takeFrac(st, c), c.frac];
    else {
      elem = c.std;
      ok = (setters[c.std] ?? (() => takeZone(st, c.std)))();
      const next = chunks[k + 1];
      if (ok && (c.std === '05' || c.std === '5') && !(next !== undefined && 'frac' in next)) {
        takeFrac(st, { frac: '.9', digits: 9 });
      }
    }
    if (!ok) throw new GoTimeParseError(`${prefix}${q(before)} as ${q(elem)}`);
  }
  if (st.v !== '') throw new GoTimeParseError(`parsing time ${q(value)}: extra text: ${q(st.v)}`);
  if (st.yday >= 0) {
    const leapYear = daysFromCivil(st.year + 1, 1, 1) - daysFromCivil(st.year, 1, 1) === 366;
    if (st.yday < 1 || st.yday > (leapYear ? 366 : 365)) {
      throw new GoTimeParseError(`parsing time ${q(value)}: day-of-year out of range`);
    }
    const [, m, d] = civilFromDays(daysFromCivil(st.year, 1, 1) + st.yday - 1);
    [st.month, st.day] = [m, d];
  }
  const bad = rangeCheck(st);
  if (bad !== null) throw new GoTimeParseError(`parsing time ${q(value)}: ${bad} out of range`);
  const wall =
    daysFromCivil(st.year, st.month, st.day) * 86400 + st.hour * 3600 + st.min * 60 + st.sec;
  if (st.offset !== null) {
    const sec = wall - st.offset;
    const local = zoneAt(loc, sec);
    const where: GoLocation =
      local.offset === st.offset ? loc : st.offset === 0 ? UTC : { fixed: st.offset, name: '' };
    return new GoTime(sec, st.nsec, where);
  }
  if (st.abbr !== null && st.abbr !== 'UTC') {
    const local = zoneAt(loc, wall);
    if (local.abbr === st.abbr) return new GoTime(wall - local.offset, st.nsec, loc);
    return new GoTime(wall, st.nsec, { fixed: 0, name: st.abbr });
  }
  if (st.abbr === 'UTC') return new GoTime(wall, st.nsec, UTC);
  // A wall-clock time in `loc`: step back by the offset, re-checking across a transition.
  let sec = wall - zoneAt(loc, wall).offset;
  sec = wall - zoneAt(loc, sec).offset;
  return new GoTime(sec, st.nsec, loc);
}
