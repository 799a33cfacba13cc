/**
 * Go strings are bytes; ours are JS strings. Text converts as UTF-8, and bytes that are not
 * UTF-8 travel as escapes (src/template/gostr.ts), so `utf8` gives a Go string's exact bytes.
 * Binary data may also arrive as a "binary string" with one char per byte: functions that want
 * binary (a PKCS#12 file, an RSA ciphertext) try both readings.
 */
import { goStringBuffer, goStringFromBytes } from '../../gostr.ts';

export function utf8(s: string): Buffer {
  return goStringBuffer(s);
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

/** Go's string(b), bytes that are not UTF-8 escaped. */
export function goString(b: Uint8Array): string {
  return goStringFromBytes(b);
}
