import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GoTyped, type GoValue } from '../value.ts';
import { sprint, sprintf, sprintln } from '../fmt.ts';

/**
 * Cases whose expected output was produced by Go's fmt (testdata/oracle, see its README):
 * each argument is a tagged JSON value, decoded here into our value model.
 */
interface GoldenCase {
  fn: 'sprintf' | 'sprint' | 'sprintln';
  format?: string;
  args: unknown[];
  want: string;
}

function float(x: unknown): number {
  if (typeof x === 'number') return x;
  const special: Record<string, number> = {
    NaN: NaN,
    '+Inf': Infinity,
    '-Inf': -Infinity,
    '-0': -0,
  };
  return special[String(x)] ?? Number(x);
}

function typed(type: string, raw: unknown): GoValue {
  if (type === 'float32') return new GoTyped(type, Math.fround(float(raw)));
  if (type.endsWith('(nil)')) return new GoTyped(type.slice(0, -5), null);
  if (type === 'map[string]string') {
    const entries = Object.entries(raw as Record<string, string>);
    return new GoTyped(type, new Map<string, GoValue>(entries));
  }
  if (type.startsWith('[]')) {
    const items = raw as string[];
    return new GoTyped(type, type === '[]string' ? items : items.map((s) => BigInt(s)));
  }
  return new GoTyped(type, BigInt(raw as string));
}

function decode(x: unknown): GoValue {
  if (x === null || typeof x === 'boolean' || typeof x === 'string') return x;
  const [tag, a, b] = x as [string, unknown, unknown];
  switch (tag) {
    case 'i':
      return BigInt(a as string);
    case 'f':
      return float(a);
    case 'b':
      return Buffer.from(a as string, 'hex').length === 0
        ? new Uint8Array(0)
        : new Uint8Array(Buffer.from(a as string, 'hex'));
    case 'l':
      return (a as unknown[]).map(decode);
    case 'm':
      return new Map(Object.entries(a as Record<string, unknown>).map(([k, v]) => [k, decode(v)]));
    default:
      return typed(a as string, b);
  }
}

const cases = JSON.parse(
  readFileSync(new URL('./testdata/go-cases.json', import.meta.url), 'utf8'),
) as GoldenCase[];

function run(c: GoldenCase): string {
  const args = c.args.map(decode);
  if (c.fn === 'sprint') return sprint(args);
  if (c.fn === 'sprintln') return sprintln(args);
  return sprintf(c.format ?? '', args);
}

void test(`fmt matches Go on ${cases.length} recorded cases`, () => {
  const failures: string[] = [];
  for (const c of cases) {
    // Go's outputs were recorded as JSON, where each byte that is not UTF-8 became U+FFFD.
    const got = run(c).replace(/[\udc80-\udcff]/gu, '\ufffd');
    if (got !== c.want) {
      failures.push(
        `${c.fn}(${JSON.stringify(c.format)}, ${JSON.stringify(c.args)}): got ${JSON.stringify(got)} want ${JSON.stringify(c.want)}`,
      );
    }
  }
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} mismatches`);
});
