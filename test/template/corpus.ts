/**
 * Loads the curated corpus: test/template/corpus/*.json. A file holds groups; every template of
 * a group is rendered against every data set of the group, so one group line is many cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MissingKey, TemplateCase } from './oracle.ts';

export const corpusDir = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

interface CorpusGroup {
  name: string;
  templates: string[];
  /** One data value, or `dataSets` for several (cross product with templates). */
  data?: unknown;
  dataSets?: unknown[];
  dataKind?: 'json' | 'stringMap';
  missingKey?: MissingKey;
  delims?: [string, string];
  /** Template name, as ESO uses the secret key. */
  tplName?: string;
}

interface CorpusFile {
  source: string;
  groups: CorpusGroup[];
}

/** Every corpus case, with ids `file/group#n`. */
export function loadCorpus(dir = corpusDir): TemplateCase[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.flatMap((f) => {
    const file = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CorpusFile;
    return file.groups.flatMap((g) => expandGroup(basename(f, '.json'), g));
  });
}

function expandGroup(file: string, g: CorpusGroup): TemplateCase[] {
  const dataSets = g.dataSets ?? [g.data ?? null];
  const cases: TemplateCase[] = [];
  for (const [di, data] of dataSets.entries()) {
    for (const [ti, template] of g.templates.entries()) {
      const suffix = dataSets.length > 1 ? `${ti}.${di}` : `${ti}`;
      const c: TemplateCase = { id: `${file}/${g.name}#${suffix}`, template, data };
      if (g.dataKind) c.dataKind = g.dataKind;
      if (g.missingKey) c.missingKey = g.missingKey;
      if (g.delims) [c.leftDelim, c.rightDelim] = g.delims;
      if (g.tplName) c.name = g.tplName;
      cases.push(c);
    }
  }
  return cases;
}
