/** The X.509 facts ESO's functions read: raw DER, key identifiers and SANs (Go's x509 fields). */
import { X509Certificate } from 'node:crypto';
import { children, decodeOid, readOne, TAG, type Tlv } from './der.ts';

export interface Cert {
  readonly raw: Buffer;
  /** AuthorityKeyId; null when absent (Go's nil). */
  readonly authorityKeyId: Buffer | null;
  /** SubjectKeyId; null when absent. */
  readonly subjectKeyId: Buffer | null;
  readonly dnsNames: string[];
  readonly emailAddresses: string[];
  readonly ipAddresses: string[];
  readonly uris: string[];
}

export class CertificateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateError';
  }
}

const OID_SKI = '2.5.29.14';
const OID_SAN = '2.5.29.17';
const OID_AKI = '2.5.29.35';

/** Go's net.IP.String for a 4- or 16-byte address. */
export function formatIp(b: Buffer): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return '?' + b.toString('hex');
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  if (mapped) return [...b.subarray(12)].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  let [bestStart, bestLen] = [-1, 0];
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) [bestStart, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function extensions(der: Buffer): Map<string, Buffer> {
  const [tbs] = children(readOne(der));
  const out = new Map<string, Buffer>();
  const extsField = tbs ? children(tbs).find((t) => t.tag === 0xa3) : undefined;
  if (!extsField) return out;
  const [list] = children(extsField);
  for (const ext of list ? children(list) : []) {
    const parts = children(ext);
    const id = parts[0];
    const value = parts[parts.length - 1];
    if (id?.tag === TAG.OID && value?.tag === TAG.OCTET_STRING)
      out.set(decodeOid(id.value), value.value);
  }
  return out;
}

function authorityKeyId(v: Buffer | undefined): Buffer | null {
  if (!v) return null;
  const id = children(readOne(v)).find((t) => t.tag === 0x80);
  return id ? Buffer.from(id.value) : null;
}

function subjectKeyId(v: Buffer | undefined): Buffer | null {
  return v ? Buffer.from(readOne(v).value) : null;
}

function sans(
  v: Buffer | undefined,
): Pick<Cert, 'dnsNames' | 'emailAddresses' | 'ipAddresses' | 'uris'> {
  const out = {
    dnsNames: [] as string[],
    emailAddresses: [] as string[],
    ipAddresses: [] as string[],
    uris: [] as string[],
  };
  if (!v) return out;
  for (const name of children(readOne(v))) addSan(out, name);
  return out;
}

function addSan(out: ReturnType<typeof sans>, name: Tlv): void {
  const text = name.value.toString('latin1');
  switch (name.tag) {
    case 0x81:
      out.emailAddresses.push(text);
      break;
    case 0x82:
      out.dnsNames.push(text);
      break;
    case 0x86:
      out.uris.push(text);
      break;
    case 0x87:
      if (name.value.length !== 4 && name.value.length !== 16) {
        throw new CertificateError(`x509: cannot parse IP address of length ${name.value.length}`);
      }
      out.ipAddresses.push(formatIp(name.value));
      break;
    default:
      break;
  }
}

/** x509.ParseCertificate, keeping only what ESO's functions use. */
export function parseCertificate(der: Buffer): Cert {
  try {
    new X509Certificate(der);
  } catch (err) {
    throw new CertificateError('x509: malformed certificate', { cause: err });
  }
  try {
    const exts = extensions(der);
    return {
      raw: Buffer.from(der),
      authorityKeyId: authorityKeyId(exts.get(OID_AKI)),
      subjectKeyId: subjectKeyId(exts.get(OID_SKI)),
      ...sans(exts.get(OID_SAN)),
    };
  } catch (err) {
    if (err instanceof CertificateError) throw err;
    throw new CertificateError('x509: malformed extension', { cause: err });
  }
}

/** bytes.Equal: nil and empty are equal. */
export function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return (a ?? Buffer.alloc(0)).equals(b ?? Buffer.alloc(0));
}

const NAME_TYPES = new Map([
  ['2.5.4.6', 'C'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.7', 'L'],
  ['2.5.4.9', 'STREET'],
  ['2.5.4.17', 'POSTALCODE'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.3', 'CN'],
  ['2.5.4.5', 'SERIALNUMBER'],
]);
/** The order pkix.Name.ToRDNSequence writes its fields in; CN and serial keep one value. */
const RDN_ORDER = ['2.5.4.6', '2.5.4.8', '2.5.4.7', '2.5.4.9', '2.5.4.17', '2.5.4.10', '2.5.4.11'];

interface Atv {
  readonly type: string;
  readonly value: Tlv;
}

function atvString(v: Tlv): string {
  if (v.tag === TAG.BMP_STRING) return Buffer.from(v.value).swap16().toString('utf16le');
  if (v.tag === 0x14) return v.value.toString('latin1');
  return v.value.toString('utf8');
}

function escapeRdnValue(s: string): string {
  const chars = Array.from(s);
  return chars
    .map((c, k) => {
      const escape =
        ',+"\\<>;'.includes(c) ||
        (c === ' ' && (k === 0 || k === chars.length - 1)) ||
        (c === '#' && k === 0);
      return escape ? '\\' + c : c;
    })
    .join('');
}

function atvText(a: Atv): string {
  const name = NAME_TYPES.get(a.type);
  if (name === undefined) return `${a.type}=#${a.value.raw.toString('hex')}`;
  return `${name}=${escapeRdnValue(atvString(a.value))}`;
}

function subjectAtvs(der: Buffer): Atv[] {
  const [tbs] = children(readOne(der));
  const fields = tbs ? children(tbs) : [];
  const subject = fields[fields[0]?.tag === 0xa0 ? 5 : 4];
  const out: Atv[] = [];
  for (const rdn of subject ? children(subject) : []) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (type && value) out.push({ type: decodeOid(type.value), value });
    }
  }
  return out;
}

/** pkix.Name.String() of the certificate's subject (RFC 4514 style, most specific first). */
export function subjectString(cert: Cert): string {
  const atvs = subjectAtvs(cert.raw);
  const rdns: Atv[][] = atvs.filter((a) => !NAME_TYPES.has(a.type)).map((a) => [a]);
  for (const t of RDN_ORDER) {
    const values = atvs.filter((a) => a.type === t);
    if (values.length > 0) rdns.push(values);
  }
  for (const t of ['2.5.4.3', '2.5.4.5']) {
    const last = atvs.filter((a) => a.type === t).pop();
    if (last !== undefined && atvString(last.value) !== '') rdns.push([last]);
  }
  return rdns
    .reverse()
    .map((rdn) => rdn.map(atvText).join('+'))
    .join(',');
}
