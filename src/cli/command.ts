import type { Writable } from 'node:stream';

/** Where a command writes; injected so tests can capture output without touching process. */
export interface CommandIO {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands await it. */
  readonly shutdown: AbortSignal;
}

/** One `ferry <name>` sub-command. `run` returns the exit code or throws a typed error. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CommandIO): Promise<number>;
}
