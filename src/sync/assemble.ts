/**
 * Step 3 of the sync: turn what the providers returned into the provider data map
 * (eso.md §2.2, §9.2–§9.4, §9.10). Pure: the reads already happened (see fetch.ts); each entry
 * arrives as a value or the error its read raised.
 */
import type { ExternalSecret, ExternalSecretDataFrom, Rewrite } from '../api/types.ts';
import { decodeMap, decodeValue } from './decoding.ts';
import { isNoSecret, messageOf, SyncError, wrap } from './errors.ts';
import type { SyncEvent } from './events.ts';
import { convertKeys, validateKeys } from './keys.ts';
import { sortedEntries } from './order.ts';
import { rewriteMap } from './rewrite.ts';
import type { TemplateEngine } from './template/engine.ts';

export type ByteMap = Map<string, Uint8Array>;

/** The outcome of one read: its value, or the error it raised. */
export type Fetched<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface FetchedData {
  /** One per `spec.dataFrom[i]`, same order; `undefined` for entries that read nothing. */
  dataFrom: (Fetched<ByteMap> | undefined)[];
  /** One per `spec.data[i]`, same order. */
  data: Fetched<Uint8Array>[];
}

export interface AssembledData {
  data: ByteMap;
  events: SyncEvent[];
}

interface MapPipeline {
  rewrite?: readonly Rewrite[] | undefined;
  conversionStrategy?: string | undefined;
  decodingStrategy?: string | undefined;
  nullBytePolicy?: string | undefined;
}

const NULL_BYTE_HINT =
  'contains null bytes; use a text-safe format such as PEM/base64 or leave nullBytePolicy unset for intentional binary data';

function checkNullBytes(policy: string | undefined, key: string, value: Uint8Array): void {
  if (policy === 'Fail' && value.includes(0)) {
    throw new SyncError(`fetched secret value for key ${JSON.stringify(key)} ${NULL_BYTE_HINT}`);
  }
}

/**
 * The extract/find pipeline: rewrite, then ConvertKeys only when there is no rewrite, then key
 * validation, decoding and the null-byte check (ESO `handleExtractSecrets`).
 */
export function processSecretMap(
  raw: ByteMap,
  pipeline: MapPipeline,
  engine: TemplateEngine,
): ByteMap {
  let out = raw;
  const rewrite = pipeline.rewrite ?? [];
  if (rewrite.length > 0) {
    out = guard('error applying rewrite to keys: ', () => rewriteMap(rewrite, out, engine));
  } else {
    out = guard(
      `error applying conversion strategy ${pipeline.conversionStrategy ?? ''} to keys: `,
      () => convertKeys(pipeline.conversionStrategy, out),
    );
  }
  out = new Map(out);
  guard('invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): ', () => {
    validateKeys(out);
  });
  out = guard(`error applying decoding strategy ${pipeline.decodingStrategy ?? ''} to data: `, () =>
    decodeMap(pipeline.decodingStrategy, out),
  );
  for (const [key, value] of sortedEntries(out))
    checkNullBytes(pipeline.nullBytePolicy, key, value);
  return out;
}

/** One `data[]` item: decode, then the null-byte check (conversionStrategy is ignored, §9.2). */
export function processSecretValue(
  key: string,
  raw: Uint8Array,
  ref: { decodingStrategy?: string | undefined; nullBytePolicy?: string | undefined },
): Uint8Array {
  const value = guard(
    `error applying decoding strategy ${ref.decodingStrategy ?? ''} to data: `,
    () => decodeValue(ref.decodingStrategy, raw),
  );
  checkNullBytes(ref.nullBytePolicy, key, value);
  return value;
}

function guard<T>(prefix: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw wrap(prefix, error);
  }
}

function dataFromKind(entry: ExternalSecretDataFrom): string {
  if (entry.find) return 'find';
  if (entry.extract) return 'extract';
  return 'sourceRef.generatorRef';
}

function pipelineOf(entry: ExternalSecretDataFrom): MapPipeline {
  const ref = entry.find ?? entry.extract;
  return {
    rewrite: entry.rewrite,
    // Generators skip conversion and decoding (ESO `handleGenerateSecrets`).
    conversionStrategy: ref?.conversionStrategy,
    decodingStrategy: ref?.decodingStrategy,
    nullBytePolicy: ref?.nullBytePolicy,
  };
}

function processDataFrom(
  entry: ExternalSecretDataFrom,
  fetched: Fetched<ByteMap>,
  engine: TemplateEngine,
): ByteMap {
  if (!fetched.ok) {
    const prefix = entry.find ? 'error getting all secrets: ' : '';
    throw prefix ? wrap(prefix, fetched.error) : fetched.error;
  }
  if (!entry.find && !entry.extract) {
    const out = guard('error applying rewrite to keys: ', () =>
      rewriteMap(entry.rewrite ?? [], fetched.value, engine),
    );
    const copy = new Map(out);
    guard('invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): ', () => {
      validateKeys(copy);
    });
    return copy;
  }
  return processSecretMap(fetched.value, pipelineOf(entry), engine);
}

/**
 * ESO `GetProviderSecretData` over already-fetched reads: dataFrom in order (later wins), then
 * data[] overrides. A NoSecretError is skipped with a `MissingProviderSecret` event unless
 * deletionPolicy is Retain.
 */
export function assembleProviderData(
  es: ExternalSecret,
  fetched: FetchedData,
  engine: TemplateEngine,
): AssembledData {
  const skipMissing = (es.spec.target?.deletionPolicy ?? 'Retain') !== 'Retain';
  const data: ByteMap = new Map();
  const events: SyncEvent[] = [];
  const missing = (message: string): void => {
    events.push({ type: 'Normal', reason: 'MissingProviderSecret', message });
  };
  (es.spec.dataFrom ?? []).forEach((entry, i) => {
    const got = fetched.dataFrom[i];
    if (got === undefined) return;
    try {
      for (const [k, v] of processDataFrom(entry, got, engine)) data.set(k, v);
    } catch (error) {
      if (skipMissing && isNoSecret(error)) {
        missing(`secret does not exist at provider using spec.dataFrom[${i}]`);
        return;
      }
      throw new SyncError(
        `error processing spec.dataFrom[${i}].${dataFromKind(entry)}, err: ${messageOf(error)}`,
        {
          cause: error,
        },
      );
    }
  });
  (es.spec.data ?? []).forEach((item, i) => {
    const got = fetched.data[i];
    try {
      if (got === undefined) throw new SyncError('no read was made for this item');
      if (!got.ok) throw got.error;
      data.set(item.secretKey, processSecretValue(item.secretKey, got.value, item.remoteRef));
    } catch (error) {
      // ESO's text says "dataFrom" for data[] items too (eso.md §2.2 quirk).
      if (skipMissing && isNoSecret(error)) {
        missing(
          `secret does not exist at provider using spec.dataFrom[${i}] (key=${item.remoteRef.key})`,
        );
        return;
      }
      throw new SyncError(
        `error processing spec.data[${i}] (key: ${item.remoteRef.key}), err: ${messageOf(error)}`,
        {
          cause: error,
        },
      );
    }
  });
  return { data, events };
}
