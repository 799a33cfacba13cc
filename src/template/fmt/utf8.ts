/** UTF-8 helpers with Go's decoding rules (invalid bytes decode one at a time as U+FFFD). */
import { goStringBytes, goStringFromBytes } from '../gostr.ts';

export const RUNE_ERROR = 0xfffd;
export const MAX_RUNE = 0x10ffff;

/** The bytes of a Go string (non-UTF-8 bytes are escaped in JS strings, see gostr.ts). */
export function utf8Bytes(s: string): Uint8Array {
  return goStringBytes(s);
}

/** Go's string(b), keeping bytes that are not UTF-8. */
export function bytesToString(b: Uint8Array): string {
  return goStringFromBytes(b);
}

/** Go's utf8.ValidRune: in range and not a surrogate. */
export function validRune(r: number): boolean {
  return (r >= 0 && r < 0xd800) || (r > 0xdfff && r <= MAX_RUNE);
}

/** The string for one rune, as utf8.AppendRune writes it (invalid runes become U+FFFD). */
export function runeToString(r: number): string {
  return String.fromCodePoint(validRune(r) ? r : RUNE_ERROR);
}

/** Number of runes in a JS string (code points). */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; n++) i += (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return n;
}

export interface DecodedRune {
  readonly rune: number;
  readonly width: number;
}

function continuation(b: Uint8Array, i: number): number {
  const c = b[i];
  return c !== undefined && (c & 0xc0) === 0x80 ? c & 0x3f : -1;
}

const BAD: DecodedRune = { rune: RUNE_ERROR, width: 1 };

function decodeMulti(b: Uint8Array, i: number, lead: number): DecodedRune {
  const c1 = continuation(b, i + 1);
  if (c1 < 0) return BAD;
  if (lead < 0xe0) return { rune: ((lead & 0x1f) << 6) | c1, width: 2 };
  const c2 = continuation(b, i + 2);
  if (c2 < 0) return BAD;
  if (lead < 0xf0) {
    const r = ((lead & 0x0f) << 12) | (c1 << 6) | c2;
    return r < 0x800 || (r >= 0xd800 && r <= 0xdfff) ? BAD : { rune: r, width: 3 };
  }
  const c3 = continuation(b, i + 3);
  if (c3 < 0) return BAD;
  const r = ((lead & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
  return r < 0x10000 || r > MAX_RUNE ? BAD : { rune: r, width: 4 };
}

/** Go's utf8.DecodeRune on b[i:]. */
export function decodeRune(b: Uint8Array, i: number): DecodedRune {
  const lead = b[i];
  if (lead === undefined) return { rune: RUNE_ERROR, width: 0 };
  if (lead < 0x80) return { rune: lead, width: 1 };
  if (lead < 0xc2 || lead > 0xf4) return BAD;
  return decodeMulti(b, i, lead);
}

/** Go's utf8.RuneCount over bytes. */
export function byteRuneCount(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; n++) i += decodeRune(b, i).width;
  return n;
}
