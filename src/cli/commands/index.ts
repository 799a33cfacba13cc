import type { Command } from '../command.ts';
import { versionCommand } from './version.ts';

/** Every sub-command, in the order `ferry --help` lists them. */
export const commands: readonly Command[] = [versionCommand];
