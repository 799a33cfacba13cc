import type { Command } from '../command.ts';
import { crdsCommand } from './crds.ts';
import { templateCommand } from './template.ts';
import { validateCommand } from './validate.ts';
import { versionCommand } from './version.ts';

/** Every sub-command, in the order `ferry --help` lists them. */
export const commands: readonly Command[] = [
  validateCommand,
  crdsCommand,
  templateCommand,
  versionCommand,
];
