/**
 * The stores a PushSecret pushes to (ESO `GetSecretStores`, `removeUnmanagedStores`) and the
 * provider clients for them, opened at most once per store per reconcile and closed after it
 * (ESO's per-reconcile client manager; Vault logs in per client unless the token cache is on).
 */
import type { AnySecretStore, PushSecret, StoreKind } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import { Resources } from '../../kube/types.ts';
import type { Clock, Logger, ProviderKubeAccess, SecretsClient } from '../../providers/provider.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import { messageOf } from '../../sync/errors.ts';
import { namespaceAllowed, needsNamespaceLabels, selectorMatches } from '../conditions.ts';
import { isOurs } from '../secretstore/reconcile.ts';

/** Stores as the informers hold them. */
export interface StoreCatalog {
  get(kind: StoreKind, namespace: string, name: string): AnySecretStore | undefined;
  /** SecretStores of `namespace`, or all ClusterSecretStores. */
  list(kind: StoreKind, namespace: string): AnySecretStore[];
}

/** A store could not be found or used; retried with backoff (the store may appear). */
export class StoreLookupError extends Error {}

/** The store no longer exists, so what was pushed to it cannot be reached. */
export class StoreGoneError extends Error {}

export interface ResolvedStore {
  kind: StoreKind;
  store: AnySecretStore;
}

const PLURAL: Record<StoreKind, string> = {
  SecretStore: 'secretstores',
  ClusterSecretStore: 'clustersecretstores',
};

function namedStore(
  kind: StoreKind,
  namespace: string,
  name: string | undefined,
  catalog: StoreCatalog,
): AnySecretStore {
  if (!name) throw new StoreLookupError('refStore Name must be provided');
  const store = catalog.get(kind, namespace, name);
  if (!store)
    throw new StoreLookupError(
      `could not get ${kind} "${name}", ${PLURAL[kind]}.external-secrets.io "${name}" not found`,
    );
  return store;
}

/** Every store `spec.secretStoreRefs` names or selects, once each, in spec order. */
export function resolveStores(ps: PushSecret, catalog: StoreCatalog): ResolvedStore[] {
  const namespace = ps.metadata.namespace ?? 'default';
  const out = new Map<string, ResolvedStore>();
  for (const ref of ps.spec.secretStoreRefs) {
    const kind: StoreKind = ref.kind ?? 'SecretStore';
    const selector = ref.labelSelector;
    const stores = selector
      ? catalog
          .list(kind, namespace)
          .filter((s) => selectorMatches(selector, s.metadata.labels ?? {}))
      : [namedStore(kind, namespace, ref.name, catalog)];
    for (const store of stores) out.set(`${kind}/${store.metadata.name ?? ''}`, { kind, store });
  }
  return [...out.values()];
}

/**
 * True when the PushSecret plainly belongs to another controller: every store ref is a name and
 * every named store exists and names another `spec.controller`. Such a PushSecret is left alone
 * entirely (no finalizer, no status), as the ExternalSecret controller does.
 */
export function belongsToAnotherController(
  ps: PushSecret,
  catalog: StoreCatalog,
  controllerClass: string | undefined,
): boolean {
  const refs = ps.spec.secretStoreRefs;
  if (refs.length === 0 || refs.some((r) => r.labelSelector || !r.name)) return false;
  const namespace = ps.metadata.namespace ?? 'default';
  return refs.every((r) => {
    const store = catalog.get(r.kind ?? 'SecretStore', namespace, r.name ?? '');
    return store !== undefined && !isOurs(store, controllerClass);
  });
}

export interface StoreClientsDeps {
  client: KubeClient;
  catalog: StoreCatalog;
  registry: ProviderRegistry;
  kube: ProviderKubeAccess;
  clock: Clock;
  logger: Logger;
  fetch: typeof fetch;
}

/** Provider clients of one reconcile, keyed `<Kind>/<name>`. */
export class StoreClients {
  private readonly open = new Map<string, Promise<SecretsClient>>();

  constructor(
    private readonly deps: StoreClientsDeps,
    private readonly namespace: string,
  ) {}

  /** The client of a store; throws StoreLookupError with ESO's wording when it cannot be had. */
  get(kind: StoreKind, name: string): Promise<SecretsClient> {
    const key = `${kind}/${name}`;
    let client = this.open.get(key);
    if (!client) {
      client = this.connect(kind, name).catch((error: unknown) => {
        throw new StoreLookupError(
          `could not get secrets client for store ${name}: ${messageOf(error)}`,
          { cause: error },
        );
      });
      this.open.set(key, client);
    }
    return client;
  }

  async close(): Promise<void> {
    for (const c of this.open.values()) await c.then((x) => x.close()).catch(() => undefined);
    this.open.clear();
  }

  private async connect(kind: StoreKind, name: string): Promise<SecretsClient> {
    const store = this.deps.catalog.get(kind, this.namespace, name);
    if (!store) throw new StoreGoneError(`${PLURAL[kind]}.external-secrets.io "${name}" not found`);
    if (kind === 'ClusterSecretStore' && !(await this.mayUse(store)))
      throw new Error(
        `using cluster store "${name}" is not allowed from namespace "${this.namespace}": denied by spec.condition`,
      );
    return this.deps.registry.forStore(store).newClient(store, {
      namespace: this.namespace,
      kube: this.deps.kube,
      clock: this.deps.clock,
      logger: this.deps.logger,
      fetch: this.deps.fetch,
    });
  }

  private async mayUse(store: AnySecretStore): Promise<boolean> {
    const conditions = store.spec.conditions;
    if (!needsNamespaceLabels(conditions)) return namespaceAllowed(conditions, this.namespace, {});
    const ns = await this.deps.client.get(Resources.Namespace, { name: this.namespace });
    return namespaceAllowed(conditions, this.namespace, ns?.metadata.labels ?? {});
  }
}
