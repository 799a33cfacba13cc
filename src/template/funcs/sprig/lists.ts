/** Sprig's list.go. Functions and their must* twins fail the same way (a panic is an error). */
import { FuncError, GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import { any, fixed, goKindName, int, isListLike, listItems, strings, variadic } from './args.ts';
import { isEmpty } from './defaults.ts';
import { toInt } from './numeric.ts';
import { deepEqual } from './reflect.ts';
import { capOf, sliceWithCap } from '../../slicecap.ts';
import { strslice } from './strings.ts';
import { strval } from './strval.ts';

const nilDeref = 'runtime error: invalid memory address or nil pointer dereference';

/** The items of a slice argument, or Go's error `<what> type <kind>`. */
function itemsOf(v: GoValue, what: string): GoValue[] {
  if (v === null) throw new FuncError(nilDeref);
  if (!isListLike(v)) throw new FuncError(`${what} ${goKindName(v)}`);
  return listItems(v);
}

/** Declares `name` and `mustName`: both fail on a non-list (sprig panics in the former). */
function pair(name: string, what: string, op: (items: GoValue[]) => GoValue): [string, GoFunc][] {
  const must = `must${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;
  return [
    fixed(name, [any], (l) => op(itemsOf(l, what))),
    fixed(must, [any], (l) => op(itemsOf(l, what))),
  ];
}

function chunk(size: number, items: GoValue[]): GoValue {
  const l = items.length;
  const count = Math.floor((l - 1) / size) + 1;
  if (!Number.isFinite(count) || count < 0) {
    throw new FuncError('runtime error: makeslice: len out of range');
  }
  const out: GoValue[] = [];
  for (let i = 0; i < count; i++) {
    let clen = size;
    if (i === count - 1) {
      clen = Math.floor(l % size);
      if (clen === 0) clen = size;
    }
    if (i * size + clen > l) throw new FuncError('runtime error: index out of range');
    out.push(items.slice(i * size, i * size + clen));
  }
  return new GoTyped('[][]interface {}', out);
}

function sliceOf(list: GoValue, indices: GoValue[]): GoValue {
  if (list === null) throw new FuncError(nilDeref);
  if (!isListLike(list)) {
    throw new FuncError(`list should be type of slice or array but ${goKindName(list)}`);
  }
  const items = listItems(list);
  if (items.length === 0) return null;
  const start = indices.length > 0 ? Number(toInt(indices[0] ?? null)) : 0;
  const end = indices.length < 2 ? items.length : Number(toInt(indices[1] ?? null));
  if (start < 0 || end < start || end > capOf(items)) {
    throw new FuncError('reflect.Value.Slice: slice index out of bounds');
  }
  const out = sliceWithCap(items, start, end);
  return list instanceof GoTyped ? new GoTyped(list.type, out) : out;
}

function hasItem(needle: GoValue, haystack: GoValue): boolean {
  if (haystack === null) return false;
  if (!isListLike(haystack)) throw new FuncError(`Cannot find has on type ${goKindName(haystack)}`);
  return listItems(haystack).some((x) => deepEqual(needle, x));
}

function uniq(items: GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const x of items) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

/** A nil []interface{}: prints as [] but marshals to JSON null. */
const nilList = new GoTyped('[]interface {}', null);

function concat(lists: GoValue[]): GoValue {
  const out: GoValue[] = [];
  for (const l of lists) {
    if (l === null) throw new FuncError(nilDeref);
    if (!isListLike(l)) throw new FuncError(`Cannot concat type ${goKindName(l)} as list`);
    out.push(...listItems(l));
  }
  // Go appends to a nil slice: nothing appended leaves it nil (toJson prints null).
  return out.length === 0 ? nilList : out;
}

/** The list.go functions, keyed by template name. */
export function listFuncs(): [string, GoFunc][] {
  const push = (l: GoValue, v: GoValue): GoValue => [...itemsOf(l, 'Cannot push on type'), v];
  const prepend = (l: GoValue, v: GoValue): GoValue => [v, ...itemsOf(l, 'Cannot prepend on type')];
  const without = (l: GoValue, omit: GoValue[]): GoValue =>
    itemsOf(l, 'Cannot find without on type').filter((x) => !omit.some((o) => deepEqual(o, x)));
  return [
    variadic('list', [], any, (vs) => vs),
    variadic('tuple', [], any, (vs) => vs),
    fixed('append', [any, any], push),
    fixed('push', [any, any], push),
    fixed('mustAppend', [any, any], push),
    fixed('mustPush', [any, any], push),
    fixed('prepend', [any, any], prepend),
    fixed('mustPrepend', [any, any], prepend),
    fixed('chunk', [int, any], (n, l) => chunk(n, itemsOf(l, 'Cannot chunk type'))),
    fixed('mustChunk', [int, any], (n, l) => chunk(n, itemsOf(l, 'Cannot chunk type'))),
    ...pair('first', 'Cannot find first on type', (xs) => xs[0] ?? null),
    ...pair('last', 'Cannot find last on type', (xs) => xs[xs.length - 1] ?? null),
    ...pair('rest', 'Cannot find rest on type', (xs) => (xs.length === 0 ? nilList : xs.slice(1))),
    ...pair('initial', 'Cannot find initial on type', (xs) =>
      xs.length === 0 ? nilList : xs.slice(0, -1),
    ),
    ...pair('reverse', 'Cannot find reverse on type', (xs) => [...xs].reverse()),
    ...pair('compact', 'Cannot compact on type', (xs) => xs.filter((x) => !isEmpty(x))),
    ...pair('uniq', 'Cannot find uniq on type', uniq),
    variadic('without', [any], any, without),
    variadic('mustWithout', [any], any, without),
    fixed('has', [any, any], hasItem),
    fixed('mustHas', [any, any], hasItem),
    variadic('slice', [any], any, sliceOf),
    variadic('mustSlice', [any], any, sliceOf),
    variadic('concat', [], any, concat),
    fixed('sortAlpha', [any], (l) => {
      if (isListLike(l)) return strings(strslice(l).sort(compareBytes));
      return strings([strval(l)]);
    }),
  ];
}

/** Go's string order: byte-wise on UTF-8, which is code-point order. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
