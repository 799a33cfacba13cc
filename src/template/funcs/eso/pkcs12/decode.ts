/** go-pkcs12's DecodeChain: the private key, the leaf certificate and the CA certificates. */
import { createHmac, pbkdf2Sync, timingSafeEqual, type KeyObject } from 'node:crypto';
import { children, decodeInteger, decodeOid, readOne, TAG, type Tlv } from '../der.ts';
import { parsePkcs8 } from '../keys.ts';
import { parseCertificate, type Cert } from '../x509.ts';
import { algorithmIdentifier, explicitContent, OID, pbDecrypt } from './cipher.ts';
import {
  bmpStringZeroTerminated,
  ERR_INCORRECT_PASSWORD,
  Pkcs12Error,
  pkcs12Kdf,
  SHA1,
  SHA256,
  SHA512,
  utf8Password,
  type HashSpec,
} from './kdf.ts';

export interface Pkcs12Contents {
  readonly privateKey: KeyObject;
  readonly certificate: Cert;
  readonly caCerts: Cert[];
}

interface SafeBag {
  readonly id: string;
  readonly value: Tlv;
}

const MAC_HASHES = new Map<string, HashSpec>([
  [OID.sha1, SHA1],
  [OID.sha256, SHA256],
  [OID.sha512, SHA512],
]);

function structure<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof Pkcs12Error) throw err;
    throw new Pkcs12Error(`asn1: structure error: ${what}`, { cause: err });
  }
}

function pbmac1(alg: Tlv | undefined, message: Buffer, password: Buffer | null): Buffer {
  const [kdf, macAlg] = alg ? children(alg) : [];
  const k = algorithmIdentifier(kdf);
  if (k.oid !== OID.pbkdf2)
    throw new Pkcs12Error(`pkcs12: PBMAC1 KDF algorithm ${k.oid} is not supported`);
  const [salt, iter, ...opt] = k.params ? children(k.params) : [];
  const keyLen = opt.find((t) => t.tag === TAG.INTEGER);
  const prfField = opt.find((t) => t.tag === TAG.SEQUENCE);
  const prf = {
    [OID.hmacSha1]: 'sha1',
    [OID.hmacSha256]: 'sha256',
    [OID.hmacSha512]: 'sha512',
  } as Record<string, string>;
  const prfName = prf[prfField ? algorithmIdentifier(prfField).oid : OID.hmacSha1];
  const macName = prf[algorithmIdentifier(macAlg).oid];
  if (!prfName || !macName || !keyLen)
    throw new Pkcs12Error('pkcs12: PBMAC1 parameters are not supported');
  const key = pbkdf2Sync(
    utf8Password(password),
    salt?.value ?? Buffer.alloc(0),
    Number(decodeInteger(iter?.value ?? Buffer.alloc(0))),
    Number(decodeInteger(keyLen.value)),
    prfName,
  );
  return createHmac(macName, key).update(message).digest();
}

function computeMac(macData: Tlv, message: Buffer, password: Buffer | null): Buffer {
  const [digestInfo, salt, iter] = children(macData);
  const [algField] = digestInfo ? children(digestInfo) : [];
  const alg = algorithmIdentifier(algField);
  if (alg.oid === OID.pbmac1) return pbmac1(alg.params, message, password);
  const h = MAC_HASHES.get(alg.oid);
  if (!h) throw new Pkcs12Error(`pkcs12: MAC digest algorithm not supported: ${alg.oid}`);
  const iterations = iter ? Number(decodeInteger(iter.value)) : 1;
  const key = pkcs12Kdf(h, { salt: salt?.value ?? Buffer.alloc(0), password, iterations }, 3, h.u);
  return createHmac(h.name, key).update(message).digest();
}

function verifyMac(macData: Tlv, message: Buffer, password: Buffer | null): void {
  const [digestInfo] = children(macData);
  const [, digest] = digestInfo ? children(digestInfo) : [];
  const expected = computeMac(macData, message, password);
  const got = digest?.value ?? Buffer.alloc(0);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
    throw new Pkcs12Error(ERR_INCORRECT_PASSWORD);
  }
}

function isEmptyPassword(p: Buffer | null): boolean {
  return p !== null && p.length === 2 && p[0] === 0 && p[1] === 0;
}

/** Checks the MAC; an empty password may also mean "no password" (returned as null). */
function checkMac(macData: Tlv | undefined, message: Buffer, password: Buffer): Buffer | null {
  if (!macData) {
    if (!isEmptyPassword(password)) throw new Pkcs12Error('pkcs12: no MAC in data');
    return password;
  }
  try {
    verifyMac(macData, message, password);
    return password;
  } catch (err) {
    if (!(
      err instanceof Pkcs12Error &&
      err.message === ERR_INCORRECT_PASSWORD &&
      isEmptyPassword(password)
    )) {
      throw err;
    }
    verifyMac(macData, message, null);
    return null;
  }
}

