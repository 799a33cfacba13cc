/**
 * Sprig's key and certificate generators (genPrivateKey, genCA*, genSelfSignedCert*,
 * genSignedCert*, buildCustomCert), built on node:crypto with our own X.509 DER encoding so that
 * RSA, ECDSA and Ed25519 keys all work as they do in Go. Certificates mirror Go's
 * x509.CreateCertificate output for sprig's template: v3, 128-bit random serial, CN-only
 * subject, KeyUsage/ExtKeyUsage/BasicConstraints, SKI for CAs, AKI when signed by a CA, SANs.
 */
import * as nc from 'node:crypto';
import { isIP } from 'node:net';
import { FuncError, GoTyped, type GoValue } from '../../value.ts';
import { unwrap } from './args.ts';
import * as der from './der.ts';
import { b64decode } from './encoding.ts';
import { sprintV } from './strval.ts';

/** Go's DSA key, kept as numbers (node can hold DSA keys but Go's PEM format is its own). */
interface DsaKey {
  p: bigint;
  q: bigint;
  g: bigint;
  y: bigint;
  x: bigint;
}

/** A private key as sprig handles it. */
export type PrivKey = { kind: 'node'; key: nc.KeyObject } | { kind: 'dsa'; dsa: DsaKey };

const CERT_TYPE = 'sprig.certificate';

/** sprig's `certificate` struct: fields Cert and Key. */
export function certificate(cert: string, key: string): GoTyped {
  return new GoTyped(
    CERT_TYPE,
    new Map<string, GoValue>([
      ['Cert', cert],
      ['Key', key],
    ]),
  );
}

/** Reads a `certificate` argument (or any map with Cert/Key). */
export function certFields(v: GoValue): { cert: string; key: string } {
  const m = unwrap(v);
  if (!(m instanceof Map)) throw new FuncError(`wrong type for value; expected ${CERT_TYPE}`);
  const s = (k: string): string => {
    const x = unwrap(m.get(k) ?? '');
    return typeof x === 'string' ? x : '';
  };
  return { cert: s('Cert'), key: s('Key') };
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  let base = b % m;
  for (let x = e; x > 0n; x >>= 1n) {
    if (x & 1n) r = (r * base) % m;
    base = (base * base) % m;
  }
  return r;
}

function dsaFromNode(key: nc.KeyObject): DsaKey {
  // PKCS#8: SEQ { INT 0, SEQ { OID dsa, SEQ { p, q, g } }, OCTET STRING { INTEGER x } }
  const top = der.children(der.read(key.export({ type: 'pkcs8', format: 'der' })).body);
  const params = der.children(
    der.children(top[1]?.body ?? Buffer.alloc(0))[1]?.body ?? Buffer.alloc(0),
  );
  const [p, q, g] = params.map((n) => der.toBigInt(n.body));
  const x = der.toBigInt(der.read(top[2]?.body ?? Buffer.alloc(0)).body);
  if (p === undefined || q === undefined || g === undefined)
    throw new FuncError('failed to generate dsa params');
  return { p, q, g, x, y: modPow(g, x, p) };
}

/** pemBlockForKey: PKCS#1 for RSA, SEC 1 for ECDSA, Go's DSA form, PKCS#8 otherwise. */
export function keyPem(k: PrivKey): string {
  if (k.kind === 'dsa') {
    const { p, q, g, y, x } = k.dsa;
    return der.pem('DSA PRIVATE KEY', der.seq(...[0n, p, q, g, y, x].map(der.integer)));
  }
  const t = k.key.asymmetricKeyType;
  if (t === 'rsa') return String(k.key.export({ type: 'pkcs1', format: 'pem' }));
  if (t === 'ec') return String(k.key.export({ type: 'sec1', format: 'pem' }));
  return String(k.key.export({ type: 'pkcs8', format: 'pem' }));
}

/** genPrivateKey. */
export function generatePrivateKey(typ: string): string {
  switch (typ) {
    case '':
    case 'rsa':
      return keyPem({
        kind: 'node',
        key: nc.generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey,
      });
    case 'dsa': {
      const { privateKey } = nc.generateKeyPairSync('dsa', {
        modulusLength: 2048,
        divisorLength: 256,
      });
      return keyPem({ kind: 'dsa', dsa: dsaFromNode(privateKey) });
    }
    case 'ecdsa':
      return keyPem({
        kind: 'node',
        key: nc.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      });
    case 'ed25519':
      return keyPem({ kind: 'node', key: nc.generateKeyPairSync('ed25519').privateKey });
    default:
      return `Unknown type ${typ}`;
  }
}

