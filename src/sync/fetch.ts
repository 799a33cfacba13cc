/**
 * Step 2 of the sync: read every `dataFrom[]` and `data[]` entry from its store. Reads run
 * concurrently and identical reads are coalesced; assembly (assemble.ts) then applies ESO's
 * order and error rules, so the outcome does not depend on which read finished first.
 */
import type {
  ExternalSecret,
  GeneratorRef,
  RemoteRef,
  SecretStoreRef,
  StoreKind,
} from '../api/types.ts';
import type { SecretsClient } from '../providers/provider.ts';
import type { ByteMap, Fetched, FetchedData } from './assemble.ts';
import { Coalescer, readKey } from './coalescer.ts';
import { SyncError } from './errors.ts';

/** A store reference with its kind resolved (empty kind means SecretStore, eso.md §1.2). */
export interface ResolvedStoreRef {
  name: string;
  kind: StoreKind;
}

export interface FetchDeps {
  /** The client for a store; the caller caches and closes clients (ESO: one per reconcile). */
  clientFor(ref: ResolvedStoreRef): Promise<SecretsClient>;
  /** Runs a generator (dataFrom[].sourceRef.generatorRef); absent means generators are unsupported. */
  generate?(ref: GeneratorRef, namespace: string): Promise<ByteMap>;
  /** Shared across the ExternalSecrets of one refresh window; a private one is used otherwise. */
  coalescer?: Coalescer;
  /**
   * How old a shared, settled read this fetch may take (default: the coalescer's TTL). Only a
   * periodic refresh asks for more (ADR 0015).
   */
  maxAgeMs?: number;
}

/** `sourceRef.storeRef` overrides `spec.secretStoreRef`. */
export function resolveStoreRef(es: ExternalSecret, override?: SecretStoreRef): ResolvedStoreRef {
  const ref = override ?? es.spec.secretStoreRef ?? {};
  return { name: ref.name ?? '', kind: ref.kind ?? 'SecretStore' };
}

function storeId(es: ExternalSecret, ref: ResolvedStoreRef): string {
  // A namespaced store's name is only unique within the ExternalSecret's namespace. A
  // ClusterSecretStore's reads are shared per namespace too: its conditions and referent
  // credentials depend on the reader's namespace, and a shared read must never let one
  // namespace see what only another may read.
  const kind = ref.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore';
  return `${kind}/${es.metadata.namespace ?? ''}/${ref.name}`;
}

/** The fields that change what a store returns; decoding and conversion happen afterwards. */
function readIdentity(ref: RemoteRef): object {
  return {
    key: ref.key,
    property: ref.property,
    version: ref.version,
    metadataPolicy: ref.metadataPolicy,
  };
}

async function settle<T>(read: () => Promise<T>): Promise<Fetched<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error };
  }
}

function cloneMap(m: ByteMap): ByteMap {
  return new Map([...m].map(([k, v]) => [k, v.slice()]));
}

/** Reads everything an ExternalSecret needs; never throws (errors are returned per entry). */
export async function fetchProviderData(es: ExternalSecret, deps: FetchDeps): Promise<FetchedData> {
  const coalescer = deps.coalescer ?? new Coalescer();
  const share = deps.maxAgeMs !== undefined ? { maxAgeMs: deps.maxAgeMs } : {};
  const clients = new Map<string, Promise<SecretsClient>>();
  const client = (ref: ResolvedStoreRef): Promise<SecretsClient> => {
    const id = storeId(es, ref);
    let c = clients.get(id);
    if (!c) clients.set(id, (c = deps.clientFor(ref)));
    return c;
  };
  const namespace = es.metadata.namespace ?? '';

  const dataFrom = (es.spec.dataFrom ?? []).map((entry) => {
    const store = resolveStoreRef(es, entry.sourceRef?.storeRef);
    if (entry.find) {
      const find = entry.find;
      const key = readKey({
        op: 'find',
        store: storeId(es, store),
        ref: { path: find.path, name: find.name, tags: find.tags },
      });
      return settle(async () =>
        cloneMap(
          await coalescer.run(key, async () => (await client(store)).getAllSecrets(find), share),
        ),
      );
    }
    if (entry.extract) {
      const ref = entry.extract;
      const key = readKey({ op: 'map', store: storeId(es, store), ref: readIdentity(ref) });
      return settle(async () =>
        cloneMap(
          await coalescer.run(key, async () => (await client(store)).getSecretMap(ref), share),
        ),
      );
    }
    const generatorRef = entry.sourceRef?.generatorRef;
    if (generatorRef) {
      // Generators produce fresh values on every call: never coalesced.
      return settle(() => {
        if (!deps.generate)
          throw new SyncError(
            `generator ${generatorRef.kind}/${generatorRef.name} is not supported`,
          );
        return deps.generate(generatorRef, namespace);
      });
    }
    return Promise.resolve(undefined);
  });

  const data = (es.spec.data ?? []).map((item) => {
    const store = resolveStoreRef(es, item.sourceRef?.storeRef);
    const ref = item.remoteRef;
    const key = readKey({ op: 'value', store: storeId(es, store), ref: readIdentity(ref) });
    return settle(async () =>
      (await coalescer.run(key, async () => (await client(store)).getSecret(ref), share)).slice(),
    );
  });

  return { dataFrom: await Promise.all(dataFrom), data: await Promise.all(data) };
}
