/** Sprig's `strval` and the fmt `%v` rendering it falls back to. */
import { formatValue } from '../../fmt.ts';
import { goStringFromBytes } from '../../gostr.ts';
import type { GoValue } from '../../value.ts';
import { unwrap } from './args.ts';

/** fmt's `%v`. */
export function sprintV(v: GoValue): string {
  return formatValue(v);
}

/** Sprig's strval: strings and []byte as text, everything else as fmt's `%v`. */
export function strval(v: GoValue): string {
  const u = unwrap(v);
  if (typeof u === 'string') return u;
  if (u instanceof Uint8Array) return goStringFromBytes(u);
  return sprintV(v);
}
