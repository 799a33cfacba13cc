/**
 * Every ESO documentation example in test/fixtures/eso-docs/ is accepted by the real API server
 * with Ferry's CRDs and comes back without losing a field: a server-side dry-run create returns
 * the object as it would be stored (defaulted and pruned by the structural schema), and it must
 * equal the input with our CRD defaults applied. A pruned field means our schema lacks it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applySchemaDefaults } from '../../src/api/defaults.ts';
import { parseManifests } from '../../src/api/manifest-source.ts';
import { classifyManifest } from '../../src/api/validate.ts';
import { EsoResources } from '../../src/controllers/kinds.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import type { KubeObject, ResourceType } from '../../src/kube/types.ts';
import { repoRoot } from '../env/testenv.ts';
import { createNamespace, deleteNamespace, testKubeClient } from '../support/kube.ts';
import { applyCrds } from '../support/operator-process.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = KubeObject & Record<string, unknown>;

const dir = join(repoRoot, 'test/fixtures/eso-docs');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Metadata the API server fills in on create; not part of what the author wrote. */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'managedFields',
];

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Paths where `got` lacks or differs from `want` (JSONPath-ish, e.g. `.spec.data[0].remoteRef`). */
function differences(want: Json | undefined, got: Json | undefined, at = ''): string[] {
  if (Array.isArray(want) && Array.isArray(got)) {
    const out = want.flatMap((w, i) => differences(w, got[i], `${at}[${String(i)}]`));
    if (got.length > want.length)
      out.push(`${at}: ${String(got.length - want.length)} extra items`);
    return out;
  }
  if (isObject(want) && isObject(got)) {
    const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
    return [...keys].flatMap((k) => differences(want[k], got[k], `${at}.${k}`));
  }
  if (want === undefined && got === undefined) return [];
  if (got === undefined) return [`${at}: pruned (${JSON.stringify(want)})`];
  if (want === undefined) return [`${at}: added by the server (${JSON.stringify(got)})`];
  return JSON.stringify(want) === JSON.stringify(got)
    ? []
    : [`${at}: sent ${JSON.stringify(want)}, stored ${JSON.stringify(got)}`];
}

function resourceOf(kind: string): ResourceType {
  const type = Object.values(EsoResources).find((t) => t.kind === kind);
  if (!type) throw new Error(`no ResourceType for ${kind}`);
  return type;
}

/** Drops what the author did not write: server metadata, status, and the server-chosen name. */
function authored(obj: Obj, generated: boolean): Json {
  const copy = structuredClone(obj) as Record<string, Json> & { metadata: Record<string, Json> };
  for (const key of SERVER_METADATA) Reflect.deleteProperty(copy.metadata, key);
  if (generated) Reflect.deleteProperty(copy.metadata, 'name');
  Reflect.deleteProperty(copy, 'status');
  return copy;
}

let client: KubeClient;
let ns: string;
let checked = 0;

before(async () => {
  client = testKubeClient();
  await applyCrds(client);
  ns = await createNamespace(client, 'fixtures');
});

after(async () => {
  await deleteNamespace(client, ns);
});

describe('ESO documentation examples against the real API server', () => {
  it('has examples to check', () => {
    assert.ok(files.length >= 40, `${String(files.length)} fixtures`);
  });

  for (const file of files) {
    it(`${file} is accepted and round-trips without losing a field`, async () => {
      const parsed = parseManifests(readFileSync(join(dir, file), 'utf8'));
      assert.deepEqual(parsed.errors, []);
      const problems: string[] = [];
      for (const { object, documentIndex } of parsed.objects) {
        const kind = classifyManifest(object);
        if (!kind.served) continue; // Secrets, generators, … are context in the docs
        const input = structuredClone(object) as Obj;
        const generated = input.metadata.name === undefined;
        // Dry run in a scratch namespace: nothing is stored, so cluster-scoped names cannot clash.
        if (kind.info.scope === 'Namespaced') input.metadata.namespace = ns;
        else Reflect.deleteProperty(input.metadata, 'namespace');
        const where = `${file} document ${String(documentIndex)} (${kind.info.kind} ${input.metadata.name ?? '(generateName)'})`;
        checked++;
        let stored: Obj;
        try {
          stored = await client.create(resourceOf(kind.info.kind), input, { dryRun: 'All' });
        } catch (error) {
          problems.push(`${where}: rejected: ${error instanceof Error ? error.message : ''}`);
          continue;
        }
        const want = authored(applySchemaDefaults(input), generated);
        for (const d of differences(want, authored(stored, generated)))
          problems.push(`${where}: ${d}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  it('sent the ESO objects of all examples, not a filtered few', () => {
    assert.ok(checked >= 200, `only ${String(checked)} objects round-tripped`);
  });
});
