import { readFile } from 'node:fs/promises';
import type { Command } from '../command.ts';

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the Ferry version',
  usage: 'ferry version',
  async run(_args, io) {
    const pkgUrl = new URL('../../../package.json', import.meta.url);
    const pkg = JSON.parse(await readFile(pkgUrl, 'utf8')) as { version: string };
    io.stdout.write(`ferry ${pkg.version}\n`);
    return 0;
  },
};
