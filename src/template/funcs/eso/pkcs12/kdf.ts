/** Password encodings and key derivation of PKCS#12 (RFC 7292 appendix B) as go-pkcs12 does them. */
import { createHash } from 'node:crypto';

export class Pkcs12Error extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Pkcs12Error';
  }
}

export const ERR_INCORRECT_PASSWORD = 'pkcs12: decryption password incorrect';
export const ERR_DECRYPTION = 'pkcs12: decryption error, incorrect padding';

/** UCS-2 big-endian, without terminator. */
export function bmpString(s: string): Buffer {
  const out: number[] = [];
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0;
    if (r > 0xffff || (r >= 0xd800 && r <= 0xdfff)) {
      throw new Pkcs12Error('pkcs12: string contains characters that cannot be encoded in UCS-2');
    }
    out.push(r >> 8, r & 0xff);
  }
  return Buffer.from(out);
}

export function bmpStringZeroTerminated(s: string): Buffer {
  return Buffer.concat([bmpString(s), Buffer.from([0, 0])]);
}

/** decodeBMPString then UTF-8: the password form PBES2 and PBMAC1 use. */
export function utf8Password(bmp: Buffer | null): Buffer {
  if (bmp === null) return Buffer.alloc(0);
  let b = bmp;
  if (b.length >= 2 && b[b.length - 1] === 0 && b[b.length - 2] === 0) b = b.subarray(0, -2);
  const units: number[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) units.push(b.readUInt16BE(i));
  return Buffer.from(String.fromCharCode(...units), 'utf8');
}

export interface HashSpec {
  readonly name: string;
  /** Output size u. */
  readonly u: number;
  /** Block size v. */
  readonly v: number;
}

export const SHA1: HashSpec = { name: 'sha1', u: 20, v: 64 };
export const SHA256: HashSpec = { name: 'sha256', u: 32, v: 64 };
export const SHA512: HashSpec = { name: 'sha512', u: 64, v: 128 };

function fillWithRepeats(pattern: Buffer, v: number): Buffer {
  if (pattern.length === 0) return Buffer.alloc(0);
  const outLen = v * Math.ceil(pattern.length / v);
  const out = Buffer.alloc(outLen);
  for (let i = 0; i < outLen; i++) out[i] = pattern[i % pattern.length] ?? 0;
  return out;
}

function hashOf(h: HashSpec, data: Buffer): Buffer {
  return createHash(h.name).update(data).digest();
}

/** Adds B + 1 to every v-byte block of I, modulo 2^(8v). */
function adjust(I: Buffer, B: Buffer, v: number): void {
  const b = BigInt('0x' + B.toString('hex'));
  const mod = 1n << BigInt(v * 8);
  for (let j = 0; j < I.length / v; j++) {
    const block = I.subarray(j * v, (j + 1) * v);
    const sum = (BigInt('0x' + block.toString('hex')) + b + 1n) % mod;
    Buffer.from(sum.toString(16).padStart(v * 2, '0'), 'hex').copy(block);
  }
}

/** The PKCS#12 KDF: id 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(
  h: HashSpec,
  input: { salt: Buffer; password: Buffer | null; iterations: number },
  id: number,
  size: number,
): Buffer {
  const D = Buffer.alloc(h.v, id);
  const I = Buffer.concat([
    fillWithRepeats(input.salt, h.v),
    fillWithRepeats(input.password ?? Buffer.alloc(0), h.v),
  ]);
  const c = Math.ceil(size / h.u);
  const A = Buffer.alloc(c * h.u);
  for (let i = 0; i < c; i++) {
    let Ai = hashOf(h, Buffer.concat([D, I]));
    for (let j = 1; j < input.iterations; j++) Ai = hashOf(h, Ai);
    Ai.copy(A, i * h.u);
    if (i < c - 1) adjust(I, fillWithRepeats(Ai, h.v).subarray(0, h.v), h.v);
  }
  return A.subarray(0, size);
}
