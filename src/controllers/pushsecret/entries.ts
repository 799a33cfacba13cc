/**
 * What a PushSecret pushes to one store: its explicit `data[]` merged with the `dataTo[]` entries
 * that target that store, expanded against the source Secret's keys (ESO
 * `handlePushSecretDataForStore`, `expandDataTo`, `mergeDataEntries`). Pure functions: no I/O.
 */
import type { PushConversionStrategy, PushSecretData, PushSecretDataTo } from '../../api/types.ts';
import { messageOf } from '../../sync/errors.ts';
import type { TemplateEngine } from '../../sync/index.ts';
import { compileGoRegexp, goMatch, goReplaceAll } from '../../template/funcs/goregexp.ts';
import { selectorMatches } from '../conditions.ts';

/** A spec problem only an edit can fix (wrong dataTo, duplicate destinations, bad regexp). */
export class PushSpecError extends Error {}

export type ByteMap = ReadonlyMap<string, Uint8Array>;

/** One entry to push, with the bytes it reads (bundles read only their matched keys). */
export interface PushEntry {
  data: PushSecretData;
  source: ByteMap;
}

export interface StoreIdentity {
  kind: string;
  name: string;
  labels: Record<string, string>;
}

/** The status key of an entry: `remoteKey`, or `remoteKey/property` (ESO `statusRef`). */
export function statusRef(data: PushSecretData): string {
  const { remoteKey, property } = data.match.remoteRef;
  return property ? `${remoteKey}/${property}` : remoteKey;
}

const UNICODE_ESCAPE = /_U([0-9a-fA-F]{4,5})_/g;