function contentData(ci: Tlv, password: Buffer | null): Buffer {
  const [type, content] = children(ci);
  const oid = decodeOid(type?.value ?? Buffer.alloc(0));
  if (oid === OID.data) return explicitContent(content, 'data').value;
  if (oid !== OID.encryptedData) {
    throw new Pkcs12Error(
      'pkcs12: only data and encryptedData content types are supported in authenticated safe',
    );
  }
  const [version, eci] = children(explicitContent(content, 'encrypted data'));
  if (decodeInteger(version?.value ?? Buffer.alloc(0)) !== 0n) {
    throw new Pkcs12Error('pkcs12: only version 0 of EncryptedData is supported');
  }
  const [, algField, encrypted] = eci ? children(eci) : [];
  return pbDecrypt(algorithmIdentifier(algField), encrypted?.value ?? Buffer.alloc(0), password);
}

function safeBags(data: Buffer): SafeBag[] {
  return children(readOne(data)).map((bag) => {
    const [id, value] = children(bag);
    return {
      id: decodeOid(id?.value ?? Buffer.alloc(0)),
      value: explicitContent(value, 'safe bag'),
    };
  });
}

const GO_FIELD_PARAMS =
  '{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}';

/** encoding/asn1's message when the PFX is not a SEQUENCE at all (e.g. text was passed). */
function topLevelError(pfx: Buffer): string | null {
  if (pfx.length === 0) return 'asn1: syntax error: sequence truncated';
  const [b0 = 0, b1 = 0] = pfx;
  if (b0 === TAG.SEQUENCE || (b0 & 0x1f) === 0x1f || pfx.length < 2 || b1 >= 0x80) return null;
  const found = `{class:${b0 >> 6} tag:${b0 & 0x1f} length:${b1} isCompound:${(b0 & 0x20) !== 0}}`;
  return `asn1: structure error: tags don't match (16 vs ${found}) ${GO_FIELD_PARAMS} pfxPdu @2`;
}

function readPfx(pfx: Buffer): Tlv[] {
  try {
    const goMessage = topLevelError(pfx);
    if (goMessage !== null) throw new Error(goMessage);
    const top = readOne(pfx);
    if (top.tag !== TAG.SEQUENCE) throw new Error("asn1: structure error: tags don't match");
    return children(top);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Pkcs12Error(`pkcs12: error reading P12 data: ${msg}`, { cause: err });
  }
}

/** getSafeContents: the bags of every content in the authenticated safe. */
function getSafeContents(
  pfx: Buffer,
  password: Buffer,
): { bags: SafeBag[]; password: Buffer | null } {
  const [version, authSafe, macData] = readPfx(pfx);
  if (decodeInteger(version?.value ?? Buffer.alloc(0)) !== 3n) {
    throw new Pkcs12Error("pkcs12: can only decode v3 PFX PDU's");
  }
  const [ctype, content] = children(authSafe ?? readOne(Buffer.from([0x30, 0])));
  if (decodeOid(ctype?.value ?? Buffer.alloc(0)) !== OID.data) {
    throw new Pkcs12Error('pkcs12: only password-protected PFX is implemented');
  }
  const authSafeBytes = explicitContent(content, 'auth safe').value;
  const pw = checkMac(macData, authSafeBytes, password);
  const infos = children(readOne(authSafeBytes));
  if (infos.length < 1 || infos.length > 2) {
    throw new Pkcs12Error(
      `pkcs12: expected between 1 and 2 items in the authenticated safe, but this file has ${infos.length}`,
    );
  }
  const bags = infos.flatMap((ci) => safeBags(contentData(ci, pw)));
  return { bags, password: pw };
}

function certFromBag(value: Tlv): Cert {
  const [id, data] = children(value);
  if (decodeOid(id?.value ?? Buffer.alloc(0)) !== OID.x509Certificate) {
    throw new Pkcs12Error('pkcs12: only X509 certificates are supported in cert bags');
  }
  return parseCertificate(explicitContent(data, 'cert bag').value);
}

function shroudedKey(value: Tlv, password: Buffer | null): KeyObject {
  const [algField, encrypted] = children(value);
  let pk: Buffer;
  try {
    pk = pbDecrypt(algorithmIdentifier(algField), encrypted?.value ?? Buffer.alloc(0), password);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Pkcs12Error(`pkcs12: error decrypting PKCS#8 shrouded key bag: ${msg}`, {
      cause: err,
    });
  }
  try {
    return parsePkcs8(pk);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Pkcs12Error(`pkcs12: error parsing PKCS#8 private key: ${msg}`, { cause: err });
  }
}

/** DecodeChain(pfx, password). */
export function decodeChain(pfx: Buffer, password: string): Pkcs12Contents {
  const { bags, password: pw } = structure('pfx', () =>
    getSafeContents(pfx, bmpStringZeroTerminated(password)),
  );
  let privateKey: KeyObject | null = null;
  let certificate: Cert | null = null;
  const caCerts: Cert[] = [];
  for (const bag of bags) {
    if (bag.id === OID.certBag) {
      const cert = certFromBag(bag.value);
      if (certificate === null) certificate = cert;
      else caCerts.push(cert);
    } else if (bag.id === OID.keyBag || bag.id === OID.shroudedKeyBag) {
      if (privateKey !== null) throw new Pkcs12Error('pkcs12: expected exactly one key bag');
      privateKey = bag.id === OID.keyBag ? parsePkcs8(bag.value.raw) : shroudedKey(bag.value, pw);
    }
  }
  if (certificate === null) throw new Pkcs12Error('pkcs12: certificate missing');
  if (privateKey === null) throw new Pkcs12Error('pkcs12: private key missing');
  return { privateKey, certificate, caCerts };
}
