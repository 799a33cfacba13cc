/**
 * Runs the command given after `ferry agent … --` with the synced env vars, and restarts it (or
 * sends it a signal) when they change. When the child exits on its own, `exited` resolves with its
 * exit code so the agent can exit the same way, like any process wrapper.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export type ChangeAction = 'restart' | NodeJS.Signals;

export interface SupervisorOptions {
  command: string;
  args: readonly string[];
  /** The environment for the next start: the agent's env plus the synced variables. */
  env: () => Record<string, string | undefined>;
  onChange: ChangeAction;
  log: (message: string) => void;
  /** How long a stopping child gets between SIGTERM and SIGKILL. */
  stopTimeoutMs?: number;
}

export class ProcessSupervisor {
  private child: ChildProcess | undefined;
  private stopping = false;
  private resolveExited: (code: number) => void = () => undefined;
  /** Resolves with the child's exit code when it exits without being asked to. */
  readonly exited: Promise<number>;

  constructor(private readonly options: SupervisorOptions) {
    this.exited = new Promise((resolve) => {
      this.resolveExited = resolve;
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { command, args, env } = this.options;
    const child = spawn(command, [...args], { env: env(), stdio: 'inherit' });
    this.child = child;
    child.on('error', (error) => {
      this.options.log(`could not start ${command}: ${error.message}`);
      if (this.child === child) this.resolveExited(127);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child || this.stopping) return;
      this.options.log(`${command} exited (${signal ?? String(code)})`);
      this.resolveExited(code ?? 128);
    });
  }

  /** The synced variables changed: restart the child or signal it. */
  async changed(): Promise<void> {
    if (!this.child) return;
    if (this.options.onChange !== 'restart') {
      this.child.kill(this.options.onChange);
      return;
    }
    this.options.log(`restarting ${this.options.command} with the new environment`);
    await this.stopChild();
    this.start();
  }

  async stop(): Promise<void> {
    await this.stopChild();
    this.child = undefined;
  }

  private async stopChild(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping = true;
    const gone = new Promise<void>((resolve) =>
      child.once('exit', () => {
        resolve();
      }),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 10_000);
    await gone;
    clearTimeout(timer);
    this.stopping = false;
  }
}
