import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.ts';

/** Ferry's package.json, found by walking up from this file (works from src/ and from dist/). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'ferry' && pkg.version) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the Ferry version',
  usage: 'ferry version',
  run(_args, io) {
    io.stdout.write(`ferry ${packageVersion()}\n`);
    return Promise.resolve(0);
  },
};
