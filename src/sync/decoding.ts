/**
 * ESO's value decoding strategies (runtime/decoding, eso.md §2.2 and §9.4): Go's padded
 * base64 Std/URL encodings (newlines ignored, padding required), `Auto` = Base64 → Base64URL →
 * raw, `None`/empty = pass-through. Errors name the offset, never the value.
 */
import { SyncError } from './errors.ts';

const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PAD = 0x3d;

function decodeMapOf(alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}

const isNewline = (b: number | undefined): boolean => b === 0x0a || b === 0x0d;

function corrupt(offset: number): SyncError {
  return new SyncError(`illegal base64 data at input byte ${offset}`);
}

/** After the first '=' of a quantum at position j: consume the rest of the padding and newlines. */
function endOfPadding(src: Uint8Array, si: number, j: number): number {
  let i = si;
  if (j < 2) throw corrupt(i - 1);
  if (j === 2) {
    while (isNewline(src[i])) i++;
    if (i === src.length) throw corrupt(src.length);
    if (src[i] !== PAD) throw corrupt(i - 1);
    i++;
  }
  while (isNewline(src[i])) i++;
  if (i < src.length) throw corrupt(i);
  return i;
}

/** Go's decodeQuantum: up to four 6-bit values from `si`, and where the next quantum starts. */
function readQuantum(
  src: Uint8Array,
  start: number,
  map: Int16Array,
): { values: number[]; next: number } {
  const values: number[] = [];
  let si = start;
  while (values.length < 4) {
    if (si === src.length) {
      if (values.length === 0) return { values, next: si };
      throw corrupt(si - values.length);
    }
    const b = src[si++] ?? 0;
    const v = map[b] ?? -1;
    if (v >= 0) values.push(v);
    else if (b === PAD) return { values, next: endOfPadding(src, si, values.length) };
    else if (!isNewline(b)) throw corrupt(si - 1);
  }
  return { values, next: si };
}

/**
 * Go's `base64.Encoding.DecodeString` for the padded Std/URL encodings (not `.Strict()`):
 * newlines are skipped, padding is required, offsets in errors are Go's.
 */
function decodeGoBase64(src: Uint8Array, url: boolean): Uint8Array {
  const map = decodeMapOf(url ? URL_ALPHABET : STD_ALPHABET);
  const out = new Uint8Array(Math.floor(src.length / 4) * 3 + 3);
  let n = 0;
  let si = 0;
  while (si < src.length) {
    const { values, next } = readQuantum(src, si, map);
    si = next;
    const [a = 0, b = 0, c = 0, d = 0] = values;
    const val = (a << 18) | (b << 12) | (c << 6) | d;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    for (let k = 0; k < values.length - 1; k++) out[n++] = bytes[k] ?? 0;
  }
  return out.slice(0, n);
}

/** ESO `decoding.Decode(strategy, in)`. */
export function decodeValue(strategy: string | undefined, input: Uint8Array): Uint8Array {
  switch (strategy ?? '') {
    case 'Base64':
      return decodeGoBase64(input, false);
    case 'Base64URL':
      return decodeGoBase64(input, true);
    case 'None':
    case '':
      return input;
    case 'Auto':
      return tryDecode(input);
    default:
      throw new SyncError(`decoding strategy ${strategy} is not supported`);
  }
}

function tryDecode(input: Uint8Array): Uint8Array {
  for (const url of [false, true]) {
    try {
      return decodeGoBase64(input, url);
    } catch {
      // Auto falls through to the next encoding, then to the raw value.
    }
  }
  return input;
}

/** ESO `decoding.DecodeMap`: `failure decoding key <k>: <err>`. */
export function decodeMap(
  strategy: string | undefined,
  input: ReadonlyMap<string, Uint8Array>,
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [k, v] of input) {
    try {
      out.set(k, decodeValue(strategy, v));
    } catch (error) {
      throw new SyncError(`failure decoding key ${k}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return out;
}
