/**
 * Differential test: every corpus case and every generated case is rendered by real Go
 * (tools/template-oracle) and by Ferry's engine. They must produce the same bytes, or both fail.
 * A difference is shrunk to a minimal reproducer and printed with both outputs.
 *
 * TEMPLATE_DIFF_SEED / TEMPLATE_DIFF_COUNT widen the generated set locally.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCorpus } from './corpus.ts';
import { loadEngine, type Engine } from './engine.ts';
import { generateCases } from './generate.ts';
import {
  buildOracle,
  Oracle,
  oracleFuncs,
  repoRoot,
  type RenderResult,
  type TemplateCase,
} from './oracle.ts';
import { shrinkCase } from './shrink.ts';

const seed = Number(process.env.TEMPLATE_DIFF_SEED ?? 20261128);
const count = Number(process.env.TEMPLATE_DIFF_COUNT ?? 10_000);
/** Differences shrunk and printed per class, and classes printed. */
const SHRINK_PER_CLASS = 1;
const MAX_CLASSES_PRINTED = 15;

type Kind = 'output' | 'only-go-fails' | 'only-ours-fails';

interface Difference {
  c: TemplateCase;
  go: RenderResult;
  ours: RenderResult;
  kind: Kind;
}

interface Tally {
  compared: number;
  bothFail: number;
  messagesMatch: number;
  skipped: number;
  badCases: string[];
  differences: Difference[];
}

const strict = new TextDecoder('utf-8', { fatal: true });

