/**
 * Go slices have a capacity: `slice (slice .l 0 1) 0 2` reads past the first result's length
 * into the array behind it. JS arrays have none, so a slice result remembers its backing array
 * in a hidden property; other arrays count their length as capacity (true for `list` results;
 * Go's JSON decoding may leave a larger one, which is not modelled).
 */
import type { GoValue } from './value.ts';

const BACKING: unique symbol = Symbol('ferry.template.sliceBacking');

interface Backing {
  readonly array: readonly GoValue[];
  readonly start: number;
  readonly cap: number;
}

type Sliced = GoValue[] & { [BACKING]?: Backing };

/** Go's cap of a slice held as a JS array. */
export function capOf(items: readonly GoValue[]): number {
  return (items as Sliced)[BACKING]?.cap ?? items.length;
}

/** items[lo:hi] or items[lo:hi:max], reading up to the capacity. The caller checks bounds. */
export function sliceWithCap(
  items: readonly GoValue[],
  lo: number,
  hi: number,
  max?: number,
): GoValue[] {
  const b = (items as Sliced)[BACKING] ?? { array: items, start: 0, cap: items.length };
  const out: Sliced = b.array.slice(b.start + lo, b.start + hi);
  const cap = (max ?? b.cap) - lo;
  if (cap > out.length) {
    Object.defineProperty(out, BACKING, { value: { array: b.array, start: b.start + lo, cap } });
  }
  return out;
}