/** parsePrivateKeyPEM, with sprig's error texts where they are observable. */
export function parsePrivateKeyPEM(text: string): PrivKey {
  const block = der.pemDecode(text);
  if (block === null) throw new FuncError('no PEM data in input');
  const fail = (what: string, e: unknown): never => {
    throw new FuncError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  };
  if (block.type === 'PRIVATE KEY') {
    try {
      return {
        kind: 'node',
        key: nc.createPrivateKey({ key: block.der, format: 'der', type: 'pkcs8' }),
      };
    } catch (e) {
      return fail('decoding PEM as PKCS#8', e);
    }
  }
  if (!block.type.endsWith(' PRIVATE KEY')) {
    throw new FuncError(`no private key data in PEM block of type ${block.type}`);
  }
  const kind = block.type.slice(0, -12);
  if (kind === 'RSA' || kind === 'EC') {
    try {
      const type = kind === 'RSA' ? 'pkcs1' : 'sec1';
      return { kind: 'node', key: nc.createPrivateKey({ key: block.der, format: 'der', type }) };
    } catch (e) {
      return fail(`parsing ${kind} private key from PEM`, e);
    }
  }
  if (kind === 'DSA') {
    try {
      const [, p, q, g, y, x] = der
        .children(der.read(block.der).body)
        .map((n) => der.toBigInt(n.body));
      if (
        x === undefined ||
        p === undefined ||
        q === undefined ||
        g === undefined ||
        y === undefined
      ) {
        throw new Error('asn1: structure error');
      }
      return { kind: 'dsa', dsa: { p, q, g, y, x } };
    } catch (e) {
      return fail('parsing DSA private key from PEM', e);
    }
  }
  throw new FuncError(`invalid private key type ${block.type}`);
}

