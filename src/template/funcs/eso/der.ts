/** A minimal DER reader and writer: enough ASN.1 for X.509 extensions, keys and PKCS#12. */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export interface Tlv {
  /** The full identifier octet (class, constructed bit, tag number < 31). */
  readonly tag: number;
  /** Content octets. */
  readonly value: Buffer;
  /** The whole element, header included. */
  readonly raw: Buffer;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function readLength(b: Buffer, pos: number): [length: number, next: number] {
  const first = b[pos];
  if (first === undefined) throw new DerError('asn1: truncated length');
  if (first < 0x80) return [first, pos + 1];
  const n = first & 0x7f;
  if (n === 0 || n > 4) throw new DerError('asn1: unsupported length');
  let len = 0;
  for (let i = 1; i <= n; i++) {
    const c = b[pos + i];
    if (c === undefined) throw new DerError('asn1: truncated length');
    len = len * 256 + c;
  }
  return [len, pos + 1 + n];
}

/** Reads one element at `pos`. */
export function readTlv(b: Buffer, pos = 0): Tlv {
  const tag = b[pos];
  if (tag === undefined) throw new DerError('asn1: truncated tag');
  if ((tag & 0x1f) === 0x1f) throw new DerError('asn1: high tag numbers are not supported');
  const [len, start] = readLength(b, pos + 1);
  const end = start + len;
  if (end > b.length) throw new DerError('asn1: data truncated');
  return { tag, value: b.subarray(start, end), raw: b.subarray(pos, end) };
}

/** Reads exactly one element spanning all of `b`. */
export function readOne(b: Buffer): Tlv {
  const t = readTlv(b);
  if (t.raw.length !== b.length) throw new DerError('asn1: trailing data');
  return t;
}

/** The elements inside a constructed value. */
export function children(t: Tlv | Buffer): Tlv[] {
  const b = Buffer.isBuffer(t) ? t : t.value;
  const out: Tlv[] = [];
  for (let pos = 0; pos < b.length;) {
    const c = readTlv(b, pos);
    out.push(c);
    pos += c.raw.length;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (t?.tag !== tag) throw new DerError(`asn1: structure error: ${what}`);
  return t;
}

export function decodeOid(b: Buffer): string {
  const parts: number[] = [];
  let v = 0;
  for (const c of b) {
    v = v * 128 + (c & 0x7f);
    if ((c & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function decodeInteger(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  let v = BigInt('0x' + b.toString('hex'));
  if ((b[0] ?? 0) & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

// ---- writer ----

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...c: Buffer[]): Buffer => tlv(TAG.SEQUENCE, ...c);
export const set = (...c: Buffer[]): Buffer => tlv(TAG.SET, ...c);
export const octets = (b: Buffer): Buffer => tlv(TAG.OCTET_STRING, b);
/** [n] EXPLICIT / constructed context tag. */
export const explicit = (n: number, ...c: Buffer[]): Buffer => tlv(0xa0 | n, ...c);
export const nullValue = (): Buffer => tlv(TAG.NULL);

export function integer(v: bigint | number): Buffer {
  const n = BigInt(v);
  if (n < 0n) throw new DerError('asn1: negative integers are not supported');
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let b = Buffer.from(hex, 'hex');
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(TAG.INTEGER, b);
}

export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out: number[] = [];
  for (const v of [a * 40 + b, ...rest]) {
    const groups: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128))
      groups.unshift((x & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(TAG.OID, Buffer.from(out));
}
