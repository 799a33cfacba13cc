/** jwkPublicKeyPem / jwkPrivateKeyPem: a JSON Web Key to PKIX or PKCS#8 PEM. */
import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { goJsonDecode } from './gojson.ts';
import { marshalPkcs8 } from './keys.ts';
import { pemString } from './pem.ts';

export class JwkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JwkError';
  }
}

/** Go's type names for the raw key jwx hands to crypto/x509. */
const RAW_TYPES: Record<string, [pub: string, priv: string]> = {
  RSA: ['*rsa.PublicKey', '*rsa.PrivateKey'],
  EC: ['*ecdsa.PublicKey', '*ecdsa.PrivateKey'],
  OKP: ['ed25519.PublicKey', 'ed25519.PrivateKey'],
};

function parseJwk(json: string): { jwk: JsonWebKey; isPrivate: boolean; types: [string, string] } {
  const decoded = goJsonDecode(json);
  if ('error' in decoded) {
    throw new JwkError(`failed to unmarshal JSON into key hint: ${decoded.error}`);
  }
  const jwk = decoded.value;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new JwkError('failed to unmarshal JSON into key hint: not an object');
  }
  const k = jwk as JsonWebKey;
  if (k.kty === 'oct') return { jwk: k, isPrivate: true, types: ['[]uint8', '[]uint8'] };
  const kty = typeof k.kty === 'string' ? k.kty : '';
  const types = RAW_TYPES[kty];
  if (!types) throw new JwkError(`invalid key type from JSON (${kty})`);
  return { jwk: k, isPrivate: typeof k.d === 'string', types };
}

function keyError(err: unknown): JwkError {
  return new JwkError(`failed to parse key: ${(err as Error).message}`, { cause: err });
}

export function jwkPublicKeyPem(json: string): string {
  const { jwk, isPrivate, types } = parseJwk(json);
  if (isPrivate) throw new JwkError(`x509: unsupported public key type: ${types[1]}`);
  let key;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch (err) {
    throw keyError(err);
  }
  return pemString('PUBLIC KEY', key.export({ type: 'spki', format: 'der' }));
}

export function jwkPrivateKeyPem(json: string): string {
  const { jwk, isPrivate, types } = parseJwk(json);
  if (!isPrivate || jwk.kty === 'oct') {
    throw new JwkError(
      `x509: unknown key type while marshaling PKCS#8: ${isPrivate ? types[1] : types[0]}`,
    );
  }
  let key;
  try {
    key = createPrivateKey({ key: jwk, format: 'jwk' });
  } catch (err) {
    throw keyError(err);
  }
  return pemString('PRIVATE KEY', marshalPkcs8(key));
}
