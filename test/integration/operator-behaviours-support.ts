/**
 * Shared harness for the operator-behaviours-*.test.ts suites (eso.md §9 as tables): one real
 * `ferry operator` per file, confined to a fresh namespace and a unique controller class, with
 * ESO's `fake` provider so no Vault is needed. A row is data: stores, pre-existing objects, the
 * ExternalSecret, and what the Secret, the Ready condition and the events must look like.
 * Every fake value embeds a canary; `assertNoCanary` checks that none reached the operator's
 * output, the events or any status.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { KubeClient } from '../../src/kube/client.ts';
import { Resources, type KubeObject } from '../../src/kube/types.ts';
import { EsoResources } from '../../src/controllers/kinds.ts';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  testKubeClient,
  uniqueName,
} from '../support/kube.ts';
import { applyCrds, startOperator, type OperatorProcess } from '../support/operator-process.ts';

export type Obj = KubeObject & Record<string, unknown>;
export interface FakeEntry {
  key: string;
  value: string;
  version?: string;
}
export interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
export interface SecretObj extends KubeObject {
  type?: string;
  immutable?: boolean;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
export interface EsObj extends Obj {
  spec: Record<string, unknown> & { target?: Record<string, unknown> };
  status?: {
    conditions?: Cond[];
    refreshTime?: string;
    syncedResourceVersion?: string;
    binding?: { name?: string };
  };
}
export interface EventObj extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string };
  source?: { component?: string };
}

export const LABEL_MANAGED = 'reconcile.external-secrets.io/managed';
export const LABEL_CREATED_BY = 'reconcile.external-secrets.io/created-by';
export const ANNOTATION_DATA_HASH = 'reconcile.external-secrets.io/data-hash';

/**
 * ESO's data-hash, written out independently of Ferry's code (eso.md §2.3): SHA3-224 of Go's
 * `%+v` of `map[string][]byte`, keys sorted bytewise, bytes in decimal.
 */
export function goDataHash(data: Record<string, string>): string {
  const keys = Object.keys(data).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts = keys.map((k) => `${k}:[${[...Buffer.from(data[k] ?? '')].join(' ')}]`);
  return createHash('sha3-224')
    .update(`map[${parts.join(' ')}]`)
    .digest('hex');
}

export const decode = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString();
export const encode = (s: string): string => Buffer.from(s).toString('base64');

export interface StoreOptions {
  kind?: 'SecretStore' | 'ClusterSecretStore';
  /** `spec.controller`; defaults to the harness's class. */
  controller?: string;
  conditions?: unknown[];
  /** The fake provider's `validationResult` (1 Unknown, 2 Error). */
  validationResult?: number;
  /** Wait until the store is Ready=True (default true). */
  waitReady?: boolean;
}

export interface Harness {
  readonly client: KubeClient;
  readonly ns: string;
  readonly klass: string;
  /** A unique marker to embed in every fake value. */
  readonly canary: string;
  readonly operator: OperatorProcess;
  createStore(name: string, data: FakeEntry[], options?: StoreOptions): Promise<void>;
  setStoreData(name: string, data: FakeEntry[], kind?: StoreOptions['kind']): Promise<void>;
  createExternalSecret(
    name: string,
    spec: Record<string, unknown>,
    meta?: { labels?: Record<string, string>; annotations?: Record<string, string> },
  ): Promise<EsObj>;
  externalSecret(name: string): Promise<EsObj | undefined>;
  ready(name: string): Promise<Cond | undefined>;
  /** Waits until Ready has this status (and reason/message when given). */
  waitReady(name: string, want: Partial<Cond>, timeoutMs?: number): Promise<Cond>;
  secret(name: string): Promise<SecretObj | undefined>;
  /** Events about the ExternalSecret `name`. */
  events(name: string): Promise<EventObj[]>;
  waitEvent(name: string, reason: string, timeoutMs?: number): Promise<EventObj>;
  assertNoCanary(): Promise<void>;
  stop(): Promise<void>;
}

/** The `fake` provider store manifest. */
export function fakeStore(
  name: string,
  ns: string,
  data: FakeEntry[],
  options: StoreOptions & { controller: string },
): Obj {
  const kind = options.kind ?? 'SecretStore';
  return {
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: kind === 'SecretStore' ? { name, namespace: ns } : { name },
    spec: {
      controller: options.controller,
      provider: {
        fake: {
          data,
          ...(options.validationResult ? { validationResult: options.validationResult } : {}),
        },
      },
      ...(options.conditions ? { conditions: options.conditions } : {}),
    },
  };
}