function rsaKey(): PrivKey {
  return { kind: 'node', key: nc.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
}

// ---- certificate building ----

interface Template {
  cn: string;
  ips: Buffer[];
  dns: string[];
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
}

const OID = {
  cn: '2.5.4.3',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
  san: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

function name(cn: string): Buffer {
  if (cn === '') return der.seq();
  return der.seq(der.set(der.seq(der.oid(OID.cn), der.goString(cn))));
}

function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return der.seq(der.oid(id), ...(critical ? [der.bool(true)] : []), der.octets(value));
}

function sigAlgorithm(k: nc.KeyObject): { alg: Buffer; hash: string | null } {
  switch (k.asymmetricKeyType) {
    case 'rsa':
      return { alg: der.seq(der.oid('1.2.840.113549.1.1.11'), der.nul()), hash: 'sha256' };
    case 'ec': {
      const curve = k.asymmetricKeyDetails?.namedCurve;
      const [oid, hash] =
        curve === 'secp384r1'
          ? ['1.2.840.10045.4.3.3', 'sha384']
          : curve === 'secp521r1'
            ? ['1.2.840.10045.4.3.4', 'sha512']
            : ['1.2.840.10045.4.3.2', 'sha256'];
      return { alg: der.seq(der.oid(oid)), hash };
    }
    case 'ed25519':
      return { alg: der.seq(der.oid('1.3.101.112')), hash: null };
    default:
      throw new FuncError(
        'error creating certificate: x509: only RSA, ECDSA and Ed25519 keys supported',
      );
  }
}

/** The SubjectPublicKey bits' SHA-1, which Go uses as a generated SubjectKeyId. */
function keyId(spki: Buffer): Buffer {
  const parts = der.children(der.read(spki).body);
  const bitString = parts[1]?.body.subarray(1) ?? Buffer.alloc(0);
  return nc.createHash('sha1').update(bitString).digest();
}

function extensions(t: Template, ski: Buffer | null, aki: Buffer | null): Buffer {
  // KeyUsage bits: digitalSignature(0), keyEncipherment(2), keyCertSign(5).
  const ku = t.isCA ? Buffer.from([0xa4]) : Buffer.from([0xa0]);
  const exts = [
    ext(OID.keyUsage, true, der.bits(ku, t.isCA ? 2 : 5)),
    ext(OID.extKeyUsage, false, der.seq(der.oid(OID.serverAuth), der.oid(OID.clientAuth))),
    ext(OID.basicConstraints, true, t.isCA ? der.seq(der.bool(true)) : der.seq()),
  ];
  if (ski !== null) exts.push(ext(OID.ski, false, der.octets(ski)));
  if (aki !== null) exts.push(ext(OID.aki, false, der.seq(der.tlv(0x80, aki))));
  if (t.dns.length > 0 || t.ips.length > 0) {
    const names = [
      ...t.dns.map((d) => der.tlv(0x82, Buffer.from(d))),
      ...t.ips.map((ip) => der.tlv(0x87, ip)),
    ];
    exts.push(ext(OID.san, false, der.seq(...names)));
  }
  return der.explicit(3, der.seq(...exts));
}

interface Signer {
  key: PrivKey;
  subject: Buffer;
  ski: Buffer | null;
}

function publicSpki(k: PrivKey): Buffer {
  if (k.kind === 'dsa')
    throw new FuncError(
      'error creating certificate: x509: unsupported public key type: *dsa.PublicKey',
    );
  return nc.createPublicKey(k.key).export({ type: 'spki', format: 'der' });
}

/** x509.CreateCertificate + PEM for sprig's template; `parent` null means self-signed. */
function createCertificate(t: Template, key: PrivKey, parent: Signer | null): GoTyped {
  const signer = parent?.key ?? key;
  if (signer.kind === 'dsa')
    throw new FuncError(
      'error creating certificate: x509: certificate private key does not implement crypto.Signer',
    );
  const spki = publicSpki(key);
  const subject = name(t.cn);
  const issuer = parent?.subject ?? subject;
  const ski = t.isCA ? keyId(spki) : null;
  const selfIssued = issuer.equals(subject);
  const aki = !selfIssued && parent?.ski ? parent.ski : null;
  const { alg, hash } = sigAlgorithm(signer.key);
  const serial = BigInt(`0x${nc.randomBytes(16).toString('hex')}`);
  const tbs = der.seq(
    der.explicit(0, der.integer(2n)),
    der.integer(serial),
    alg,
    issuer,
    der.seq(der.time(t.notBefore), der.time(t.notAfter)),
    subject,
    spki,
    extensions(t, ski, aki),
  );
  const signature = nc.sign(hash, tbs, signer.key);
  const cert = der.seq(tbs, alg, der.bits(signature));
  return certificate(der.pem('CERTIFICATE', cert), keyPem(key));
}

function ipBytes(v: GoValue): Buffer {
  const s = unwrap(v);
  if (typeof s !== 'string') throw new FuncError(`error parsing ip: ${sprintV(v)} is not a string`);
  const kind = isIP(s);
  if (kind === 4) return Buffer.from(s.split('.').map(Number));
  if (kind === 6 && !s.includes('%')) return ipv6Bytes(s);
  throw new FuncError(`error parsing ip: ${s}`);
}

function ipv6Bytes(s: string): Buffer {
  let text = s;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: number[] = [];
  if (v4 !== null) {
    tail = (v4[1] ?? '').split('.').map(Number);
    text = text.slice(0, -(v4[1] ?? '').length) + '0:0';
  }
  const [head = '', rest] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const r = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? [] : Array<string>(8 - h.length - r.length).fill('0');
  const groups = [...h, ...fill, ...r].map((g) => Number.parseInt(g, 16));
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  if (tail.length === 4) Buffer.from(tail).copy(b, 12);
  // Go writes IPv4-mapped addresses (::ffff:a.b.c.d) as 4 bytes.
  const mapped = b.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]));
  return mapped ? b.subarray(12) : b;
}

function dnsNames(list: GoValue[] | null): string[] {
  return (list ?? []).map((d) => {
    const s = unwrap(d);
    if (typeof s !== 'string') {
      throw new FuncError(`error processing alternate dns name: ${sprintV(d)} is not a string`);
    }
    return s;
  });
}

/** Options shared by the generators. */
export interface CertRequest {
  cn: string;
  ips: GoValue[] | null;
  dns: GoValue[] | null;
  days: number;
  now: Date;
}

