/** encoding/base64 and encoding/base32 (standard alphabets, padded) with Go's error texts. */
import { FuncError } from '../../value.ts';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function corrupt(kind: string, at: number): FuncError {
  return new FuncError(`illegal ${kind} data at input byte ${at}`);
}

const isNL = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;

/** One 4-character quantum of base64.StdEncoding.DecodeString (strict padding, \r\n skipped). */
function quantum(src: Buffer, start: number, dst: number[]): number {
  const buf = [0, 0, 0, 0];
  let si = start;
  let dlen = 4;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return si;
      throw corrupt('base64', si - j);
    }
    const c = src[si++] ?? 0;
    const v = B64.indexOf(String.fromCharCode(c));
    if (v >= 0 && c < 0x80) {
      buf[j] = v;
      continue;
    }
    if (isNL(c)) {
      j--;
      continue;
    }
    if (c !== 0x3d || j < 2) throw corrupt('base64', si - 1);
    if (j === 2) {
      while (si < src.length && isNL(src[si])) si++;
      if (si === src.length) throw corrupt('base64', src.length);
      if (src[si] !== 0x3d) throw corrupt('base64', si - 1);
      si++;
    }
    while (si < src.length && isNL(src[si])) si++;
    if (si < src.length) throw corrupt('base64', si);
    dlen = j;
    break;
  }
  const val = ((buf[0] ?? 0) << 18) | ((buf[1] ?? 0) << 12) | ((buf[2] ?? 0) << 6) | (buf[3] ?? 0);
  const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
  dst.push(...bytes.slice(0, dlen - 1));
  return si;
}

/** base64.StdEncoding.DecodeString. */
export function b64decode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const next = quantum(src, si, out);
    if (next === si) break;
    si = next;
  }
  return Buffer.from(out);
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32.StdEncoding.EncodeToString. */
export function b32encode(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = [...b.subarray(i, i + 5)];
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) {
      out += k < chars ? (B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] ?? '') : '=';
    }
  }
  return out;
}

/** base32.StdEncoding.DecodeString: \r and \n are dropped first, then Go's quantum decoder. */
export function b32decode(s: string): Buffer {
  const src = Buffer.from(s.replace(/[\r\n]/g, ''), 'utf8');
  const olen = src.length;
  const out: number[] = [];
  let at = 0;
  let end = false;
  while (at < olen && !end) {
    const dbuf = new Array<number>(8).fill(0);
    let dlen = 8;
    for (let j = 0; j < 8;) {
      if (at === olen) throw corrupt('base32', olen - (olen - at) - j);
      const c = src[at++] ?? 0;
      const left = olen - at;
      if (c === 0x3d && j >= 2 && left < 8) {
        if (left + j < 7) throw corrupt('base32', olen);
        for (let k = 0; k < 7 - j; k++) {
          if (left > k && src[at + k] !== 0x3d) throw corrupt('base32', olen - left + k - 1);
        }
        [dlen, end] = [j, true];
        if (dlen === 1 || dlen === 3 || dlen === 6) throw corrupt('base32', olen - left - 1);
        break;
      }
      const v = B32.indexOf(String.fromCharCode(c));
      if (v < 0 || c >= 0x80) throw corrupt('base32', olen - left - 1);
      dbuf[j++] = v;
    }
    let bits = 0n;
    for (const v of dbuf) bits = (bits << 5n) | BigInt(v);
    const nbytes = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[dlen] ?? 0;
    for (let k = 0; k < nbytes; k++) out.push(Number((bits >> BigInt(32 - 8 * k)) & 0xffn));
  }
  return Buffer.from(out);
}

function invalidHexByte(b: number): FuncError {
  const hex = b.toString(16).toUpperCase().padStart(4, '0');
  const printable = b >= 0x20 && b !== 0x7f && !(b >= 0x80 && b < 0xa0);
  return new FuncError(
    `encoding/hex: invalid byte: U+${hex}${printable ? ` '${String.fromCharCode(b)}'` : ''}`,
  );
}

/** hex.DecodeString, with Go's error texts (a bad byte is reported before an odd length). */
export function hexDecode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const val = (b: number): number => {
    const c = String.fromCharCode(b);
    return /[0-9a-fA-F]/.test(c) ? Number.parseInt(c, 16) : -1;
  };
  const out: number[] = [];
  let j = 1;
  for (; j < src.length; j += 2) {
    const p = src[j - 1] ?? 0;
    const q = src[j] ?? 0;
    if (val(p) < 0) throw invalidHexByte(p);
    if (val(q) < 0) throw invalidHexByte(q);
    out.push(val(p) * 16 + val(q));
  }
  if (src.length % 2 === 1) {
    const last = src[j - 1] ?? 0;
    if (val(last) < 0) throw invalidHexByte(last);
    throw new FuncError('encoding/hex: odd length hex string');
  }
  return Buffer.from(out);
}
