/**
 * Go strings are bytes; ours are JS strings. Text converts as UTF-8. A Go string that is not
 * valid UTF-8 travels as GoTyped('string', bytes) (see sprig's goStringFromBytes); the functions
 * turn it into a "binary string" with one char per byte, which is also how binary secret data
 * may arrive. Functions that want binary (a PKCS#12 file, an RSA ciphertext) try both readings.
 */
import { GoTyped, type GoValue } from '../../value.ts';

export function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** The byte readings of a Go string argument: UTF-8 first, then one byte per char if possible. */
export function byteReadings(s: string): Buffer[] {
  const readings = [utf8(s)];
  // eslint-disable-next-line no-control-regex -- any char above U+00FF rules out a byte string
  if (/^[\u0000-\u00ff]*$/.test(s) && /[\u0080-\u00ff]/.test(s)) {
    readings.push(Buffer.from(s, 'latin1'));
  }
  return readings;
}

/**
 * Tries `f` on each byte reading; the first success wins. Otherwise the error of the first
 * reading that got past parsing (`parsed(err)`), else the first reading's error.
 */
export function withByteReadings<T>(
  s: string,
  f: (b: Buffer) => T,
  parsed?: (err: unknown) => boolean,
): T {
  const errors: unknown[] = [];
  for (const b of byteReadings(s)) {
    try {
      return f(b);
    } catch (err) {
      errors.push(err);
    }
  }
  throw errors.find((e) => parsed?.(e) === true) ?? errors[0];
}

/** One char per byte. */
export function binaryString(b: Uint8Array): string {
  return Buffer.from(b).toString('latin1');
}

/** A Go string built from bytes: a JS string when valid UTF-8, else GoTyped('string', bytes). */
export function goString(b: Uint8Array): GoValue {
  const text = Buffer.from(b).toString('utf8');
  return Buffer.from(text, 'utf8').equals(Buffer.from(b))
    ? text
    : new GoTyped('string', new Uint8Array(b));
}