function template(r: CertRequest, isCA: boolean): Template {
  const ips = (r.ips ?? []).map(ipBytes);
  const dns = dnsNames(r.dns);
  const notBefore = new Date(Math.floor(r.now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + r.days * 86_400_000);
  return { cn: r.cn, ips, dns, notBefore, notAfter, isCA };
}

/** genCA / genCAWithKey. */
export function genCA(r: CertRequest, keyPemText?: string): GoTyped {
  const key = keyPemText === undefined ? rsaKey() : withKey(keyPemText);
  return createCertificate(template({ ...r, ips: null, dns: null }, true), key, null);
}

/** genSelfSignedCert / genSelfSignedCertWithKey. */
export function genSelfSigned(r: CertRequest, keyPemText?: string): GoTyped {
  const t = template(r, false);
  const key = keyPemText === undefined ? rsaKey() : withKey(keyPemText);
  return createCertificate(t, key, null);
}

/** genSignedCert / genSignedCertWithKey. */
export function genSigned(r: CertRequest, ca: GoValue, keyPemText?: string): GoTyped {
  const key = keyPemText === undefined ? rsaKey() : withKey(keyPemText);
  const { cert, key: caKeyPem } = certFields(ca);
  const block = der.pemDecode(cert);
  if (block === null) throw new FuncError('unable to decode certificate');
  try {
    new nc.X509Certificate(block.der);
  } catch {
    throw new FuncError(`error parsing certificate: decodedSignerCert.Bytes: ${MALFORMED}`);
  }
  let signerKey: PrivKey;
  try {
    signerKey = parsePrivateKeyPEM(caKeyPem);
  } catch (e) {
    throw new FuncError(`error parsing private key: ${(e as Error).message}`);
  }
  const t = template(r, false);
  return createCertificate(t, key, {
    key: signerKey,
    subject: subjectDer(block.der),
    ski: skiOf(block.der),
  });
}

/** Go's text for a certificate it cannot parse (node's reason differs and is dropped). */
const MALFORMED = 'x509: malformed certificate';

function withKey(text: string): PrivKey {
  try {
    return parsePrivateKeyPEM(text);
  } catch (e) {
    throw new FuncError(`parsing private key: ${(e as Error).message}`);
  }
}

/** The raw subject Name of a DER certificate. */
function subjectDer(cert: Buffer): Buffer {
  const tbs = der.children(der.read(cert).body)[0];
  const fields = der.children(tbs?.body ?? Buffer.alloc(0));
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subj = fields[4 + offset];
  return subj === undefined ? der.seq() : der.tlv(subj.tag, subj.body);
}

function skiOf(cert: Buffer): Buffer | null {
  const tbs = der.children(der.read(cert).body)[0];
  const fields = der.children(tbs?.body ?? Buffer.alloc(0));
  const extsWrap = fields.find((f) => f.tag === 0xa3);
  if (extsWrap === undefined) return null;
  for (const e of der.children(der.read(extsWrap.body).body)) {
    const parts = der.children(e.body);
    if (parts[0]?.body.equals(der.oid(OID.ski).subarray(2))) {
      const value = parts[parts.length - 1]?.body ?? Buffer.alloc(0);
      return der.read(value).body;
    }
  }
  return null;
}

/** buildCustomCert: validates base64 PEM inputs and returns them as a certificate. */
export function buildCustomCert(b64cert: string, b64key: string): GoTyped {
  let cert: Buffer;
  let key: Buffer;
  try {
    cert = b64decode(b64cert);
  } catch {
    throw new FuncError('unable to decode base64 certificate');
  }
  try {
    key = b64decode(b64key);
  } catch {
    throw new FuncError('unable to decode base64 private key');
  }
  const block = der.pemDecode(cert.toString('latin1'));
  if (block === null) throw new FuncError('unable to decode certificate');
  try {
    new nc.X509Certificate(block.der);
  } catch {
    throw new FuncError(`error parsing certificate: decodedCert.Bytes: ${MALFORMED}`);
  }
  try {
    parsePrivateKeyPEM(key.toString('latin1'));
  } catch (e) {
    throw new FuncError(`error parsing private key: ${(e as Error).message}`);
  }
  return certificate(cert.toString('utf8'), key.toString('utf8'));
}
