import { FerryError, UsageError } from '../errors.ts';
import type { Command, CommandIO } from './command.ts';
import { commands } from './commands/index.ts';

function helpText(all: readonly Command[]): string {
  const width = Math.max(...all.map((c) => c.name.length));
  const lines = all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'ferry: keeps Kubernetes Secrets in sync with external secret stores (ESO-compatible).',
    '',
    'Usage: ferry <command> [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `ferry <command> --help` for the flags of one command.',
    '',
  ].join('\n');
}

function defaultIO(): { io: CommandIO; dispose: () => void } {
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `ferry crds | head` closes the pipe early: that is a normal end, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    io: {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      shutdown: controller.signal,
    },
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

async function dispatch(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText(commands));
    return 0;
  }
  if (name === '--version') return dispatch(['version'], io);
  const command = commands.find((c) => c.name === name);
  if (!command)
    throw new UsageError(`unknown command "${name}"; run \`ferry --help\` for the list`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  return command.run(rest, io);
}

/**
 * The CLI's one top-level error handler: typed errors become a one-line message and their exit
 * code; anything else is a bug and is reported as such, still without a stack trace by default.
 */
export async function main(argv: readonly string[], io?: CommandIO): Promise<number> {
  const owned = io ? undefined : defaultIO();
  const effective = io ?? (owned as { io: CommandIO }).io;
  try {
    return await dispatch(argv, effective);
  } catch (error) {
    if (error instanceof FerryError) {
      effective.stderr.write(`ferry: ${error.message}\n`);
      return error.exitCode;
    }
    const detail =
      effective.env['FERRY_DEBUG'] && error instanceof Error ? `\n${error.stack ?? ''}` : '';
    const message = error instanceof Error ? error.message : String(error);
    effective.stderr.write(`ferry: internal error: ${message}${detail}\n`);
    return 70;
  } finally {
    owned?.dispose();
  }
}
