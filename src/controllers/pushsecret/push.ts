/**
 * Pushing to and deleting from the providers (ESO `PushSecretToProviders`, `pushSecretEntry`,
 * `DeleteSecretFromProviders`). Errors carry ESO's wording and the synced state reached so far,
 * so the status records what is really in the providers.
 */
import type { PushSecret, PushSecretData, StoreKind } from '../../api/types.ts';
import type { SecretsClient } from '../../providers/provider.ts';
import type { TemplateEngine } from '../../sync/index.ts';
import { messageOf } from '../../sync/errors.ts';
import { entriesForStore, statusRef, type PushEntry } from './entries.ts';
import type { SourceSecret } from './source.ts';
import { mergeSynced, type SyncedMap } from './status.ts';
import { StoreGoneError, type ResolvedStore, type StoreClients } from './stores.ts';

/** A push or delete failed; `synced` is what the providers hold now, as far as we know. */
export class ProviderStepError extends Error {
  constructor(
    message: string,
    readonly synced: SyncedMap,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

async function pushEntry(
  client: SecretsClient,
  entry: PushEntry,
  opts: {
    updatePolicy: PushSecret['spec']['updatePolicy'];
    storeName: string;
    source: SourceSecret;
  },
): Promise<void> {
  const key = entry.data.match.secretKey ?? '';
  if (key !== '' && !entry.source.has(key)) throw new Error(`secret key ${key} does not exist`);
  if (opts.updatePolicy === 'IfNotExists') {
    let exists: boolean;
    try {
      exists = await client.secretExists(entry.data.match.remoteRef);
    } catch (error) {
      throw new Error(`could not verify if secret exists in store: ${messageOf(error)}`, {
        cause: error,
      });
    }
    if (exists) return;
  }
  try {
    const { type, labels, annotations } = opts.source;
    await client.pushSecret({ data: entry.source, type, labels, annotations }, entry.data);
  } catch (error) {
    throw new Error(
      `could not write remote ref ${key} to target secretstore ${opts.storeName}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

export interface PushInput {
  ps: PushSecret;
  sources: readonly SourceSecret[];
  stores: readonly ResolvedStore[];
  clients: StoreClients;
  engine: TemplateEngine;
}

/** Pushes one source to one store; fills `synced` entry by entry as pushes succeed. */
async function pushToStore(
  input: PushInput,
  source: SourceSecret,
  target: ResolvedStore,
  synced: Record<string, PushSecretData>,
): Promise<void> {
  const name = target.store.metadata.name ?? '';
  const client = await input.clients.get(target.kind, name);
  const identity = { kind: target.kind, name, labels: target.store.metadata.labels ?? {} };
  const entries = entriesForStore(input.ps.spec, identity, source.data, input.engine);
  for (const entry of entries) {
    await pushEntry(client, entry, {
      updatePolicy: input.ps.spec.updatePolicy,
      storeName: name,
      source,
    });
    synced[statusRef(entry.data)] = entry.data;
  }
}

/** Pushes every source to every store; the synced map of what was pushed. */
export async function pushToProviders(input: PushInput): Promise<SyncedMap> {
  const synced: SyncedMap = {};
  for (const source of input.sources) {
    for (const target of input.stores) {
      const storeKey = `${target.kind}/${target.store.metadata.name ?? ''}`;
      try {
        await pushToStore(input, source, target, (synced[storeKey] ??= {}));
      } catch (error) {
        throw new ProviderStepError(
          `set secret failed: ${messageOf(error)}`,
          mergeSynced(synced, input.ps.status?.syncedPushSecrets),
          { cause: error },
        );
      }
    }
  }
  return synced;
}

function splitStoreKey(storeKey: string): { kind: StoreKind; name: string } {
  const slash = storeKey.indexOf('/');
  const kind =
    storeKey.slice(0, slash) === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore';
  return { kind, name: storeKey.slice(slash + 1) };
}

function withoutEntry(map: SyncedMap, storeKey: string, ref: string): SyncedMap {
  const entries = Object.entries(map[storeKey] ?? {}).filter(([r]) => r !== ref);
  return { ...map, [storeKey]: Object.fromEntries(entries) };
}

/** The store behind a StoreLookupError, if it is simply gone. */
function storeGone(error: unknown): boolean {
  return error instanceof Error && error.cause instanceof StoreGoneError;
}

/**
 * ESO `DeleteSecretFromProviders`: removes from the providers every entry of the current status
 * that `next` no longer has (all of them when `next` is empty). Returns the status map to keep.
 * Ferry: entries of a store that no longer exists are dropped and reported through `onStoreGone`
 * instead of failing forever (ESO keeps such stores with a finalizer Ferry does not add), so a
 * namespace being deleted does not hang on its PushSecrets.
 */
export async function deleteDropped(
  ps: PushSecret,
  next: SyncedMap,
  clients: StoreClients,
  onStoreGone: (storeKey: string) => void = () => undefined,
): Promise<SyncedMap> {
  let out = mergeSynced(next, ps.status?.syncedPushSecrets);
  for (const [storeKey, oldEntries] of Object.entries(ps.status?.syncedPushSecrets ?? {})) {
    const wanted = next[storeKey] ?? {};
    const dropped = Object.entries(oldEntries).filter(([ref]) => !(ref in wanted));
    if (dropped.length === 0) continue;
    const state = { out };
    try {
      await deleteFromStore(storeKey, dropped, clients, state);
    } catch (error) {
      if (!storeGone(error))
        throw new ProviderStepError(messageOf(error), state.out, { cause: error });
      onStoreGone(storeKey);
      for (const [ref] of dropped) state.out = withoutEntry(state.out, storeKey, ref);
    }
    out = storeKey in next ? state.out : withoutStore(state.out, storeKey);
  }
  return out;
}

/** Deletes `dropped` from one store, updating `state.out` after each success. */
async function deleteFromStore(
  storeKey: string,
  dropped: [string, PushSecretData][],
  clients: StoreClients,
  state: { out: SyncedMap },
): Promise<void> {
  const { kind, name } = splitStoreKey(storeKey);
  const client = await clients.get(kind, name);
  for (const [ref, data] of dropped) {
    await client.deleteSecret(data.match.remoteRef);
    state.out = withoutEntry(state.out, storeKey, ref);
  }
}

function withoutStore(map: SyncedMap, storeKey: string): SyncedMap {
  return Object.fromEntries(Object.entries(map).filter(([k]) => k !== storeKey));
}
