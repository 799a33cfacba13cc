/** ESO's PKCS#12 functions (pkcs12.go): read keys and certificates out, build files in. */
import { orderChain, certsToPem } from './chain.ts';
import { withByteReadings } from './bytes.ts';
import { marshalPkcs8, parsePrivateKey } from './keys.ts';
import { pemDecode, pemString } from './pem.ts';
import { decodeChain } from './pkcs12/decode.ts';
import { encodePkcs12, encodeTrustStore, type RandomSource } from './pkcs12/encode.ts';
import { parseCertificate, type Cert } from './x509.ts';

export class Pkcs12FuncError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Pkcs12FuncError';
  }
}

/** What Go reports when ESO dereferences the nil block pem.Decode returns for non-PEM input. */
const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function decode(input: string, pass: string, prefix: string): ReturnType<typeof decodeChain> {
  try {
    return withByteReadings(
      input,
      (b) => decodeChain(b, pass),
      (e) => !(e instanceof Error && e.message.startsWith('pkcs12: error reading P12 data')),
    );
  } catch (err) {
    throw new Pkcs12FuncError(`${prefix}: ${message(err)}`, { cause: err });
  }
}

/** The private key of a PKCS#12 file as PKCS#8 PEM. */
export function pkcs12keyPass(pass: string, input: string): string {
  const { privateKey } = decode(input, pass, 'unable to decode pkcs12 with password');
  return pemString('PRIVATE KEY', marshalPkcs8(privateKey));
}

/** The certificates of a PKCS#12 file as PEM, leaf first when a single chain can be built. */
export function pkcs12certPass(pass: string, input: string): string {
  const { certificate, caCerts } = decode(
    input,
    pass,
    'unable to decode pkcs12 certificate with password',
  );
  const pem = certsToPem([certificate, ...caCerts]);
  try {
    return certsToPem(orderChain(Buffer.from(pem, 'utf8').toString('latin1')));
  } catch {
    return pem;
  }
}

function binary(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** First PEM block of `text` as a certificate, and the rest of the text. */
function firstCert(text: string): { cert: Cert; rest: string } {
  const { block, rest } = pemDecode(text);
  if (!block) throw new Pkcs12FuncError(NIL_DEREF);
  return { cert: parseCertificate(block.bytes), rest };
}

/** parseCaCerts: every remaining PEM block must be a certificate. */
function parseCaCerts(text: string): Cert[] {
  const certs: Cert[] = [];
  for (let rest = text; rest.length > 0;) {
    const next = firstCert(rest);
    certs.push(next.cert);
    rest = next.rest;
  }
  return certs;
}

export interface EncodeOptions {
  readonly random?: RandomSource;
}

function encodeWithKey(
  cert: Cert,
  key: string,
  caCerts: Cert[],
  pass: string,
  o: EncodeOptions,
): string {
  const { block } = pemDecode(binary(key));
  if (!block) throw new Pkcs12FuncError(NIL_DEREF);
  const parsed = parsePrivateKey(block.bytes);
  return encodePkcs12(parsed, cert, caCerts, {
    password: pass,
    ...(o.random ? { random: o.random } : {}),
  });
}

/** The first PEM certificate and the key as a base64 PKCS#12 file. */
export function pemToPkcs12Pass(
  cert: string,
  key: string,
  pass: string,
  o: EncodeOptions = {},
): string {
  return encodeWithKey(firstCert(binary(cert)).cert, key, [], pass, o);
}

/** Leaf (first certificate), CA chain (the rest) and key as a base64 PKCS#12 file. */
export function fullPemToPkcs12Pass(
  cert: string,
  key: string,
  pass: string,
  o: EncodeOptions = {},
): string {
  const { cert: leaf, rest } = firstCert(binary(cert));
  return encodeWithKey(leaf, key, parseCaCerts(rest), pass, o);
}

/** PEM certificates as a base64 Java trust store (PKCS#12). */
export function pemTruststoreToPKCS12Pass(
  certs: string,
  pass: string,
  o: EncodeOptions = {},
): string {
  const parsed = parseCaCerts(binary(certs));
  return encodeTrustStore(parsed, { password: pass, ...(o.random ? { random: o.random } : {}) });
}

export { parseCertificate };
