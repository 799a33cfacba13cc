import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { render, toGoValue } from '../../index.ts';
import type { GoValue } from '../../value.ts';
import { esoFuncs } from './index.ts';

/** Cases whose expected output came from ESO's Go functions (testdata/oracle/README.md). */
interface GoldenCase {
  tpl: string;
  data: Record<string, unknown>;
  out: string;
  err?: string;
}

const cases = JSON.parse(
  readFileSync(new URL('./testdata/go-expected.json', import.meta.url), 'utf8'),
) as GoldenCase[];

/**
 * Known differences, kept visible: go-yaml's parser error texts are not reproduced (we parse
 * with the npm yaml package), so fromYaml's "Error" value differs for malformed YAML.
 */
const KNOWN_GAPS = new Set(['{{ (fromYaml .s).Error }}']);

const funcs = esoFuncs();

function data(raw: Record<string, unknown>): GoValue {
  const entries = Object.entries(raw).map(([k, v]) => {
    const b64 = (v as { b64?: unknown } | null)?.b64;
    return [k, typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('latin1') : v];
  });
  return toGoValue(Object.fromEntries(entries));
}

function run(c: GoldenCase): { out: string; err: string } {
  try {
    return { out: render(c.tpl, data(c.data), { name: 't', funcs, missingKey: 'error' }), err: '' };
  } catch (e) {
    return { out: '', err: (e as Error).message };
  }
}

void test(`ESO functions match Go on ${cases.length} recorded cases`, () => {
  const failures: string[] = [];
  for (const c of cases) {
    const got = run(c);
    if (KNOWN_GAPS.has(c.tpl)) continue;
    if (got.out !== c.out || got.err !== (c.err ?? '')) {
      failures.push(
        `${c.tpl} ${JSON.stringify(c.data).slice(0, 80)}\n   got ${JSON.stringify(got)}\n  want ${JSON.stringify({ out: c.out, err: c.err ?? '' })}`,
      );
    }
  }
  assert.deepEqual(failures.slice(0, 30), [], `${failures.length} mismatches`);
});
