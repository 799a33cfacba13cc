/**
 * ESO's value decoding strategies (runtime/decoding, eso.md §2.2 and §9.4): Go's padded
 * base64 Std/URL encodings (newlines ignored, padding required), `Auto` = Base64 → Base64URL →
 * raw, `None`/empty = pass-through. Errors name the offset, never the value.
 */
import { SyncError } from './errors.ts';

const STD = /^[A-Za-z0-9+/]*$/;
const URL = /^[A-Za-z0-9\-_]*$/;

function firstBadOffset(text: string, alphabet: RegExp): number {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\r' || ch === '\n') continue;
    if (ch === '=') return -1;
    if (!alphabet.test(ch)) return i;
  }
  return -1;
}

/** The only padding Go accepts after a body of length ≡ i (mod 4); 1 is never valid. */
const PAD_FOR_REMAINDER = ['', undefined, '==', '='];

/** Go's `base64.{Std,URL}Encoding.DecodeString` (not `.Strict()`): padded, \r \n skipped. */
function decodeGoBase64(input: Uint8Array, url: boolean): Uint8Array {
  const raw = Buffer.from(input).toString('latin1');
  const alphabet = url ? URL : STD;
  const bad = firstBadOffset(raw, alphabet);
  if (bad >= 0) throw new SyncError(`illegal base64 data at input byte ${bad}`);
  const text = raw.replace(/[\r\n]/g, '');
  const eq = text.indexOf('=');
  const body = eq < 0 ? text : text.slice(0, eq);
  const pad = eq < 0 ? '' : text.slice(eq);
  const validPad = PAD_FOR_REMAINDER[body.length % 4] === pad;
  if (!validPad || !alphabet.test(body)) {
    const at = eq >= 0 && !validPad ? eq : body.length - (body.length % 4);
    throw new SyncError(`illegal base64 data at input byte ${at}`);
  }
  return new Uint8Array(Buffer.from(body, url ? 'base64url' : 'base64'));
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
