/** Small statistics for the benchmarks' figures. */

/** Nearest-rank percentile (`p` in 0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/**
 * Peak over mean of events in any `windowMs` window (sliding) within [from, to): 1 is perfectly
 * even; n·windowMs/(to-from) means everything fell into one window.
 */
export function peakOverMean(
  times: readonly number[],
  span: { from: number; to: number },
  windowMs: number,
): { peak: number; mean: number; ratio: number } {
  const inside = times.filter((t) => t >= span.from && t < span.to).sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < inside.length; end++) {
    while ((inside[end] ?? 0) - (inside[start] ?? 0) >= windowMs) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  const mean = (inside.length * windowMs) / (span.to - span.from);
  return { peak, mean, ratio: mean > 0 ? peak / mean : Number.NaN };
}
