/** Just enough ASN.1 DER to build X.509 certificates and Go's DSA key format. */

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A TLV with the given tag byte. */
export function tlv(tag: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

export const seq = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));
export const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 + n, inner);
export const octets = (b: Uint8Array): Buffer => tlv(0x04, b);
export const bool = (b: boolean): Buffer => tlv(0x01, Buffer.from([b ? 0xff : 0]));
export const nul = (): Buffer => Buffer.from([0x05, 0x00]);

/** A non-negative or negative INTEGER in minimal two's complement. */
export function integer(n: bigint): Buffer {
  let hex = (n < 0n ? -n : n).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (n < 0n) {
    const mod = 1n << BigInt(b.length * 8);
    let v = mod + n;
    if (v < mod / 2n) v += mod << 8n; // needs one more byte to stay negative
    hex = v.toString(16);
    b = Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex');
  } else if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [(parts[0] ?? 0) * 40 + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const bytes = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128))
      bytes.unshift(0x80 | (v & 0x7f));
    out.push(...bytes);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A BIT STRING from bytes with `unused` trailing bits. */
export const bits = (b: Uint8Array, unused = 0): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));

/** Go's asn1 string choice: PrintableString when possible, else UTF8String. */
export function goString(s: string): Buffer {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/.test(s);
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(s, 'utf8'));
}

/** UTCTime for 1950–2049, GeneralizedTime otherwise (as Go marshals certificate validity). */
export function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const p = (n: number): string => String(n).padStart(2, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${p(y % 100)}${rest}`));
  return tlv(0x18, Buffer.from(`${String(y).padStart(4, '0')}${rest}`));
}

/** A parsed TLV: tag, body and the offset after it. */
export interface Node {
  tag: number;
  body: Buffer;
  end: number;
}

/** Reads one TLV at `at`. Throws on truncated input. */
export function read(b: Buffer, at = 0): Node {
  const tag = b[at];
  let l = b[at + 1];
  if (tag === undefined || l === undefined) throw new Error('asn1: truncated');
  let start = at + 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    l = 0;
    for (let i = 0; i < n; i++) l = l * 256 + (b[start + i] ?? 0);
    start += n;
  }
  if (start + l > b.length) throw new Error('asn1: truncated');
  return { tag, body: b.subarray(start, start + l), end: start + l };
}

/** The children of a constructed TLV body. */
export function children(body: Buffer): Node[] {
  const out: Node[] = [];
  for (let at = 0; at < body.length;) {
    const n = read(body, at);
    out.push(n);
    at = n.end;
  }
  return out;
}

/** An INTEGER body as a bigint. */
export function toBigInt(body: Buffer): bigint {
  if (body.length === 0) return 0n;
  let v = BigInt(`0x${body.toString('hex')}`);
  if ((body[0] ?? 0) & 0x80) v -= 1n << BigInt(body.length * 8);
  return v;
}

/** PEM armour with 64-column lines, as Go's pem.Encode writes it. */
export function pem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.map((l) => `${l}\n`).join('')}-----END ${type}-----\n`;
}

/** The first PEM block of the input (pem.Decode), or null. */
export function pemDecode(text: string): { type: string; der: Buffer } | null {
  const m =
    /-----BEGIN ([^-\n]*)-----\r?\n(?:[^:\n]+:[^\n]*\n)*\r?\n?([\s\S]*?)-----END \1-----/.exec(
      text,
    );
  if (m === null) return null;
  return { type: m[1] ?? '', der: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64') };
}
