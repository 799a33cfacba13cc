/** Private keys as ESO parses and writes them: PKCS#1, PKCS#8 or SEC 1 in; PKCS#8 out. */
import { createPrivateKey, type KeyObject } from 'node:crypto';

export class KeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyError';
  }
}

const DER_TYPES = ['pkcs1', 'pkcs8', 'sec1'] as const;

/** ESO's parsePrivateKey: PKCS#1, then PKCS#8, then SEC 1 (EC) DER. */
export function parsePrivateKey(der: Buffer): KeyObject {
  for (const type of DER_TYPES) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  throw new KeyError('unable to parse private key type');
}

/** x509.ParsePKCS8PrivateKey. */
export function parsePkcs8(der: Buffer): KeyObject {
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw new KeyError('x509: failed to parse private key', { cause: err });
  }
}

/** x509.MarshalPKCS8PrivateKey; OpenSSL writes the same DER as Go for RSA, EC and Ed25519. */
export function marshalPkcs8(key: KeyObject): Buffer {
  const t = key.asymmetricKeyType;
  if (t !== 'rsa' && t !== 'ec' && t !== 'ed25519' && t !== 'x25519') {
    throw new KeyError(`x509: unknown key type while marshaling PKCS#8: ${t ?? 'unknown'}`);
  }
  return key.export({ type: 'pkcs8', format: 'der' });
}
