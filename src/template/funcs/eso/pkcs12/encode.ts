/**
 * go-pkcs12's Modern (2023) encoder, structure for structure: certificates in a PBES2
 * (PBKDF2-HMAC-SHA256, AES-256-CBC) encryptedData, the key in a shrouded key bag with the same
 * scheme, a SHA-256 HMAC over the authenticated safe; 2048 iterations and 16-byte salts.
 */
import { createHash, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { explicit, integer, octets, oid, seq, set, tlv, TAG } from '../der.ts';
import { marshalPkcs8 } from '../keys.ts';
import { subjectString, type Cert } from '../x509.ts';
import { OID, pbes2Encrypt } from './cipher.ts';
import { bmpString, bmpStringZeroTerminated, pkcs12Kdf, SHA256, utf8Password } from './kdf.ts';

const ITERATIONS = 2048;
const SALT_LEN = 16;

/** Where randomness comes from; tests may pass a deterministic source. */
export type RandomSource = (n: number) => Buffer;

interface Ctx {
  readonly password: Buffer;
  readonly random: RandomSource;
}

/** AlgorithmIdentifier PBES2 { PBKDF2 { salt, 2048, hmacWithSHA256 }, aes256-CBC iv }. */
function pbes2Params(salt: Buffer, iv: Buffer): Buffer {
  const kdf = seq(
    oid(OID.pbkdf2),
    seq(octets(salt), integer(ITERATIONS), seq(oid(OID.hmacSha256))),
  );
  return seq(oid(OID.pbes2), seq(kdf, seq(oid(OID.aes256), octets(iv))));
}

function encrypt(data: Buffer, ctx: Ctx): { alg: Buffer; encrypted: Buffer } {
  const salt = ctx.random(SALT_LEN);
  const iv = ctx.random(16);
  const password = utf8Password(ctx.password);
  return {
    alg: pbes2Params(salt, iv),
    encrypted: pbes2Encrypt(data, { password, salt, iv, iterations: ITERATIONS }),
  };
}

function attribute(id: string, value: Buffer): Buffer {
  return seq(oid(id), set(value));
}

function safeBag(id: string, value: Buffer, attributes: Buffer[] | null): Buffer {
  const attrs = attributes === null ? [] : [set(...attributes)];
  return seq(oid(id), explicit(0, value), ...attrs);
}

function certBag(cert: Cert, attributes: Buffer[]): Buffer {
  const bag = seq(oid(OID.x509Certificate), explicit(0, octets(cert.raw)));
  return safeBag(OID.certBag, bag, attributes);
}

function dataContent(bags: Buffer[]): Buffer {
  return seq(oid(OID.data), explicit(0, octets(seq(...bags))));
}

function encryptedContent(bags: Buffer[], ctx: Ctx): Buffer {
  const { alg, encrypted } = encrypt(seq(...bags), ctx);
  const eci = seq(oid(OID.data), alg, tlv(0x80, encrypted));
  return seq(oid(OID.encryptedData), explicit(0, seq(integer(0), eci)));
}

function pfx(authSafe: Buffer, ctx: Ctx): string {
  const macSalt = ctx.random(SALT_LEN);
  const key = pkcs12Kdf(
    SHA256,
    { salt: macSalt, password: ctx.password, iterations: ITERATIONS },
    3,
    32,
  );
  const digest = createHmac('sha256', key).update(authSafe).digest();
  const macData = seq(
    seq(seq(oid(OID.sha256)), octets(digest)),
    octets(macSalt),
    integer(ITERATIONS),
  );
  const der = seq(integer(3), seq(oid(OID.data), explicit(0, octets(authSafe))), macData);
  return der.toString('base64');
}

/** Modern.Encode(key, cert, caCerts, password), base64 as ESO returns it. */
export function encodePkcs12(
  key: KeyObject,
  cert: Cert,
  caCerts: readonly Cert[],
  opts: { password: string; random?: RandomSource },
): string {
  const ctx: Ctx = {
    password: bmpStringZeroTerminated(opts.password),
    random: opts.random ?? randomBytes,
  };
  const fingerprint = createHash('sha1').update(cert.raw).digest();
  const localKeyId = attribute(OID.localKeyId, octets(fingerprint));
  const certBags = [certBag(cert, [localKeyId]), ...caCerts.map((c) => certBag(c, []))];
  const { alg, encrypted } = encrypt(marshalPkcs8(key), ctx);
  const keyBag = safeBag(OID.shroudedKeyBag, seq(alg, octets(encrypted)), [localKeyId]);
  const authSafe = seq(encryptedContent(certBags, ctx), dataContent([keyBag]));
  return pfx(authSafe, ctx);
}

/** Modern.EncodeTrustStore(certs, password): Java trust anchors named by their subject. */
export function encodeTrustStore(
  certs: readonly Cert[],
  opts: { password: string; random?: RandomSource },
): string {
  const ctx: Ctx = {
    password: bmpStringZeroTerminated(opts.password),
    random: opts.random ?? randomBytes,
  };
  const trust = attribute(OID.javaTrustStore, oid(OID.anyExtendedKeyUsage));
  const bags = certs.map((c) => {
    const name = attribute(OID.friendlyName, tlv(TAG.BMP_STRING, bmpString(subjectString(c))));
    return certBag(c, [trust, name]);
  });
  return pfx(seq(encryptedContent(bags, ctx)), ctx);
}
