/**
 * The agent's targets: a Secret written as files, swapped atomically the way the kubelet updates
 * a Secret volume, and as a dotenv file. Readers that follow `<dir>/<key>` always see one
 * complete version: the per-key entries are symlinks through `..data`, which is replaced by a
 * single rename.
 */
import { randomBytes } from 'node:crypto';
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { FerryError } from '../errors.ts';

export class TargetWriteError extends FerryError {}

const DATA_LINK = '..data';
const VALID_KEY = /^[-._a-zA-Z0-9]+$/;

/** Secret data as the sync core produces it. */
export type SecretData = ReadonlyMap<string, Uint8Array>;

function checkKeys(data: SecretData, target: string): void {
  for (const key of data.keys()) {
    if (!VALID_KEY.test(key) || key.startsWith('..') || key === '.') {
      throw new TargetWriteError(
        `cannot write key "${key}" of ${target} as a file: keys must match [-._a-zA-Z0-9]+ and not start with ".."`,
      );
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The data currently visible through `dir`, or undefined when nothing was written yet. */
export async function readFilesTarget(dir: string): Promise<Map<string, Uint8Array> | undefined> {
  let version: string;
  try {
    version = await readlink(join(dir, DATA_LINK));
  } catch {
    return undefined;
  }
  const out = new Map<string, Uint8Array>();
  for (const name of await readdir(join(dir, version))) {
    out.set(name, new Uint8Array(await readFile(join(dir, version, name))));
  }
  return out;
}

function equalData(a: SecretData, b: SecretData): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) {
    const other = b.get(key);
    if (!other || !sameBytes(value, other)) return false;
  }
  return true;
}

async function writeVersion(dir: string, data: SecretData): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '_');
  const version = `..${stamp}${randomBytes(3).toString('hex')}`;
  await mkdir(join(dir, version), { mode: 0o700 });
  for (const [key, value] of data) {
    await writeFile(join(dir, version, key), value, { mode: 0o600 });
  }
  return version;
}

async function relinkKeys(dir: string, data: SecretData): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith('..') || data.has(name)) continue;
    const stat = await lstat(join(dir, name));
    if (stat.isSymbolicLink()) await rm(join(dir, name));
  }
  for (const key of data.keys()) {
    const link = join(dir, key);
    try {
      if ((await readlink(link)) === join(DATA_LINK, key)) continue;
      await rm(link);
    } catch {
      // not there yet, or a plain file we replace below
      await rm(link, { force: true });
    }
    await symlink(join(DATA_LINK, key), link);
  }
}

/**
 * Writes `data` under `dir` unless it already holds exactly that; returns whether it wrote.
 * Old versions are removed after the swap.
 */
export async function writeFilesTarget(dir: string, data: SecretData): Promise<boolean> {
  checkKeys(data, dir);
  const current = await readFilesTarget(dir);
  if (current && equalData(current, data)) return false;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const previous = current ? await readlink(join(dir, DATA_LINK)) : undefined;
  const version = await writeVersion(dir, data);
  const tmpLink = join(dir, `..data_tmp${randomBytes(3).toString('hex')}`);
  await symlink(version, tmpLink);
  await rename(tmpLink, join(dir, DATA_LINK));
  await relinkKeys(dir, data);
  if (previous) await rm(join(dir, previous), { recursive: true, force: true });
  return true;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quoteEnvValue(value: string): string {
  const escaped = value
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('$', '\\$')
    .replaceAll('`', '\\`')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r');
  return `"${escaped}"`;
}

/** Env vars from Secret data: keys that are valid variable names, values as UTF-8 text. */
export function envFromData(data: SecretData): { env: Record<string, string>; skipped: string[] } {
  const env: Record<string, string> = {};
  const skipped: string[] = [];
  const decoder = new TextDecoder();
  for (const [key, value] of [...data].sort(([a], [b]) => a.localeCompare(b))) {
    if (ENV_NAME.test(key)) env[key] = decoder.decode(value);
    else skipped.push(key);
  }
  return { env, skipped };
}

/** Writes a dotenv file (`KEY="value"`, escapes for \ " $ ` and newlines) atomically; returns whether it changed. */
export async function writeEnvFile(
  path: string,
  env: Readonly<Record<string, string>>,
): Promise<boolean> {
  const text = Object.entries(env)
    .map(([key, value]) => `${key}=${quoteEnvValue(value)}\n`)
    .join('');
  try {
    if ((await readFile(path, 'utf8')) === text) return false;
  } catch {
    // first write
  }
  const tmp = `${path}.tmp${randomBytes(3).toString('hex')}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
  return true;
}
