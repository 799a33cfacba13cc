/**
 * `ferry agent`: the operator's sync core with files instead of an API server. Each
 * ExternalSecret's target Secret is written under `<output>/<namespace>/<name>/` (one file per key,
 * swapped atomically) and as `<output>/<namespace>/<name>.env`; each is refreshed on its own
 * refreshInterval, and only a change is written.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnySecretStore, ExternalSecret } from '../api/types.ts';
import { errorMessage } from '../errors.ts';
import type { Clock, Logger, SecretsClient } from '../providers/provider.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import {
  Coalescer,
  runSync,
  templateSourceNames,
  type ResolvedStoreRef,
  type SyncResult,
} from '../sync/index.ts';
import type { TemplateEngine } from '../sync/index.ts';
import type { TargetSecret } from '../sync/target-secret.ts';
import { envFromData, writeEnvFile, writeFilesTarget } from '../targets/files.ts';
import { manifestKubeAccess } from './kube-access.ts';
import { objectKey, type ManifestSet } from './manifests.ts';

export interface AgentOptions {
  manifests: ManifestSet;
  outputDir: string;
  registry: ProviderRegistry;
  engine: TemplateEngine;
  clock: Clock;
  logger: Logger;
  fetch: typeof fetch;
  random: () => number;
}

interface Tracked {
  es: ExternalSecret;
  existing: TargetSecret | undefined;
  dueAt: number;
  failures: number;
}

const MAX_BACKOFF_MS = 7 * 60_000;

function esName(es: ExternalSecret): string {
  return `${es.metadata.namespace ?? 'default'}/${es.metadata.name ?? ''}`;
}

function targetNameOf(es: ExternalSecret): string {
  return es.spec.target?.name ?? es.metadata.name ?? '';
}

export class Agent {
  private readonly tracked: Tracked[];
  private readonly env = new Map<string, Record<string, string>>();

  constructor(private readonly options: AgentOptions) {
    this.tracked = options.manifests.externalSecrets.map((es) => ({
      es,
      existing: undefined,
      dueAt: 0,
      failures: 0,
    }));
  }

  /** Where a target's files go. */
  targetDir(es: ExternalSecret): string {
    return join(this.options.outputDir, es.metadata.namespace ?? 'default', targetNameOf(es));
  }

  /** The synced env vars of every target, merged in manifest order. */
  environment(): Record<string, string> {
    return Object.assign(
      {},
      ...this.tracked.map((t) => this.env.get(esName(t.es)) ?? {}),
    ) as Record<string, string>;
  }

  /** Milliseconds until the next ExternalSecret is due (Infinity when none will be). */
  nextDueIn(): number {
    const next = Math.min(...this.tracked.map((t) => t.dueAt));
    return Math.max(0, next - this.options.clock.now());
  }

  /** One pass: syncs every due ExternalSecret. Returns whether any env var changed. */
  async syncDue(): Promise<{ envChanged: boolean; failed: number }> {
    const now = this.options.clock.now();
    const due = this.tracked.filter((t) => t.dueAt <= now);
    const clients = new Map<string, Promise<SecretsClient>>();
    const coalescer = new Coalescer();
    let envChanged = false;
    let failed = 0;
    try {
      for (const t of due) {
        const outcome = await this.syncOne(t, clients, coalescer);
        envChanged ||= outcome.envChanged;
        if (outcome.failed) failed += 1;
      }
    } finally {
      await this.closeAll(clients);
    }
    return { envChanged, failed };
  }

  private async closeAll(clients: Map<string, Promise<SecretsClient>>): Promise<void> {
    for (const client of clients.values()) {
      await client.then((c) => c.close()).catch(() => undefined);
    }
  }

  private findStore(es: ExternalSecret, ref: ResolvedStoreRef): AnySecretStore | undefined {
    return this.options.manifests.stores.find(
      (s) =>
        s.kind === ref.kind &&
        s.metadata.name === ref.name &&
        (ref.kind === 'ClusterSecretStore' || s.metadata.namespace === es.metadata.namespace),
    );
  }

  private clientFor(es: ExternalSecret, clients: Map<string, Promise<SecretsClient>>) {
    return (ref: ResolvedStoreRef): Promise<SecretsClient> => {
      const namespace = es.metadata.namespace ?? 'default';
      const id = `${ref.kind}/${ref.kind === 'ClusterSecretStore' ? '' : namespace}/${ref.name}@${namespace}`;
      let client = clients.get(id);
      if (!client) {
        client = this.openClient(es, ref, namespace);
        clients.set(id, client);
      }
      return client;
    };
  }

  private async openClient(
    es: ExternalSecret,
    ref: ResolvedStoreRef,
    namespace: string,
  ): Promise<SecretsClient> {
    const store = this.findStore(es, ref);
    if (!store) {
      throw new Error(`${ref.kind} "${ref.name}" is not in the manifests given to ferry agent`);
    }
    const provider = this.options.registry.forStore(store);
    return provider.newClient(store, {
      namespace,
      kube: manifestKubeAccess(this.options.manifests),
      clock: this.options.clock,
      logger: this.options.logger,
      fetch: this.options.fetch,
    });
  }

  private templateSources(es: ExternalSecret) {
    const names = templateSourceNames(es.spec.target?.template);
    const ns = es.metadata.namespace ?? 'default';
    const configMaps = new Map<string, Record<string, string>>();
    const secrets = new Map<string, Map<string, Uint8Array>>();
    for (const name of names.configMaps) {
      const cm = this.options.manifests.configMaps.get(objectKey(ns, name));
      if (cm) configMaps.set(name, cm);
    }
    for (const name of names.secrets) {
      const secret = this.options.manifests.secrets.get(objectKey(ns, name));
      if (secret) secrets.set(name, secret);
    }
    return { configMaps, secrets };
  }

  private async syncOne(
    t: Tracked,
    clients: Map<string, Promise<SecretsClient>>,
    coalescer: Coalescer,
  ): Promise<{ envChanged: boolean; failed: boolean }> {
    const { clock, engine, random, logger } = this.options;
    const result = await runSync(t.es, t.existing, {
      clock,
      engine,
      random,
      fetch: { clientFor: this.clientFor(t.es, clients), coalescer },
      templateSources: this.templateSources(t.es),
    });
    if (result.skipped) {
      this.schedule(t, result.requeue);
      return { envChanged: false, failed: false };
    }
    let envChanged: boolean;
    try {
      envChanged = await this.apply(t, result);
    } catch (error) {
      logger.error(
        { externalSecret: esName(t.es), target: this.targetDir(t.es) },
        `could not write target: ${errorMessage(error)}`,
      );
      this.schedule(t, { kind: 'backoff' });
      return { envChanged: false, failed: true };
    }
    t.es = { ...t.es, status: result.status };
    for (const event of [...result.events, ...result.onSuccess]) {
      const log = event.type === 'Warning' ? logger.warn.bind(logger) : logger.info.bind(logger);
      log({ externalSecret: esName(t.es), reason: event.reason }, event.message);
    }
    this.schedule(t, result.requeue);
    const ready = result.status.conditions?.find((c) => c.type === 'Ready');
    return { envChanged, failed: ready?.status === 'False' };
  }

  private async apply(t: Tracked, result: SyncResult): Promise<boolean> {
    const action = result.action;
    if (action.kind === 'create' || action.kind === 'update') {
      t.existing = action.secret;
      return this.writeTarget(t.es, action.secret.data);
    }
    if (action.kind === 'delete') {
      t.existing = undefined;
      await rm(this.targetDir(t.es), { recursive: true, force: true });
      await rm(`${this.targetDir(t.es)}.env`, { force: true });
      return this.env.delete(esName(t.es));
    }
    return false;
  }

  private async writeTarget(
    es: ExternalSecret,
    data: ReadonlyMap<string, Uint8Array>,
  ): Promise<boolean> {
    const dir = this.targetDir(es);
    await writeFilesTarget(dir, data);
    const { env } = envFromData(data);
    await writeEnvFile(`${dir}.env`, env);
    const before = JSON.stringify(this.env.get(esName(es)) ?? {});
    this.env.set(esName(es), env);
    return before !== JSON.stringify(env);
  }

  private schedule(t: Tracked, requeue: SyncResult['requeue']): void {
    const now = this.options.clock.now();
    if (requeue.kind === 'backoff') {
      t.failures += 1;
      t.dueAt = now + Math.min(1000 * 2 ** (t.failures - 1), MAX_BACKOFF_MS);
      return;
    }
    t.failures = 0;
    t.dueAt = requeue.kind === 'after' ? now + requeue.ms : Number.POSITIVE_INFINITY;
  }
}
