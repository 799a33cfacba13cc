/**
 * ESO's own template functions (runtime/template/v2: pkcs12.go, pem.go, pem_chain.go, jwk.go,
 * yaml.go, decrypt.go), with Go signatures so the executor checks arity and argument types.
 * In a pipeline the piped value is the last argument. Behaviour: reference/eso.md §3.3.
 */
import { withSignature } from '../../types.ts';
import { GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import { binaryString } from './bytes.ts';
import { rsaDecrypt } from './decrypt.ts';
import { jwkPrivateKeyPem, jwkPublicKeyPem } from './jwk.ts';
import { certSANs, filterCertChain, filterPEM } from './pem-funcs.ts';
import {
  fullPemToPkcs12Pass,
  pemToPkcs12Pass,
  pemTruststoreToPKCS12Pass,
  pkcs12certPass,
  pkcs12keyPass,
  type EncodeOptions,
} from './pkcs12-funcs.ts';
import { fromYaml, toYaml } from './yaml.ts';

type StringFn = (...args: string[]) => GoValue;

/** A function of `n` string parameters; the executor has already checked the types. */
function strings(n: number, result: string, fn: StringFn): GoFunc {
  const params = Array.from({ length: n }, () => 'string');
  return withSignature({ params, result }, (...args: GoValue[]) =>
    fn(...args.map((a) => asString(a))),
  );
}

/** A Go string argument; one that is not valid UTF-8 arrives as bytes and becomes a byte string. */
function asString(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof GoTyped && typeof v.value === 'string') return v.value;
  if (v instanceof GoTyped && v.value instanceof Uint8Array) return binaryString(v.value);
  return '';
}

export interface EsoFuncsOptions {
  /** Randomness for PKCS#12 salts and IVs (tests pass a fixed source). */
  readonly random?: EncodeOptions['random'];
}

/** The 18 ESO functions, keyed by template name. */
export function esoFuncs(opts: EsoFuncsOptions = {}): Map<string, GoFunc> {
  const enc: EncodeOptions = opts.random ? { random: opts.random } : {};
  return new Map<string, GoFunc>([
    ['pkcs12key', strings(1, 'string', (input) => pkcs12keyPass('', input))],
    ['pkcs12keyPass', strings(2, 'string', (pass, input) => pkcs12keyPass(pass, input))],
    ['pkcs12cert', strings(1, 'string', (input) => pkcs12certPass('', input))],
    ['pkcs12certPass', strings(2, 'string', (pass, input) => pkcs12certPass(pass, input))],
    ['pemToPkcs12', strings(2, 'string', (cert, key) => pemToPkcs12Pass(cert, key, '', enc))],
    [
      'pemToPkcs12Pass',
      strings(3, 'string', (cert, key, pass) => pemToPkcs12Pass(cert, key, pass, enc)),
    ],
    [
      'fullPemToPkcs12',
      strings(2, 'string', (cert, key) => fullPemToPkcs12Pass(cert, key, '', enc)),
    ],
    [
      'fullPemToPkcs12Pass',
      strings(3, 'string', (cert, key, pass) => fullPemToPkcs12Pass(cert, key, pass, enc)),
    ],
    [
      'pemTruststoreToPKCS12',
      strings(1, 'string', (certs) => pemTruststoreToPKCS12Pass(certs, '', enc)),
    ],
    [
      'pemTruststoreToPKCS12Pass',
      strings(2, 'string', (certs, pass) => pemTruststoreToPKCS12Pass(certs, pass, enc)),
    ],
    ['filterPEM', strings(2, 'string', (pemType, input) => filterPEM(pemType, input))],
    [
      'filterCertChain',
      strings(2, 'string', (certType, input) => filterCertChain(certType, input)),
    ],
    ['certSANs', strings(1, '[]string', (input) => new GoTyped('[]string', certSANs(input)))],
    ['jwkPublicKeyPem', strings(1, 'string', (json) => jwkPublicKeyPem(json))],
    ['jwkPrivateKeyPem', strings(1, 'string', (json) => jwkPrivateKeyPem(json))],
    [
      'toYaml',
      withSignature({ params: ['interface {}'], result: 'string' }, (v: GoValue) => toYaml(v)),
    ],
    ['fromYaml', strings(1, 'map[string]interface {}', (s) => fromYaml(s))],
    [
      'rsaDecrypt',
      strings(4, 'string', (scheme, hash, input, key) => rsaDecrypt(scheme, hash, input, key)),
    ],
  ]);
}
