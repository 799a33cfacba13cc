/**
 * The subset of robfig/cron v3 ESO's sync windows use: five fields (minute hour dom month dow)
 * with lists, ranges, steps, names and `?`, plus @yearly/@monthly/@weekly/@daily/@hourly and
 * `@every <duration>`. Times are UTC. `next(t)` is strictly after t, as robfig's Next.
 */
import { parseGoDuration } from '../api/duration.ts';

export interface Schedule {
  next(t: number): number | undefined;
}

interface Field {
  min: number;
  max: number;
  names?: readonly string[];
}
const MINUTE: Field = { min: 0, max: 59 };
const HOUR: Field = { min: 0, max: 23 };
const DOM: Field = { min: 1, max: 31 };
const MONTH: Field = {
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
};
const DOW: Field = { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class CronError extends Error {}

function value(text: string, f: Field): number {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + f.min;
  if (!/^\d+$/.test(text)) throw new CronError(`failed to parse int from ${text}`);
  return Number(text);
}

/** `a` or `a-b`; a lone `a` with a step runs to the field's maximum (robfig). */
function bounds(range: string, stepped: boolean, f: Field): [number, number] {
  const [a = '', b, more] = range.split('-');
  if (more !== undefined) throw new CronError(`too many hyphens: ${range}`);
  const lo = value(a, f);
  if (b !== undefined) return [lo, value(b, f)];
  return [lo, stepped ? f.max : lo];
}

function checkRange(r: { lo: number; hi: number; step: number }, f: Field, part: string): void {
  const inField = r.lo >= f.min && r.hi <= f.max;
  if (!inField || r.lo > r.hi || r.step < 1) throw new CronError(`bad range: ${part}`);
}

/** One comma-separated part: `*`, `?`, `a`, `a-b`, each optionally `/step`. */
function parseRange(part: string, f: Field): { bits: Set<number>; star: boolean } {
  const [range = '', stepText, extra] = part.split('/');
  if (extra !== undefined) throw new CronError(`too many slashes: ${part}`);
  const star = range === '*' || range === '?';
  const [lo, hi] = star ? [f.min, f.max] : bounds(range, stepText !== undefined, f);
  const step = stepText === undefined ? 1 : value(stepText, { min: 0, max: Infinity });
  checkRange({ lo, hi, step }, f, part);
  const bits = new Set<number>();
  for (let v = lo; v <= hi; v += step) bits.add(v);
  return { bits, star: star && step === 1 };
}

interface ParsedField {
  bits: Set<number>;
  star: boolean;
}

function parseField(text: string, f: Field): ParsedField {
  const bits = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const r = parseRange(part, f);
    r.bits.forEach((b) => bits.add(b));
    star ||= r.star;
  }
  return { bits, star };
}

const MINUTE_MS = 60_000;

class SpecSchedule implements Schedule {
  private readonly minute: Set<number>;
  private readonly hour: Set<number>;
  private readonly dom: ParsedField;
  private readonly month: Set<number>;
  private readonly dow: ParsedField;

  constructor(fields: {
    minute: ParsedField;
    hour: ParsedField;
    dom: ParsedField;
    month: ParsedField;
    dow: ParsedField;
  }) {
    this.minute = fields.minute.bits;
    this.hour = fields.hour.bits;
    this.dom = fields.dom;
    this.month = fields.month.bits;
    this.dow = fields.dow;
  }

  private dayMatches(d: Date): boolean {
    const domOk = this.dom.bits.has(d.getUTCDate());
    const dowOk = this.dow.bits.has(d.getUTCDay());
    return this.dom.star || this.dow.star ? domOk && dowOk : domOk || dowOk;
  }

  /** Minute-by-field search, skipping whole months/days/hours that cannot match. */
  next(t: number): number | undefined {
    let d = new Date(Math.floor(t / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
    const limit = d.getUTCFullYear() + 5;
    while (d.getUTCFullYear() <= limit) {
      if (!this.month.has(d.getUTCMonth() + 1)) {
        d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
      } else if (!this.dayMatches(d)) {
        d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
      } else if (!this.hour.has(d.getUTCHours())) {
        d = new Date(
          Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1),
        );
      } else if (!this.minute.has(d.getUTCMinutes())) {
        d = new Date(d.getTime() + MINUTE_MS);
      } else {
        return d.getTime();
      }
    }
    return undefined;
  }
}

class EverySchedule implements Schedule {
  constructor(private readonly delayMs: number) {}
  next(t: number): number {
    return Math.floor(t / 1000) * 1000 + this.delayMs;
  }
}

function parseEvery(text: string): Schedule {
  const ms = parseGoDuration(text.slice('@every '.length).trim());
  return new EverySchedule(Math.max(1000, Math.round(ms / 1000) * 1000));
}

/** Parses a schedule; throws CronError. */
export function parseSchedule(spec: string): Schedule {
  const text = spec.trim();
  if (text.startsWith('@every ')) return parseEvery(text);
  const expanded = DESCRIPTORS[text] ?? text;
  if (expanded.startsWith('@')) throw new CronError(`unrecognized descriptor: ${text}`);
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5)
    throw new CronError(`expected exactly 5 fields, found ${fields.length}: ${text}`);
  // Five fields were just checked, so the tuple type holds.
  const [mi, h, dom, mo, dow] = fields as [string, string, string, string, string];
  const dowField = parseField(dow, { ...DOW, max: 7 });
  if (dowField.bits.delete(7)) dowField.bits.add(0);
  return new SpecSchedule({
    minute: parseField(mi, MINUTE),
    hour: parseField(h, HOUR),
    dom: parseField(dom, DOM),
    month: parseField(mo, MONTH),
    dow: dowField,
  });
}
