import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent } from '../../agent/agent.ts';
import { DEMO_TOKEN_SECRET, fakeDemoStore, vaultDemoStore } from '../../agent/demo.ts';
import { loadManifests, objectKey } from '../../agent/manifests.ts';
import { runAgent } from '../../agent/run.ts';
import { ProcessSupervisor } from '../../agent/supervisor.ts';
import { UsageError } from '../../errors.ts';
import { createDefaultRegistry } from '../../providers/registry.ts';
import { goTemplateEngine } from '../../sync/index.ts';
import { createLogger } from '../../telemetry/logger.ts';
import type { Command, CommandIO } from '../command.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

const usage = `ferry demo [--port 58080] [--loglevel info]

Runs the seed's system on this machine: the four ExternalSecrets of deploy/manifests, synced by
ferry agent from a ClusterSecretStore "vault-backend", feeding the demo app at http://127.0.0.1:<port>.
The store is the fake provider with the seed's values, or a real Vault/OpenBao when VAULT_ADDR (and
VAULT_TOKEN) are set; write the values there with deploy/vault/init-vault.sh.`;

/** Only what a Node process needs: the store credentials (VAULT_TOKEN…) stay out of the app. */
function inheritedEnv(env: CommandIO['env']): Record<string, string | undefined> {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];
  return Object.fromEntries(keep.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
}

function say(io: CommandIO, line: string): void {
  io.stderr.write(`ferry demo: ${line}\n`);
}

export const demoCommand: Command = {
  name: 'demo',
  summary: "run the seed's demo system locally (what `npm start` runs)",
  usage,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: { port: { type: 'string' }, loglevel: { type: 'string' } },
      }));
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n\n${usage}`);
    }
    const port = values.port ?? '58080';
    const manifests = await loadManifests([
      join(root, 'deploy/manifests/external-secrets.yaml'),
      join(root, 'deploy/manifests/external-secrets-files.yaml'),
    ]);
    const vaultAddr = io.env['VAULT_ADDR'];
    if (vaultAddr) {
      manifests.stores.push(vaultDemoStore(vaultAddr));
      const token = new TextEncoder().encode(io.env['VAULT_TOKEN'] ?? 'root');
      manifests.secrets.set(
        objectKey(DEMO_TOKEN_SECRET.namespace, DEMO_TOKEN_SECRET.name),
        new Map([[DEMO_TOKEN_SECRET.key, token]]),
      );
      say(io, `store vault-backend: Vault/OpenBao at ${vaultAddr} (token from VAULT_TOKEN)`);
    } else {
      manifests.stores.push(fakeDemoStore());
      say(
        io,
        'store vault-backend: provider fake with the seed values (set VAULT_ADDR and VAULT_TOKEN to use a real Vault/OpenBao)',
      );
    }
    const output = await mkdtemp(join(tmpdir(), 'ferry-demo-'));
    const logger = createLogger({ level: values.loglevel ?? 'warn' });
    const clock = { now: () => Date.now() };
    const agent = new Agent({
      manifests,
      outputDir: output,
      registry: createDefaultRegistry({ clock }),
      engine: goTemplateEngine(),
      clock,
      logger,
      fetch: globalThis.fetch,
      random: Math.random,
    });
    const supervisor = new ProcessSupervisor({
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'demo-app/src/main.ts')],
      env: () => ({
        ...inheritedEnv(io.env),
        ...agent.environment(),
        DEMO_HOST: '127.0.0.1',
        DEMO_PORT: port,
        DEMO_SECRETS_DIR: join(output, 'default/demo-app-tls-files'),
        DEMO_CONFIG_DIR: join(output, 'default/demo-app-config-files'),
      }),
      onChange: 'restart',
      log: (m) => {
        say(io, m);
      },
    });
    try {
      return await runAgent({
        agent,
        logger,
        shutdown: io.shutdown,
        supervisor,
        onFirstPass: ({ failed }) => {
          say(
            io,
            `synced ${manifests.externalSecrets.length - failed} of ${manifests.externalSecrets.length} ExternalSecrets into ${output}`,
          );
          say(io, `demo app: http://127.0.0.1:${port}/combined  (Ctrl-C stops everything)`);
        },
      });
    } finally {
      await rm(output, { recursive: true, force: true });
    }
  },
};
