/** The agent's main loop, shared by `ferry agent` and `ferry demo`. */
import type { Logger } from '../providers/provider.ts';
import type { Agent } from './agent.ts';
import type { ProcessSupervisor } from './supervisor.ts';

export interface RunAgentOptions {
  agent: Agent;
  logger: Logger;
  shutdown: AbortSignal;
  supervisor?: ProcessSupervisor;
  /** Called once after the first pass has written every target. */
  onFirstPass?: (result: { failed: number }) => void;
  /** The longest sleep between passes, so a clock jump is noticed. */
  maxSleepMs?: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Aborts when the supervised command exits on its own, and remembers its exit code. */
function watchChild(supervisor: ProcessSupervisor | undefined): {
  signal: AbortSignal;
  code: () => number;
} {
  const controller = new AbortController();
  let exitCode = 0;
  void supervisor?.exited.then((code) => {
    exitCode = code;
    controller.abort();
  });
  return { signal: controller.signal, code: () => exitCode };
}

/** Runs until shutdown (exit code 0) or until the supervised command exits (its exit code). */
export async function runAgent(options: RunAgentOptions): Promise<number> {
  const { agent, supervisor } = options;
  const child = watchChild(supervisor);
  const stop = AbortSignal.any([options.shutdown, child.signal]);
  const first = await agent.syncDue();
  options.onFirstPass?.({ failed: first.failed });
  supervisor?.start();
  for (;;) {
    await sleep(Math.min(agent.nextDueIn(), options.maxSleepMs ?? 60_000), stop);
    if (stop.aborted) break;
    const pass = await agent.syncDue();
    if (pass.envChanged) await supervisor?.changed();
  }
  await supervisor?.stop();
  return child.code();
}
