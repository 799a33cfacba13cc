/**
 * What the app shows: env vars and mounted files as items in four categories whose counts add up.
 * Files are read again on every request because the kubelet (and `ferry agent`) swap a Secret
 * volume's contents atomically through the `..data` symlink.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoConfig } from './config.ts';

export type Category = 'secret' | 'config' | 'system' | 'file';
export type ViewName = 'env' | 'files' | 'combined';

export interface Item {
  key: string;
  value: string;
  category: Category;
  source: 'env' | 'file';
  /** Where a file item was read from. */
  path?: string;
  error?: string;
}

export interface View {
  name: ViewName;
  items: Item[];
  counts: Record<Category, number>;
  /** Changes whenever any shown key or value changes; the page polls it to refresh itself. */
  digest: string;
}

export function classifyEnv(key: string, config: DemoConfig): Category {
  if (config.secretKeys.has(key)) return 'secret';
  if (config.configKeys.has(key)) return 'config';
  return 'system';
}

export function envItems(
  env: Readonly<Record<string, string | undefined>>,
  config: DemoConfig,
): Item[] {
  return Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ({
      key,
      value,
      category: classifyEnv(key, config),
      source: 'env' as const,
    }));
}

/** Regular files of a directory (symlinks followed), skipping the `..data`-style entries. */
export async function fileItems(dir: string): Promise<Item[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const items: Item[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('..')) continue;
    const path = join(dir, name);
    try {
      if (!(await stat(path)).isFile()) continue;
      items.push({
        key: name,
        value: await readFile(path, 'utf8'),
        category: 'file',
        source: 'file',
        path,
      });
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      items.push({
        key: name,
        value: '',
        category: 'file',
        source: 'file',
        path,
        error: `could not read file (${reason})`,
      });
    }
  }
  return items;
}

const categoryOrder: Record<Category, number> = { secret: 0, config: 1, file: 2, system: 3 };

function compareItems(a: Item, b: Item): number {
  return categoryOrder[a.category] - categoryOrder[b.category] || a.key.localeCompare(b.key);
}

export async function buildView(
  name: ViewName,
  env: Readonly<Record<string, string | undefined>>,
  config: DemoConfig,
): Promise<View> {
  const fromEnv = name === 'files' ? [] : envItems(env, config);
  const fromFiles =
    name === 'env'
      ? []
      : [...(await fileItems(config.secretsDir)), ...(await fileItems(config.configDir))];
  const items = [...fromEnv, ...fromFiles].sort(compareItems);
  const counts: Record<Category, number> = { secret: 0, config: 0, system: 0, file: 0 };
  const hash = createHash('sha256');
  for (const item of items) {
    counts[item.category] += 1;
    hash.update(`${item.source}\0${item.path ?? item.key}\0${item.value}\0`);
  }
  return { name, items, counts, digest: hash.digest('hex').slice(0, 16) };
}
