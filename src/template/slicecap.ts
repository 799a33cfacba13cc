/**
 * Go slices have a capacity: `slice (slice .l 0 1) 0 2` reads past the first result's length
 * into the array behind it. JS arrays have none, so a slice result remembers its backing array
 * in a hidden property; other arrays count their length as capacity (true for `list` results).
 * Arrays decoded from JSON get the spare capacity Go's append growth leaves (`jsonArray`).
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

/**
 * An array as encoding/json builds it into []interface{}: appended one by one, so up to 256
 * items its capacity is the next power of two, the spare slots nil. Larger ones keep cap = len
 * (Go's growth formula there is not modelled).
 */
export function jsonArray(items: GoValue[]): GoValue[] {
  const n = items.length;
  if (n === 0 || n > 256) return items;
  let cap = 1;
  while (cap < n) cap *= 2;
  if (cap === n) return items;
  const array = [...items, ...new Array<GoValue>(cap - n).fill(null)];
  Object.defineProperty(items, BACKING, { value: { array, start: 0, cap } });
  return items;
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