function validUtf8(b: Uint8Array): boolean {
  try {
    strict.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Bytes as a quoted string; bytes that are not UTF-8 show as \xNN so they cannot hide. */
function quoteBytes(bytes: Uint8Array): string {
  if (validUtf8(bytes)) return JSON.stringify(strict.decode(bytes));
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const len = [4, 3, 2, 1].find(
      (n) => i + n <= bytes.length && validUtf8(bytes.subarray(i, i + n)),
    );
    if (len === undefined) {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += JSON.stringify(strict.decode(bytes.subarray(i, i + len))).slice(1, -1);
      i += len;
    }
  }
  return `"${out}"`;
}

const show = (r: RenderResult): string =>
  r.ok ? `ok ${quoteBytes(r.output)}` : `${r.phase} error ${JSON.stringify(r.error)}`;

/** JSON replacer that shortens long strings (PKCS#12 blobs) in printed reproducers. */
function clip(_key: string, v: unknown): unknown {
  return typeof v === 'string' && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** null when the engines agree. */
function differenceKind(go: RenderResult, ours: RenderResult): Kind | null {
  if (go.ok && ours.ok) return sameBytes(go.output, ours.output) ? null : 'output';
  if (!go.ok && !ours.ok) return null;
  return go.ok ? 'only-ours-fails' : 'only-go-fails';
}

/** Groups differences so one reproducer stands for many: kind plus the first word of our error. */
function classOf(d: Difference): string {
  if (d.kind === 'only-ours-fails' && !d.ours.ok) {
    const msg = d.ours.error
      .replace(/^template: [^:]*:\d+(:\d+)?: /, '')
      .replace(/"[^"]*"/g, '"…"');
    return `${d.kind}: ${msg.slice(0, 60)}`;
  }
  // Go strings are bytes: byte-wise slicing yields output that is not UTF-8, one cause for many.
  if (d.go.ok && !validUtf8(d.go.output))
    return `${d.kind}: Go output is not UTF-8 (byte-wise string ops)`;
  const where = d.c.id.startsWith('gen:') ? 'generated' : d.c.id.split('#')[0]!;
  const fn = /\b([a-z][A-Za-z0-9]*)\b/.exec(d.c.template.replace(/"[^"]*"/g, ''));
  return `${d.kind}: ${where} (${fn?.[1] ?? ''})`;
}

/** Cases that call functions of a module our engine could not import yet are skipped. */
function unavailable(engine: Engine): (c: TemplateCase) => boolean {
  if (engine.missing.length === 0) return () => false;
  const funcs = oracleFuncs();
  const absent = [...funcs.sprig, ...funcs.eso].filter((n) => !engine.funcNames.has(n));
  const re = absent.length > 0 ? new RegExp(`\\b(${absent.join('|')})\\b`) : null;
  return (c) => re !== null && re.test(c.template);
}

async function compare(
  engine: Engine,
  oracle: Oracle,
  cases: TemplateCase[],
  tally: Tally,
): Promise<void> {
  const skip = unavailable(engine);
  const runnable = cases.filter((c) => !skip(c));
  tally.skipped += cases.length - runnable.length;
  const goResults = await oracle.renderAll(runnable);
  for (const [i, c] of runnable.entries()) {
    const go = goResults[i]!;
    const ours = engine.render(c);
    if (!go.ok && go.phase === 'input') {
      tally.badCases.push(`${c.id}: ${go.error}`);
      continue;
    }
    if (!ours.ok && ours.phase === 'input') {
      tally.skipped++;
      continue;
    }
    tally.compared++;
    const kind = differenceKind(go, ours);
    if (kind === null) {
      if (!go.ok && !ours.ok) {
        tally.bothFail++;
        if (go.error === ours.error) tally.messagesMatch++;
      }
      continue;
    }
    tally.differences.push({ c, go, ours, kind });
  }
}

async function reproducer(engine: Engine, oracle: Oracle, d: Difference): Promise<string> {
  const still = async (c: TemplateCase): Promise<boolean> => {
    const go = await oracle.render(c);
    if (!go.ok && go.phase === 'input') return false;
    return differenceKind(go, engine.render(c)) === d.kind;
  };
  const small = await shrinkCase(d.c, still);
  const go = await oracle.render(small);
  const ours = engine.render(small);
  const opts = [
    small.dataKind ? `dataKind=${small.dataKind}` : '',
    small.missingKey ? `missingkey=${small.missingKey}` : '',
    small.leftDelim ? `delims=${small.leftDelim} ${small.rightDelim}` : '',
  ].filter(Boolean);
  return [
    `  case:     ${d.c.id}${opts.length ? ` (${opts.join(', ')})` : ''}`,
    `  template: ${JSON.stringify(small.template)}`,
    `  data:     ${JSON.stringify(small.data ?? null, clip)}`,
    `  go:       ${show(go)}`,
    `  ours:     ${show(ours)}`,
  ].join('\n');
}

async function report(engine: Engine, oracle: Oracle, tally: Tally): Promise<string> {
  const classes = new Map<string, Difference[]>();
  for (const d of tally.differences) {
    const k = classOf(d);
    classes.set(k, [...(classes.get(k) ?? []), d]);
  }
  const sorted = [...classes.entries()].sort((a, b) => b[1].length - a[1].length);
  const lines: string[] = [];
  for (const [name, ds] of sorted.slice(0, MAX_CLASSES_PRINTED)) {
    lines.push(`[${ds.length}×] ${name}`);
    for (const d of ds.slice(0, SHRINK_PER_CLASS)) lines.push(await reproducer(engine, oracle, d));
  }
  if (sorted.length > MAX_CLASSES_PRINTED)
    lines.push(`… and ${sorted.length - MAX_CLASSES_PRINTED} more classes`);
  writeDetails(tally, sorted);
  return lines.join('\n');
}

/** Full list for humans, under test-results/ (gitignored). */
function writeDetails(tally: Tally, classes: [string, Difference[]][]): void {
  const dir = join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  const rows = classes.map(([name, ds]) => ({
    class: name,
    count: ds.length,
    cases: ds.map((d) => ({
      id: d.c.id,
      template: d.c.template,
      go: show(d.go),
      ours: show(d.ours),
    })),
  }));
  writeFileSync(
    join(dir, 'template-differential.json'),
    JSON.stringify({ ...tally, differences: undefined, classes: rows }, null, 1),
  );
}

/** A difference we accept for now; the list may only shrink (see docs/template-engine.md). */
interface KnownDifference {
  id: string;
  class: string;
  reason: string;
}

function loadKnown(): KnownDifference[] {
  const path = join(repoRoot, 'test', 'template', 'known-differences.json');
  return JSON.parse(readFileSync(path, 'utf8')) as KnownDifference[];
}

const engine = await loadEngine();
const oracleProblem = typeof engine === 'string' ? null : buildOracle();
const skip = typeof engine === 'string' ? engine : oracleProblem;

test(
  'Ferry renders every corpus and generated template exactly like Go + sprig + ESO',
  { skip: skip ?? false },
  async () => {
    assert.ok(typeof engine !== 'string');
    const oracle = Oracle.start();
    try {
      const corpus = loadCorpus();
      const generated = generateCases(seed, count);
      const corpusTally: Tally = {
        compared: 0,
        bothFail: 0,
        messagesMatch: 0,
        skipped: 0,
        badCases: [],
        differences: [],
      };
      const genTally: Tally = { ...corpusTally, badCases: [], differences: [] };
      await compare(engine, oracle, corpus, corpusTally);
      await compare(engine, oracle, generated, genTally);
      const all: Tally = {
        compared: corpusTally.compared + genTally.compared,
        bothFail: corpusTally.bothFail + genTally.bothFail,
        messagesMatch: corpusTally.messagesMatch + genTally.messagesMatch,
        skipped: corpusTally.skipped + genTally.skipped,
        badCases: [...corpusTally.badCases, ...genTally.badCases],
        differences: [...corpusTally.differences, ...genTally.differences],
      };
      const known = loadKnown();
      const knownIds = new Set(known.map((k) => k.id));
      const differing = new Set(all.differences.map((d) => d.c.id));
      const unexpected = all.differences.filter((d) => !knownIds.has(d.c.id));
      const nowMatching = known.filter((k) => !differing.has(k.id));
      console.log(
        `template differential: ${corpusTally.compared} corpus, ${genTally.compared} generated, ` +
          `${all.differences.length} differences, ${known.length} known (seed ${seed}; ` +
          `${all.bothFail} both fail, ${all.messagesMatch} with the same message; ${all.skipped} skipped` +
          `${engine.missing.length ? `: missing ${engine.missing.join(', ')}` : ''})`,
      );
      assert.deepEqual(all.badCases, [], 'the oracle rejected these cases as malformed');
      if (unexpected.length > 0) {
        assert.fail(
          `${unexpected.length} differences from Go not in known-differences.json; ` +
            `minimal reproducers by class:\n${await report(engine, oracle, { ...all, differences: unexpected })}`,
        );
      }
      writeDetails(all, []);
      assert.deepEqual(
        nowMatching.map((k) => k.id),
        [],
        'these known differences now match Go (or no longer run): remove them from test/template/known-differences.json',
      );
      writeDetails(all, []);
      assert.ok(corpusTally.compared >= 1000, `corpus too small: ${corpusTally.compared}`);
    } finally {
      await oracle.close();
    }
  },
);
