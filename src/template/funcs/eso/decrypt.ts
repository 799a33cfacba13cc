/** rsaDecrypt (ESO's decrypt.go): RSA-OAEP with a PEM private key, or passthrough. */
import { constants, privateDecrypt } from 'node:crypto';
import type { GoValue } from '../../value.ts';
import { goString, withByteReadings } from './bytes.ts';
import { KeyError, parsePrivateKey } from './keys.ts';
import { pemDecodeString } from './pem.ts';

export class DecryptError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecryptError';
  }
}

const HASHES: Record<string, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

export function rsaDecrypt(
  scheme: string,
  hash: string,
  input: string,
  privateKey: string,
): GoValue {
  if (scheme === 'None') return input;
  if (scheme !== 'RSA-OAEP') throw new DecryptError(`decryption scheme ${scheme} is not supported`);
  const { block } = pemDecodeString(privateKey);
  if (!block) throw new DecryptError('failed to decode PEM block');
  let key;
  try {
    key = parsePrivateKey(block.bytes);
  } catch (err) {
    const msg = err instanceof KeyError ? err.message : String(err);
    throw new DecryptError(`could not parse private key: ${msg}`, { cause: err });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new DecryptError('could not parse RSA private key');
  const oaepHash = HASHES[hash] ?? 'sha256';
  try {
    const out = withByteReadings(input, (ciphertext) =>
      privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ciphertext),
    );
    return goString(out);
  } catch (err) {
    throw new DecryptError('error decrypting data with RSA: crypto/rsa: decryption error', {
      cause: err,
    });
  }
}
