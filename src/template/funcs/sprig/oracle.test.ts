/**
 * Differential test: each template is rendered by the real Go text/template + ESO's vendored sprig
 * (tools/template-oracle, built by `go build` there) and by Ferry; outputs and errors must match.
 * Skipped when the oracle binary has not been built.
 */
import { goStringFromBytes } from '../../gostr.ts';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { render } from '../../index.ts';
import type { GoValue } from '../../value.ts';
import { ORACLE_CASES, ORACLE_STRING_MAP_CASES } from './oracle-cases.test-data.ts';
import { sprigFuncs } from './index.ts';

const oracle = fileURLToPath(
  new URL('../../../../tools/template-oracle/template-oracle', import.meta.url),
);
const jsonData = { s: 'héllo wörld', n: 3, f: 2.5, list: [1, 'a'], m: { a: 1 } };
const stringData = {
  user: 'admin',
  password: 'p@ss<w>rd',
  json: '{"a":{"b":[1,2]},"port":8080}',
  pem: 'x',
  num: '42',
  empty: '',
};

function toGo(v: unknown): GoValue {
  if (Array.isArray(v)) return v.map(toGo);
  if (v !== null && typeof v === 'object') {
    return new Map(Object.entries(v).map(([k, x]) => [k, toGo(x)]));
  }
  return v as GoValue;
}

interface Answer {
  id: number;
  ok: boolean;
  output?: string;
  error?: string;
}

function askOracle(templates: readonly string[], stringMap: boolean): Answer[] {
  const data = stringMap ? stringData : jsonData;
  const dataKind = stringMap ? 'stringMap' : 'json';
  const input = templates
    .map((template, id) => JSON.stringify({ id, template, data, dataKind, name: 'tpl' }))
    .join('\n');
  const out = execFileSync(oracle, { input: `${input}\n`, env: { ...process.env, TZ: 'UTC' } });
  return out
    .toString()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Answer);
}

function compareWithGo(cases: readonly string[], stringMap: boolean): void {
  const answers = existsSync(oracle) ? askOracle(cases, stringMap) : [];
  const funcs = sprigFuncs();
  const data = toGo(stringMap ? stringData : jsonData);
  for (const a of answers) {
    const tpl = cases[a.id] ?? '';
    it(tpl, () => {
      // Compared as Go strings: bytes that are not UTF-8 are escaped on both sides (gostr.ts).
      const want = a.ok
        ? goStringFromBytes(Buffer.from(a.output ?? '', 'base64'))
        : `ERR ${a.error}`;
      let got: string;
      try {
        got = render(tpl, data, { funcs, name: 'tpl' });
      } catch (e) {
        got = `ERR ${(e as Error).message}`;
      }
      assert.equal(got, want);
    });
  }
}

describe('sprig against Go (template-oracle)', { skip: !existsSync(oracle) }, () => {
  describe('JSON data', () => {
    compareWithGo(ORACLE_CASES, false);
  });
  describe('string data, as ESO passes secrets', () => {
    compareWithGo(ORACLE_STRING_MAP_CASES, true);
  });
});
