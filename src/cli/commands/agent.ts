import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from '../../agent/agent.ts';
import { loadManifests } from '../../agent/manifests.ts';
import { runAgent } from '../../agent/run.ts';
import { ProcessSupervisor, type ChangeAction } from '../../agent/supervisor.ts';
import { UsageError } from '../../errors.ts';
import { createDefaultRegistry } from '../../providers/registry.ts';
import { goTemplateEngine } from '../../sync/index.ts';
import { createLogger } from '../../telemetry/logger.ts';
import type { Command } from '../command.ts';

const usage = `ferry agent -f <file|dir>... [flags] [-- command [args...]]

Syncs the ExternalSecrets in the given manifests (with their SecretStores/ClusterSecretStores and
any Secrets/ConfigMaps they reference) from their stores, with no cluster. Each target Secret is
written to <output>/<namespace>/<name>/ (one file per key, swapped atomically like a Secret volume)
and <output>/<namespace>/<name>.env, and refreshed on its refreshInterval. With a command after
"--", runs it with the synced variables in its environment and restarts it when they change.

Flags:
  -f, --filename <path>   manifest file or directory (repeatable)
  -o, --output <dir>      where targets are written (default ./ferry-secrets)
      --namespace <ns>    namespace for objects that name none (default "default")
      --once              sync once and exit: 0 when every ExternalSecret is Ready, 1 otherwise
      --on-change <what>  "restart" (default) or a signal name such as SIGHUP
      --loglevel <level>  debug, info, warn or error (default info)`;

function parse(args: readonly string[]) {
  const split = args.indexOf('--');
  const own = split === -1 ? args : args.slice(0, split);
  const command = split === -1 ? [] : args.slice(split + 1);
  try {
    const { values } = parseArgs({
      args: [...own],
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        output: { type: 'string', short: 'o' },
        namespace: { type: 'string' },
        once: { type: 'boolean' },
        'on-change': { type: 'string' },
        loglevel: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    return { values, command };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
}

function changeAction(value: string | undefined): ChangeAction {
  if (value === undefined || value === 'restart') return 'restart';
  if (/^SIG[A-Z0-9]+$/.test(value)) return value as NodeJS.Signals;
  throw new UsageError(
    `--on-change must be "restart" or a signal name like SIGHUP, got "${value}"`,
  );
}

export const agentCommand: Command = {
  name: 'agent',
  summary: 'sync ExternalSecrets from manifest files to files and .env, no cluster needed',
  usage,
  async run(args, io) {
    const { values, command } = parse(args);
    const files = values.filename ?? [];
    if (files.length === 0)
      throw new UsageError(`at least one -f <file|dir> is required\n\n${usage}`);
    const onChange = changeAction(values['on-change']);
    const manifests = await loadManifests(
      files.map((f) => resolve(io.cwd, f)),
      values.namespace ?? 'default',
    );
    const logger = createLogger({ level: values.loglevel ?? 'info' });
    const clock = { now: () => Date.now() };
    const agent = new Agent({
      manifests,
      outputDir: resolve(io.cwd, values.output ?? 'ferry-secrets'),
      registry: createDefaultRegistry({ clock }),
      engine: goTemplateEngine(),
      clock,
      logger,
      fetch: globalThis.fetch,
      random: Math.random,
    });
    if (values.once) {
      const { failed } = await agent.syncDue();
      return failed === 0 ? 0 : 1;
    }
    const [cmd, ...cmdArgs] = command;
    const supervisor = cmd
      ? new ProcessSupervisor({
          command: cmd,
          args: cmdArgs,
          env: () => ({ ...io.env, ...agent.environment() }),
          onChange,
          log: (m) => {
            logger.info({}, m);
          },
        })
      : undefined;
    return runAgent({
      agent,
      logger,
      shutdown: io.shutdown,
      ...(supervisor ? { supervisor } : {}),
    });
  },
};
