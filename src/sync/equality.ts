/** Semantic equality of two target Secrets (ESO skips the update when `DeepEqual`). */
import type { TargetSecret } from './target-secret.ts';

/** A value with object keys sorted and undefined fields dropped, for order-insensitive comparison. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Empty maps equal absent ones, as the API server drops them. */
function normalizedMeta(meta: TargetSecret['metadata']): unknown {
  const isEmptyList = (k: string, v: unknown): boolean =>
    ['labels', 'annotations', 'finalizers', 'ownerReferences'].includes(k) &&
    v !== null &&
    typeof v === 'object' &&
    Object.keys(v).length === 0;
  return canonical(Object.fromEntries(Object.entries(meta).filter(([k, v]) => !isEmptyList(k, v))));
}

export function metadataEqual(a: TargetSecret, b: TargetSecret): boolean {
  return JSON.stringify(normalizedMeta(a.metadata)) === JSON.stringify(normalizedMeta(b.metadata));
}

export function dataEqual(
  a: ReadonlyMap<string, Uint8Array>,
  b: ReadonlyMap<string, Uint8Array>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || Buffer.compare(v, w) !== 0) return false;
  }
  return true;
}

/** Type, immutability and data: the fields an immutable Secret cannot change. */
export function contentEqual(a: TargetSecret, b: TargetSecret): boolean {
  return (
    (a.type ?? '') === (b.type ?? '') &&
    (a.immutable ?? false) === (b.immutable ?? false) &&
    dataEqual(a.data, b.data)
  );
}

export function secretsEqual(a: TargetSecret, b: TargetSecret): boolean {
  return contentEqual(a, b) && metadataEqual(a, b);
}
