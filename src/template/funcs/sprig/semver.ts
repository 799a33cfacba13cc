/** Masterminds/semver v3.4.0 (the version ESO builds with) behind `semver` and `semverCompare`. */
import { withSignature } from '../../types.ts';
import {
  FuncError,
  GO_METHODS,
  GoTyped,
  type GoFunc,
  type GoValue,
  type HasGoMethods,
} from '../../value.ts';
import { fixed, str } from './args.ts';

interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

const VERSION =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const MAX_U64 = 2n ** 64n - 1n;

function segment(s: string): bigint {
  const n = BigInt(s);
  if (n > MAX_U64) {
    throw new FuncError(
      `error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`,
    );
  }
  return n;
}

/** semver.NewVersion (the loose parser: "v" prefix and missing minor/patch allowed). */
export function parseVersion(v: string): Version {
  const m = VERSION.exec(v);
  if (m === null) throw new FuncError('invalid semantic version');
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  for (const p of pre === '' ? [] : pre.split('.')) {
    if (/^\d+$/.test(p) && p.length > 1 && p.startsWith('0'))
      throw new FuncError('version segment starts with 0');
  }
  return {
    major: segment(m[1] ?? '0'),
    minor: segment((m[2] ?? '.0').slice(1)),
    patch: segment((m[3] ?? '.0').slice(1)),
    pre,
    metadata,
    original: v,
  };
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function comparePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sn = /^\d+$/.test(s) && BigInt(s) <= MAX_U64;
  const on = /^\d+$/.test(o) && BigInt(o) <= MAX_U64;
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePre(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = comparePart(x[i] ?? '', y[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare. */
export function compareVersions(a: Version, b: Version): number {
  const d = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePre(a.pre, b.pre);
}

interface Constraint {
  op: string;
  con: Version;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const CV = String.raw`v?([0-9|xX*]+)(\.[0-9|xX*]+)?(\.[0-9|xX*]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?`;
const CVN = CV.replace(/\((?!\?)/g, '(?:'); // the same shape without capture groups
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const WS = String.raw`[\t\n\f\r ]`;
const CONSTRAINT = new RegExp(`^${WS}*(${OPS})${WS}*(${CV})${WS}*$`);
const RANGE = new RegExp(`${WS}*(${CVN})${WS}+-${WS}+(${CVN})${WS}*`, 'g');
const FIND = new RegExp(`(?:${OPS})${WS}*(?:${CVN})`, 'g');
const VALID = new RegExp(
  `^(?:${WS}*(?:${OPS})${WS}*(?:${CVN})${WS}*)(?:(?:${WS}+|,${WS}*)(?:${OPS})${WS}*(?:${CVN})${WS}*)*$`,
);

const isX = (s: string): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT.exec(c);
  if (m === null) throw new FuncError(`improper constraint: ${c}`);
  const [, op = '', , major = '', minorP = '', patchP = '', preP = ''] = m;
  const pre = preP;
  let ver = m[2] ?? '';
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minorP.slice(1)) || minorP === '') {
    [ver, dirty, minorDirty] = [`${major}.0.0${pre}`, true, true];
  } else if (isX(patchP.slice(1)) || patchP === '') {
    [ver, dirty, patchDirty] = [`${major}${minorP}.0${pre}`, true, true];
  }
  let con: Version;
  try {
    con = parseVersion(ver);
  } catch {
    throw new FuncError('constraint parser error');
  }
  return { op, con, dirty, minorDirty, patchDirty };
}

function tilde(v: Version, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (
    c.con.major === 0n &&
    c.con.minor === 0n &&
    c.con.patch === 0n &&
    !c.minorDirty &&
    !c.patchDirty
  )
    return true;
  if (v.major !== c.con.major) return false;
  return !(v.minor !== c.con.minor && !c.minorDirty);
}

function caret(v: Version, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
  if (v.major > 0n) return false;
  if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
  if (v.minor > 0n) return false;
  return c.con.patch === v.patch;
}

function notEqual(v: Version, c: Constraint): boolean {
  if (c.dirty) {
    if (c.con.major !== v.major) return true;
    if (c.con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty)
      return (v.pre !== '' || c.con.pre !== '') && comparePre(v.pre, c.con.pre) !== 0;
  }
  return compareVersions(v, c.con) !== 0;
}

function greater(v: Version, c: Constraint): boolean {
  if (!c.dirty) return compareVersions(v, c.con) === 1;
  if (v.major !== c.con.major) return v.major > c.con.major;
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.minor > c.con.minor;
  return compareVersions(v, c.con) === 1;
}

function lessEqual(v: Version, c: Constraint): boolean {
  if (!c.dirty) return compareVersions(v, c.con) <= 0;
  if (v.major > c.con.major) return false;
  return !(v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty);
}

/** One constraint; a prerelease only passes if its OR-group mentions a prerelease (v3.4). */
function check(v: Version, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  if (c.op === '!=') return notEqual(v, c);
  switch (c.op) {
    case '>':
      return greater(v, c);
    case '<':
      return compareVersions(v, c.con) < 0;
    case '>=':
    case '=>':
      return compareVersions(v, c.con) >= 0;
    case '<=':
    case '=<':
      return lessEqual(v, c);
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c);
    default:
      return c.dirty ? tilde(v, c) : compareVersions(v, c.con) === 0;
  }
}

/** semver.NewConstraint(c).Check(version). */
export function semverCompare(constraint: string, version: string): boolean {
  const rewritten = constraint.replace(RANGE, (_, a: string, b: string) => `>= ${a}, <= ${b} `);
  const groups = rewritten.split('||').map((part) => {
    if (!VALID.test(part)) throw new FuncError(`improper constraint: ${part}`);
    const found = part.match(FIND) ?? [part];
    return found.map(parseConstraint);
  });
  const v = parseVersion(version);
  return groups.some((g) => {
    const includePre = g.some((c) => c.con.pre !== '');
    return g.every((c) => check(v, c, includePre));
  });
}

function versionString(v: Version): string {
  const pre = v.pre ? `-${v.pre}` : '';
  return `${v.major}.${v.minor}.${v.patch}${pre}${v.metadata ? `+${v.metadata}` : ''}`;
}

/** Version.originalVPrefix: "v" when the parsed text started with one. */
const vPrefix = (v: Version): string => (v.original.startsWith('v') ? 'v' : '');

/** Version.IncMajor/IncMinor/IncPatch (v3.4): pre-release and metadata are dropped. */
function increment(v: Version, part: 'major' | 'minor' | 'patch'): Version {
  let next: Version = { ...v, pre: '', metadata: '' };
  if (part === 'major') next = { ...next, major: v.major + 1n, minor: 0n, patch: 0n };
  else if (part === 'minor') next = { ...next, minor: v.minor + 1n, patch: 0n };
  // IncPatch of a pre-release only drops the pre-release (1.2.3-beta → 1.2.3).
  else if (v.pre === '') next = { ...next, patch: v.patch + 1n };
  return { ...next, original: vPrefix(v) + versionString(next) };
}

const u64 = (n: bigint): GoTyped => new GoTyped('uint64', n);

/**
 * A Masterminds semver version: `semver` returns a `*semver.Version`, the Inc* methods a
 * `semver.Version`. Methods as in v3.4; fmt prints it through String(), JSON marshals the string.
 */
class VersionValue extends GoTyped implements HasGoMethods {
  constructor(
    readonly version: Version,
    private readonly pointer: boolean,
  ) {
    super(pointer ? '*semver.Version' : 'semver.Version', versionString(version));
  }

  goJson(): string {
    return JSON.stringify(versionString(this.version));
  }

  [GO_METHODS](name: string): GoFunc | undefined {
    const v = this.version;
    const nullary = (result: string, f: () => GoValue): GoFunc =>
      withSignature({ params: [], result }, f);
    const compare = (result: string, f: (d: number) => GoValue): GoFunc =>
      withSignature({ params: ['*semver.Version'], result }, (o) => {
        if (!(o instanceof VersionValue))
          throw new FuncError('invalid memory address or nil pointer dereference');
        return f(compareVersions(v, o.version));
      });
    switch (name) {
      case 'Major':
        return nullary('uint64', () => u64(v.major));
      case 'Minor':
        return nullary('uint64', () => u64(v.minor));
      case 'Patch':
        return nullary('uint64', () => u64(v.patch));
      case 'Prerelease':
        return nullary('string', () => v.pre);
      case 'Metadata':
        return nullary('string', () => v.metadata);
      case 'String':
        return nullary('string', () => versionString(v));
      case 'IncMajor':
      case 'IncMinor':
      case 'IncPatch': {
        const part = name.slice(3).toLowerCase() as 'major' | 'minor' | 'patch';
        return nullary('semver.Version', () => new VersionValue(increment(v, part), false));
      }
    }
    // Original, Compare & co. have pointer receivers: a semver.Version (an Inc* result) lacks them.
    if (!this.pointer) return undefined;
    switch (name) {
      case 'Original':
        return nullary('string', () => v.original);
      case 'Compare':
        return compare('int', (d) => BigInt(d));
      case 'LessThan':
        return compare('bool', (d) => d < 0);
      case 'GreaterThan':
        return compare('bool', (d) => d > 0);
      case 'LessThanEqual':
        return compare('bool', (d) => d <= 0);
      case 'GreaterThanEqual':
        return compare('bool', (d) => d >= 0);
      case 'Equal':
        return compare('bool', (d) => d === 0);
    }
    return undefined;
  }
}

/** The semver functions, keyed by template name. */
export function semverFuncs(): [string, GoFunc][] {
  return [
    fixed('semver', [str], (s) => new VersionValue(parseVersion(s), true)),
    fixed('semverCompare', [str, str], semverCompare),
  ];
}