/** ESO `ReverseKey`: `ReverseUnicode` turns `_U0040_` back into `@`. */
export function reverseKey(strategy: PushConversionStrategy | undefined, key: string): string {
  if (strategy !== 'ReverseUnicode') return key;
  return key.replace(UNICODE_ESCAPE, (whole, hex: string) => {
    const code = Number.parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** ESO `ReverseKeys`: all keys converted; two keys converting to one name is an error. */
export function reverseKeys(
  strategy: PushConversionStrategy | undefined,
  data: ByteMap,
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [k, v] of data) {
    const key = reverseKey(strategy, k);
    if (out.has(key))
      throw new PushSpecError(
        `could not apply conversion strategy to keys: secret name collision during conversion: ${key}`,
      );
    out.set(key, v);
  }
  return out;
}

/** ESO `validateDataToStoreRefs`: every dataTo names a store listed in secretStoreRefs. */
export function validateDataToStoreRefs(
  dataTo: readonly PushSecretDataTo[] | undefined,
  storeRefs: readonly { name?: string; kind?: string }[],
): void {
  (dataTo ?? []).forEach((d, i) => {
    if (!d.storeRef) throw new PushSpecError(`dataTo[${i}]: storeRef is required`);
    const ref = d.storeRef;
    if (!ref.name && !ref.labelSelector)
      throw new PushSpecError(`dataTo[${i}]: storeRef must have name or labelSelector`);
    const kind = ref.kind ?? 'SecretStore';
    if (
      ref.name &&
      !storeRefs.some((s) => s.name === ref.name && (s.kind ?? 'SecretStore') === kind)
    )
      throw new PushSpecError(`dataTo[${i}]: storeRef "${ref.name}" not found in secretStoreRefs`);
  });
}

function dataToTargets(d: PushSecretDataTo, store: StoreIdentity): boolean {
  const ref = d.storeRef;
  if (!ref) return false;
  const kind = ref.kind ?? 'SecretStore';
  if (kind !== store.kind) return false;
  if (ref.name) return ref.name === store.name;
  return ref.labelSelector !== undefined && selectorMatches(ref.labelSelector, store.labels);
}

/** ESO `validateDataToMatchesResolvedStores`: a dataTo label selector must hit some store. */
export function validateDataToMatchesStores(
  dataTo: readonly PushSecretDataTo[] | undefined,
  stores: readonly StoreIdentity[],
): void {
  (dataTo ?? []).forEach((d, i) => {
    if (!d.storeRef?.labelSelector || d.storeRef.name) return;
    if (!stores.some((s) => dataToTargets(d, s)))
      throw new PushSpecError(
        `dataTo[${i}]: labelSelector does not match any store in secretStoreRefs`,
      );
  });
}

type KeyRewrite = (key: string) => string;

function compileRewrite(
  op: NonNullable<PushSecretDataTo['rewrite']>[number],
  engine: TemplateEngine,
): KeyRewrite {
  if (op.regexp) {
    const re = compileGoRegexp(op.regexp.source);
    const target = op.regexp.target;
    return (key) => goReplaceAll(re, key, target, false);
  }
  if (op.transform) {
    const text = op.transform.template;
    return (key) =>
      engine.render(text, new Map([['value', key]]), { name: 't', missingKeyError: false });
  }
  return (key) => key;
}

/** Source key → remote key after every rewrite, in order. */
function rewriteKeys(
  rewrites: PushSecretDataTo['rewrite'],
  keys: readonly string[],
  engine: TemplateEngine,
): Map<string, string> {
  let mapping = new Map(keys.map((k) => [k, k]));
  (rewrites ?? []).forEach((op, i) => {
    let apply: KeyRewrite;
    try {
      apply = compileRewrite(op, engine);
    } catch (error) {
      throw new PushSpecError(`rewrite[${i}]: ${messageOf(error)}`, { cause: error });
    }
    const next = new Map<string, string>();
    for (const [orig, current] of mapping) {
      try {
        next.set(orig, apply(current));
      } catch (error) {
        throw new PushSpecError(`rewrite[${i}] on key "${current}": ${messageOf(error)}`, {
          cause: error,
        });
      }
    }
    mapping = next;
  });
  return mapping;
}

function matchedKeys(keys: string[], pattern: string | undefined): string[] {
  if (!pattern) return keys;
  let re;
  try {
    re = compileGoRegexp(pattern);
  } catch (error) {
    throw new PushSpecError(`match failed: failed to compile regexp pattern "${pattern}"`, {
      cause: error,
    });
  }
  return keys.filter((k) => goMatch(re, k));
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One dataTo entry: a bundle (remoteKey set) or one entry per matched (rewritten) key. */
function expandOne(d: PushSecretDataTo, source: ByteMap, engine: TemplateEngine): PushEntry[] {
  const converted = reverseKeys(d.conversionStrategy, source);
  const original = new Map([...source.keys()].map((k) => [reverseKey(d.conversionStrategy, k), k]));
  const keys = matchedKeys([...converted.keys()].sort(compareKeys), d.match?.regexp);
  if (keys.length === 0) return [];
  const meta = d.metadata === undefined ? {} : { metadata: d.metadata };
  if (d.remoteKey) {
    const bundle = new Map(keys.map((k) => [k, converted.get(k) ?? new Uint8Array()]));
    const data = { match: { remoteRef: { remoteKey: d.remoteKey } }, ...meta };
    return [{ data: { ...data, conversionStrategy: 'None' }, source: bundle }];
  }
  const mapping = rewriteKeys(d.rewrite, keys, engine);
  return [...mapping.keys()].sort(compareKeys).map((k) => {
    const remoteKey = mapping.get(k) ?? '';
    if (!remoteKey) throw new PushSpecError(`empty remote key produced for source key "${k}"`);
    return {
      data: {
        match: { secretKey: original.get(k) ?? k, remoteRef: { remoteKey } },
        ...meta,
        conversionStrategy: 'None',
      },
      source,
    };
  });
}

function expandDataTo(
  dataTo: readonly PushSecretDataTo[],
  source: ByteMap,
  engine: TemplateEngine,
): PushEntry[] {
  const out: PushEntry[] = [];
  const seen = new Map<string, string>();
  dataTo.forEach((d, i) => {
    let entries: PushEntry[];
    try {
      entries = expandOne(d, source, engine);
    } catch (error) {
      throw new PushSpecError(`failed to expand dataTo: dataTo[${i}]: ${messageOf(error)}`, {
        cause: error,
      });
    }
    for (const e of entries) {
      const remote = e.data.match.remoteRef.remoteKey;
      const from = d.remoteKey ? '(bundle)' : (e.data.match.secretKey ?? '');
      const earlier = seen.get(remote);
      if (earlier !== undefined)
        throw new PushSpecError(
          `failed to expand dataTo: dataTo[${i}]: duplicate remote key "${remote}" from source key "${from}" (conflicts with ${earlier})`,
        );
      seen.set(remote, `dataTo[${i}]:${from}`);
    }
    out.push(...entries);
  });
  return out;
}

/** The source key an explicit entry reads, before its conversion (ESO `resolveOriginalKey`). */
function originalKey(data: PushSecretData, source: ByteMap): string {
  const key = data.match.secretKey ?? '';
  if (!data.conversionStrategy || data.conversionStrategy === 'None') return key;
  for (const k of source.keys()) if (reverseKey(data.conversionStrategy, k) === key) return k;
  return key;
}

function assertUniqueDestinations(entries: readonly PushEntry[]): void {
  const seen = new Map<string, string>();
  for (const { data } of entries) {
    const { remoteKey, property } = data.match.remoteRef;
    const where = JSON.stringify([remoteKey, property ?? '']);
    const from = data.match.secretKey ?? '';
    const earlier = seen.get(where);
    if (earlier !== undefined) {
      const dest = property
        ? `duplicate remote key "${remoteKey}" with property "${property}"`
        : `duplicate remote key "${remoteKey}"`;
      throw new PushSpecError(
        `failed to merge data entries: ${dest}: source keys "${earlier}" and "${from}" both map to the same destination`,
      );
    }
    seen.set(where, from);
  }
}

/**
 * The entries to push to `store`: dataTo entries for it (explicit data wins on the same source
 * key), then the explicit data, each with the (converted) bytes it reads.
 */
export function entriesForStore(
  spec: { data?: PushSecretData[]; dataTo?: PushSecretDataTo[] },
  store: StoreIdentity,
  source: ByteMap,
  engine: TemplateEngine,
): PushEntry[] {
  const dataTo = (spec.dataTo ?? []).filter((d) => dataToTargets(d, store));
  const explicit = spec.data ?? [];
  const explicitKeys = new Set(explicit.map((d) => originalKey(d, source)));
  const expanded = expandDataTo(dataTo, source, engine).filter(
    (e) => !explicitKeys.has(e.data.match.secretKey ?? ''),
  );
  const entries = [
    ...expanded,
    ...explicit.map((data) => ({ data, source: reverseKeys(data.conversionStrategy, source) })),
  ];
  assertUniqueDestinations(entries);
  return entries;
}
