/**
 * Agent mode reads its resources from files instead of the API server: SecretStores,
 * ClusterSecretStores and ExternalSecrets, plus the Secrets and ConfigMaps they refer to (store
 * credentials, templateFrom). Objects get the CRD defaults the API server would apply.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { applySchemaDefaults } from '../api/defaults.ts';
import { parseManifests } from '../api/manifest-source.ts';
import type { AnySecretStore, ExternalSecret } from '../api/types.ts';
import { validateManifest } from '../api/validate.ts';
import { InputError } from '../errors.ts';

interface CoreObject {
  kind: 'Secret' | 'ConfigMap';
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface ManifestSet {
  stores: AnySecretStore[];
  externalSecrets: ExternalSecret[];
  /** `namespace/name` → key → bytes. */
  secrets: Map<string, Map<string, Uint8Array>>;
  configMaps: Map<string, Record<string, string>>;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

async function expand(path: string): Promise<string[]> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new InputError(`cannot read ${path}: no such file or directory`, { cause });
  });
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => MANIFEST_EXTENSIONS.has(extname(n))).sort();
  return names.map((n) => join(path, n));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function addCore(set: ManifestSet, obj: CoreObject, defaultNamespace: string): void {
  const key = objectKey(obj.metadata.namespace ?? defaultNamespace, obj.metadata.name);
  if (obj.kind === 'ConfigMap') {
    set.configMaps.set(key, { ...(obj.data ?? {}) });
    return;
  }
  const data = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(obj.data ?? {}))
    data.set(k, new Uint8Array(Buffer.from(v, 'base64')));
  for (const [k, v] of Object.entries(obj.stringData ?? {}))
    data.set(k, new TextEncoder().encode(v));
  set.secrets.set(key, data);
}

function addObject(set: ManifestSet, obj: Record<string, unknown>, defaultNamespace: string): void {
  const kind = obj['kind'];
  if (kind === 'Secret' || kind === 'ConfigMap') {
    addCore(set, obj as unknown as CoreObject, defaultNamespace);
    return;
  }
  const defaulted = applySchemaDefaults(obj) as Record<string, unknown> & {
    metadata: { namespace?: string };
  };
  if (kind === 'SecretStore' || kind === 'ExternalSecret') {
    defaulted.metadata = {
      ...defaulted.metadata,
      namespace: defaulted.metadata.namespace ?? defaultNamespace,
    };
  }
  if (kind === 'SecretStore' || kind === 'ClusterSecretStore')
    set.stores.push(defaulted as unknown as AnySecretStore);
  if (kind === 'ExternalSecret') set.externalSecrets.push(defaulted as unknown as ExternalSecret);
}

function describe(file: string, line: number, col: number, obj: Record<string, unknown>): string {
  const meta = isRecord(obj['metadata']) ? obj['metadata'] : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : '?';
  return `${file}:${line}:${col}: ${String(obj['kind'])}/${name}`;
}

async function loadFile(
  set: ManifestSet,
  file: string,
  defaultNamespace: string,
): Promise<string[]> {
  const parsed = parseManifests(await readFile(file, 'utf8'));
  const problems = parsed.errors.map(
    (e) => `${file}:${e.position.line}:${e.position.col}: ${e.message}`,
  );
  for (const source of parsed.objects) {
    if (!isRecord(source.object)) continue;
    const issues = validateManifest(source.object).filter((i) => i.severity === 'error');
    for (const issue of issues) {
      const at = source.locate(issue.segments);
      problems.push(
        `${describe(file, at.line, at.col, source.object)}: ${issue.path}: ${issue.message}`,
      );
    }
    if (issues.length === 0) addObject(set, source.object, defaultNamespace);
  }
  return problems;
}

/** Reads every manifest under `paths` (files or directories); any invalid object fails the load. */
export async function loadManifests(
  paths: readonly string[],
  defaultNamespace = 'default',
): Promise<ManifestSet> {
  const set: ManifestSet = {
    stores: [],
    externalSecrets: [],
    secrets: new Map(),
    configMaps: new Map(),
  };
  const problems: string[] = [];
  for (const path of paths) {
    for (const file of await expand(path))
      problems.push(...(await loadFile(set, file, defaultNamespace)));
  }
  if (problems.length > 0) throw new InputError(`invalid manifests:\n  ${problems.join('\n  ')}`);
  if (set.externalSecrets.length === 0)
    throw new InputError(`no ExternalSecret found in ${paths.join(', ')}`);
  return set;
}