function storeType(kind: StoreOptions['kind']) {
  return kind === 'ClusterSecretStore' ? EsoResources.ClusterSecretStore : EsoResources.SecretStore;
}

/** A fresh marker to embed in fake values (letters and digits, fits in a label value). */
export function newCanary(): string {
  return `canary${randomBytes(6).toString('hex')}`;
}

/** Starts one operator for a test file: namespace, class and process. */
export async function startHarness(prefix: string, canary = newCanary()): Promise<Harness> {
  const client = testKubeClient();
  await applyCrds(client);
  const ns = await createNamespace(client, prefix);
  const klass = uniqueName('behaviours');
  const clusterStores: string[] = [];
  const operator = await startOperator({
    args: [`--namespace=${ns}`, `--controller-class=${klass}`],
  });

  const externalSecret = (name: string) =>
    client.get<EsObj>(EsoResources.ExternalSecret, { namespace: ns, name });
  const ready = async (name: string) =>
    (await externalSecret(name))?.status?.conditions?.find((c) => c.type === 'Ready');
  const events = async (name: string) =>
    (await client.list<EventObj>(Resources.Event, { namespace: ns })).items.filter(
      (e) => e.involvedObject?.kind === 'ExternalSecret' && e.involvedObject.name === name,
    );

  const h: Harness = {
    client,
    ns,
    klass,
    canary,
    operator,
    async createStore(name, data, options = {}) {
      const kind = options.kind ?? 'SecretStore';
      await client.create(
        storeType(kind),
        fakeStore(name, ns, data, { ...options, controller: options.controller ?? klass }),
      );
      if (kind === 'ClusterSecretStore') clusterStores.push(name);
      if (options.waitReady === false) return;
      await eventually(`${kind} ${name} Ready`, async () => {
        const s = await client.get<EsObj>(storeType(kind), {
          namespace: kind === 'SecretStore' ? ns : undefined,
          name,
        });
        return s?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
          ? true
          : undefined;
      });
    },
    async setStoreData(name, data, kind = 'SecretStore') {
      await client.mergePatch(
        storeType(kind),
        { namespace: kind === 'SecretStore' ? ns : undefined, name },
        { spec: { provider: { fake: { data } } } },
      );
    },
    async createExternalSecret(name, spec, meta = {}) {
      return client.create<EsObj>(EsoResources.ExternalSecret, {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name, namespace: ns, ...meta },
        spec,
      });
    },
    externalSecret,
    ready,
    async waitReady(name, want, timeoutMs = 20_000) {
      let last: Cond | undefined;
      try {
        return await eventually(
          `${name} Ready=${want.status ?? '?'} ${want.reason ?? ''}`,
          async () => {
            last = await ready(name);
            if (!last) return undefined;
            for (const [k, v] of Object.entries(want))
              if (last[k as keyof Cond] !== v) return undefined;
            return last;
          },
          timeoutMs,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}; last Ready: ${JSON.stringify(last)}`, {
          cause: error,
        });
      }
    },
    secret: (name) => client.get<SecretObj>(Resources.Secret, { namespace: ns, name }),
    events,
    waitEvent(name, reason, timeoutMs = 20_000) {
      return eventually(
        `${name} event ${reason}`,
        async () => (await events(name)).find((e) => e.reason === reason),
        timeoutMs,
      );
    },
    async assertNoCanary() {
      const all = await client.list(Resources.Event, { namespace: ns });
      const ess = await client.list(EsoResources.ExternalSecret, { namespace: ns });
      const stores = await client.list<EsObj>(EsoResources.SecretStore, { namespace: ns });
      const statuses = [...ess.items, ...stores.items].map((o) => (o as EsObj).status);
      for (const [what, text] of [
        ['operator output', operator.output()],
        ['events', JSON.stringify(all.items)],
        ['status', JSON.stringify(statuses)],
      ] as const)
        assert.ok(!text.includes(canary), `a secret value leaked into the ${what}`);
    },
    async stop() {
      const code = await operator.stop();
      for (const name of clusterStores)
        await client.delete(EsoResources.ClusterSecretStore, { name }).catch(() => undefined);
      await deleteNamespace(client, ns);
      assert.equal(
        code,
        0,
        `ferry operator exits 0 on SIGTERM:\n${operator.output().slice(-4000)}`,
      );
    },
  };
  return h;
}

/** What a synced target Secret must look like; absent fields are not checked. */
export interface SecretExpectation {
  /** Exactly these keys and (decoded) values. */
  data?: Record<string, string>;
  /** Labels that must be present with these values (`null`: must be absent). */
  labels?: Record<string, string | null>;
  annotations?: Record<string, string | null>;
  type?: string;
  immutable?: boolean;
  /** Controlled by the ExternalSecret (`true`), or carries no ownerReference (`false`). */
  owned?: boolean;
  finalizers?: string[];
}

export function assertSecret(
  secret: SecretObj | undefined,
  want: SecretExpectation,
  owner: string,
): void {
  assert.ok(secret, 'the target Secret exists');
  if (want.data) {
    const got = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, decode(v)]),
    );
    assert.deepEqual(got, want.data);
  }
  for (const [field, expected] of [
    ['labels', want.labels],
    ['annotations', want.annotations],
  ] as const) {
    const got: Record<string, string> = secret.metadata[field] ?? {};
    for (const [k, v] of Object.entries(expected ?? {}))
      assert.equal(got[k], v ?? undefined, `${field}[${k}]`);
  }
  if (want.type !== undefined) assert.equal(secret.type, want.type);
  if (want.immutable !== undefined) assert.equal(secret.immutable ?? false, want.immutable);
  if (want.finalizers) assert.deepEqual(secret.metadata.finalizers ?? [], want.finalizers);
  if (want.owned !== undefined) {
    const controller = secret.metadata.ownerReferences?.find((r) => r.controller);
    if (want.owned) {
      assert.equal(controller?.kind, 'ExternalSecret');
      assert.equal(controller.name, owner);
    } else assert.equal(controller, undefined, 'no controller ownerReference');
  }
}

/**
 * Checks that `probe` keeps holding for `ms`: the only way to see that something does *not*
 * happen (a refresh that must not run). Polls, so a violation fails early.
 */
export async function holds(
  what: string,
  probe: () => Promise<boolean>,
  ms: number,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    assert.ok(await probe(), `${what} stopped holding`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls until the Secret matches, then returns it. */
export async function waitSecret(
  h: Harness,
  name: string,
  want: SecretExpectation,
  options: { owner?: string; timeoutMs?: number } = {},
): Promise<SecretObj> {
  const { owner = name, timeoutMs = 20_000 } = options;
  let lastError: unknown;
  try {
    return await eventually(
      `Secret ${name}`,
      async () => {
        const s = await h.secret(name);
        try {
          assertSecret(s, want, owner);
          return s;
        } catch (error) {
          lastError = error;
          return undefined;
        }
      },
      timeoutMs,
    );
  } catch (error) {
    throw lastError instanceof Error ? lastError : error;
  }
}

/** A row of a behaviour table (eso.md §9 item `item`). */
export interface Row {
  name: string;
  /** The §9 item it covers. */
  item: number;
  /** The behaviour, as a test name. */
  title: string;
  /** The row's own SecretStore data (store name = row name). */
  store?: FakeEntry[];
  /** Objects created before the ExternalSecret (Secrets, ConfigMaps). */
  before?: Obj[];
  /** ExternalSecret metadata. */
  meta?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** ExternalSecret spec; `secretStoreRef` defaults to the row's store. */
  spec: Record<string, unknown>;
  /** Target Secret name (default: the row name). */
  target?: string;
  /** The target Secret afterwards; `null` means it must not exist. */
  secret?: SecretExpectation | null;
  ready: Partial<Cond>;
  /** Event reasons that must have been recorded about the ExternalSecret. */
  events?: string[];
  /** Extra checks on the stored ExternalSecret. */
  check?: (es: EsObj, h: Harness) => void | Promise<void>;
}

/** Creates a row's store, prerequisites and ExternalSecret, then checks every expectation. */
export async function runRow(h: Harness, row: Row): Promise<void> {
  if (row.store) await h.createStore(row.name, row.store);
  for (const obj of row.before ?? []) {
    const type = obj.kind === 'ConfigMap' ? Resources.ConfigMap : Resources.Secret;
    await h.client.create(type, { ...obj, metadata: { ...obj.metadata, namespace: h.ns } });
  }
  await h.createExternalSecret(
    row.name,
    { secretStoreRef: { name: row.name, kind: 'SecretStore' }, ...row.spec },
    row.meta,
  );
  await h.waitReady(row.name, row.ready);
  for (const reason of row.events ?? []) await h.waitEvent(row.name, reason);
  const target = row.target ?? row.name;
  if (row.secret === null) assert.equal(await h.secret(target), undefined, 'no Secret written');
  else if (row.secret) await waitSecret(h, target, row.secret, { owner: row.name });
  const es = await h.externalSecret(row.name);
  assert.ok(es);
  await row.check?.(es, h);
}
