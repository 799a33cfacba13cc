/**
 * Sprig v3 (as vendored by ESO: v3.3.1-0.20241028115027-8cb06fe3c8b0) for Ferry's template
 * engine: the 209 functions ESO exposes, i.e. sprig's map without env, expandenv and
 * getHostByName (reference/eso.md §3.3). Clock and randomness are injected.
 */
import { randomInt } from 'node:crypto';
import type { GoFunc } from '../../value.ts';
import { cryptoFuncs } from './crypto.ts';
import { dateFuncs } from './dates.ts';
import { defaultsFuncs } from './defaults.ts';
import { dictFuncs } from './dicts.ts';
import { listFuncs } from './lists.ts';
import { numericFuncs } from './numeric.ts';
import { pathFuncs } from './paths.ts';
import { reflectFuncs } from './reflect.ts';
import { regexFuncs } from './regex.ts';
import { semverFuncs } from './semver.ts';
import { stringFuncs } from './strings.ts';
import { urlFuncs } from './urls.ts';

export interface SprigDeps {
  /** The clock behind now, date, ago, … (default: the system clock). */
  now?: () => Date;
  /** Uniform [0, 1) numbers for randInt and shuffle (default: crypto-backed). */
  random?: () => number;
  /** IANA zone Go's "Local" stands for (default "UTC"). */
  localZone?: string;
}

/** Resolved dependencies, shared by the topic modules. */
export interface ResolvedDeps {
  now: () => Date;
  random: () => number;
  localZone: string;
}

const cryptoRandom = (): number => randomInt(0, 2 ** 48 - 1) / 2 ** 48;

/** The sprig function table, keyed by template name. */
export function sprigFuncs(deps: SprigDeps = {}): Map<string, GoFunc> {
  const d: ResolvedDeps = {
    now: deps.now ?? (() => new Date()),
    random: deps.random ?? cryptoRandom,
    localZone: deps.localZone ?? 'UTC',
  };
  return new Map([
    ...stringFuncs(d),
    ...listFuncs(),
    ...dictFuncs(),
    ...defaultsFuncs(),
    ...numericFuncs(d),
    ...reflectFuncs(),
    ...regexFuncs(),
    ...pathFuncs(),
    ...dateFuncs(d),
    ...cryptoFuncs(d),
    ...semverFuncs(),
    ...urlFuncs(),
  ]);
}
