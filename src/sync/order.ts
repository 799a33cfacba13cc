/** Go's string order (bytewise over UTF-8, i.e. by code point), used wherever ESO sorts keys. */
export function compareGoStrings(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** A map's or record's entries in Go's key order. */
export function sortedEntries<V>(
  m: ReadonlyMap<string, V> | Readonly<Record<string, V>> | undefined,
): [string, V][] {
  if (m === undefined) return [];
  const entries: [string, V][] =
    m instanceof Map ? [...(m as ReadonlyMap<string, V>)] : Object.entries(m as Record<string, V>);
  return entries.sort(([a], [b]) => compareGoStrings(a, b));
}
