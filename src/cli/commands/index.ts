import type { Command } from '../command.ts';
import { agentCommand } from './agent.ts';
import { crdsCommand } from './crds.ts';
import { demoCommand } from './demo.ts';
import { operatorCommand } from './operator.ts';
import { templateCommand } from './template.ts';
import { validateCommand } from './validate.ts';
import { versionCommand } from './version.ts';

/** Every sub-command, in the order `ferry --help` lists them. */
export const commands: readonly Command[] = [
  agentCommand,
  operatorCommand,
  demoCommand,
  validateCommand,
  crdsCommand,
  templateCommand,
  versionCommand,
];
