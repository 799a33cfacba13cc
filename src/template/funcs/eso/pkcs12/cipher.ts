/** Password-based encryption schemes go-pkcs12 reads and writes (PBES2/AES, SHA-1 3DES, RC2). */
import { createCipheriv, createDecipheriv, pbkdf2Sync } from 'node:crypto';
import forge from 'node-forge';
import { children, decodeInteger, decodeOid, readOne, TAG, type Tlv } from '../der.ts';
import { ERR_DECRYPTION, Pkcs12Error, pkcs12Kdf, SHA1, utf8Password } from './kdf.ts';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  pbeShaRc2_128: '1.2.840.113549.1.12.1.5',
  pbeShaRc2_40: '1.2.840.113549.1.12.1.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha1: '1.2.840.113549.2.7',
  hmacSha256: '1.2.840.113549.2.9',
  hmacSha512: '1.2.840.113549.2.11',
  aes128: '2.16.840.1.101.3.4.1.2',
  aes192: '2.16.840.1.101.3.4.1.22',
  aes256: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha512: '2.16.840.1.101.3.4.2.3',
  pbmac1: '1.2.840.113549.1.5.14',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  javaTrustStore: '2.16.840.1.113894.746875.1.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The parameters element, if present. */
  readonly params: Tlv | undefined;
}

export function algorithmIdentifier(t: Tlv | undefined): AlgorithmIdentifier {
  if (t?.tag !== TAG.SEQUENCE) throw new Pkcs12Error('asn1: structure error: algorithm identifier');
  const [id, params] = children(t);
  if (id?.tag !== TAG.OID) throw new Pkcs12Error('asn1: structure error: algorithm identifier');
  return { oid: decodeOid(id.value), params };
}

interface CipherSetup {
  readonly name: string;
  readonly key: Buffer;
  readonly iv: Buffer;
  readonly blockSize: number;
}

const PRFS = new Map<string, string>([
  [OID.hmacSha256, 'sha256'],
  [OID.hmacSha512, 'sha512'],
  [OID.hmacSha1, 'sha1'],
]);
const AES = new Map<string, [string, number]>([
  [OID.aes256, ['aes-256-cbc', 32]],
  [OID.aes192, ['aes-192-cbc', 24]],
  [OID.aes128, ['aes-128-cbc', 16]],
]);

function pbes2Setup(params: Tlv | undefined, bmpPassword: Buffer | null): CipherSetup {
  const [kdf, scheme] = params ? children(params) : [];
  const kdfAlg = algorithmIdentifier(kdf);
  if (kdfAlg.oid !== OID.pbkdf2) {
    throw new Pkcs12Error(`pkcs12: pbes2 kdf algorithm ${kdfAlg.oid} is not supported`);
  }
  const kdfParams = kdfAlg.params ? children(kdfAlg.params) : [];
  const [salt, iter, ...opt] = kdfParams;
  if (salt?.tag !== TAG.OCTET_STRING) {
    throw new Pkcs12Error('pkcs12: only octet string salts are supported for pbes2/pbkdf2');
  }
  const prfField = opt.find((t) => t.tag === TAG.SEQUENCE);
  const prfOid = prfField ? algorithmIdentifier(prfField).oid : OID.hmacSha1;
  const prf = PRFS.get(prfOid);
  if (!prf) throw new Pkcs12Error(`pkcs12: pbes2 prf ${prfOid} is not supported`);
  const enc = algorithmIdentifier(scheme);
  const aes = AES.get(enc.oid);
  if (!aes) throw new Pkcs12Error(`pkcs12: pbes2 algorithm ${enc.oid} is not supported`);
  const iterations = Number(decodeInteger(iter?.value ?? Buffer.alloc(0)));
  const key = pbkdf2Sync(utf8Password(bmpPassword), salt.value, iterations, aes[1], prf);
  return { name: aes[0], key, iv: enc.params?.value ?? Buffer.alloc(0), blockSize: 16 };
}

function pkcs12PbeSetup(alg: AlgorithmIdentifier, password: Buffer | null): CipherSetup {
  const [salt, iter] = alg.params ? children(alg.params) : [];
  const input = {
    salt: salt?.value ?? Buffer.alloc(0),
    password,
    iterations: Number(decodeInteger(iter?.value ?? Buffer.alloc(0))),
  };
  const keyLen = alg.oid === OID.pbeSha3Des ? 24 : alg.oid === OID.pbeShaRc2_128 ? 16 : 5;
  const name = alg.oid === OID.pbeSha3Des ? 'des-ede3-cbc' : 'rc2';
  return {
    name,
    key: pkcs12Kdf(SHA1, input, 1, keyLen),
    iv: pkcs12Kdf(SHA1, input, 2, 8),
    blockSize: 8,
  };
}

function setupFor(alg: AlgorithmIdentifier, password: Buffer | null): CipherSetup {
  switch (alg.oid) {
    case OID.pbes2:
      return pbes2Setup(alg.params, password);
    case OID.pbeSha3Des:
    case OID.pbeShaRc2_128:
    case OID.pbeShaRc2_40:
      return pkcs12PbeSetup(alg, password);
    default:
      throw new Pkcs12Error(`pkcs12: pbe algorithm ${alg.oid} is not supported`);
  }
}

/** RC2 is not in OpenSSL 3's default provider, so node cannot do it; node-forge can. */
function rc2Decrypt(s: CipherSetup, data: Buffer): Buffer {
  const cipher = forge.rc2.createDecryptionCipher(s.key.toString('binary'), s.key.length * 8);
  cipher.start(s.iv.toString('binary'));
  cipher.update(forge.util.createBuffer(data.toString('binary')));
  cipher.finish(() => true);
  return Buffer.from(cipher.output.getBytes(), 'binary');
}

function rawDecrypt(s: CipherSetup, data: Buffer): Buffer {
  if (s.name === 'rc2') return rc2Decrypt(s, data);
  const d = createDecipheriv(s.name, s.key, s.iv);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/** pbDecrypt: CBC decryption, then Go's strict padding check. */
export function pbDecrypt(alg: AlgorithmIdentifier, data: Buffer, password: Buffer | null): Buffer {
  const setup = setupFor(alg, password);
  if (data.length === 0) throw new Pkcs12Error('pkcs12: empty encrypted data');
  if (data.length % setup.blockSize !== 0) {
    throw new Pkcs12Error('pkcs12: input is not a multiple of the block size');
  }
  const out = rawDecrypt(setup, data);
  const ps = out[out.length - 1] ?? 0;
  if (ps === 0 || ps > setup.blockSize || out.length < ps) throw new Pkcs12Error(ERR_DECRYPTION);
  if (!out.subarray(out.length - ps).every((b) => b === ps)) throw new Pkcs12Error(ERR_DECRYPTION);
  return out.subarray(0, out.length - ps);
}

/** PBES2 encryption with PBKDF2-HMAC-SHA256 and AES-256-CBC (go-pkcs12 Modern). */
export function pbes2Encrypt(
  data: Buffer,
  p: { password: Buffer; salt: Buffer; iv: Buffer; iterations: number },
): Buffer {
  const key = pbkdf2Sync(p.password, p.salt, p.iterations, 32, 'sha256');
  const c = createCipheriv('aes-256-cbc', key, p.iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/** The single child of an explicit [0] wrapper. */
export function explicitContent(t: Tlv | undefined, what: string): Tlv {
  if (t?.tag !== 0xa0) throw new Pkcs12Error(`asn1: structure error: ${what}`);
  return readOne(t.value);
}
