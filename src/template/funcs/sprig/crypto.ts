/** Sprig's crypto.go: hashes, bcrypt/htpasswd, derivePassword, AES, random values, certs. */
import * as nc from 'node:crypto';
import bcryptjs from 'bcryptjs';
import { FuncError, type GoFunc } from '../../value.ts';
import { bytesArg, fixed, int, list, named, str, uint32 } from './args.ts';
import * as certs from './certs.ts';
import { b64decode } from './encoding.ts';
import type { ResolvedDeps } from './index.ts';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const hex =
  (alg: string) =>
  (b: Buffer): string =>
    nc.createHash(alg).update(b).digest('hex');

function adler32(input: Buffer): string {
  let a = 1;
  let b = 0;
  for (const byte of input) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

/** golang.org/x/crypto/bcrypt GenerateFromPassword at DefaultCost (10), "$2a$" prefix. */
function bcrypt(s: string): string {
  if (utf8(s).length > 72) {
    return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  }
  return bcryptjs.hashSync(s, 10).replace(/^\$2b\$/, '$2a$');
}

function htpasswd(user: string, pass: string, alg: string): string {
  if (user.includes(':')) return `invalid username: ${user}`;
  if (alg === 'sha')
    return `${user}:{SHA}${nc.createHash('sha1').update(utf8(pass)).digest('base64')}`;
  return `${user}:${bcrypt(pass)}`;
}

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv',
    'CvcvCvcvnoCvcv',
    'CvcvCvcvCvcvno',
    'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno',
    'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc',
    'CvcvCvcvCvccno',
    'CvccnoCvccCvcv',
    'CvccCvccnoCvcv',
    'CvccCvccCvcvno',
    'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc',
    'CvcvCvccCvccno',
    'CvccnoCvcvCvcc',
    'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

const be32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** The Master Password algorithm (v3), as sprig's derivePassword implements it. */
function derivePassword(
  counter: number,
  type: string,
  password: string,
  user: string,
  site: string,
): string {
  const templates = TEMPLATES[type];
  if (templates === undefined) return `cannot find password template ${type}`;
  const seed = utf8('com.lyndir.masterpassword');
  const salt = Buffer.concat([seed, be32(utf8(user).length), utf8(user)]);
  const key = nc.scryptSync(utf8(password), salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 64 * 1024 * 1024,
  });
  const msg = Buffer.concat([seed, be32(utf8(site).length), utf8(site), be32(counter)]);
  const mac = nc.createHmac('sha256', key).update(msg).digest();
  const temp = templates[(mac[0] ?? 0) % templates.length] ?? '';
  return Array.from(temp, (c, i) => {
    const chars = CHARS[c] ?? '';
    return chars[(mac[i + 1] ?? 0) % chars.length] ?? '';
  }).join('');
}

const aesKey = (password: string): Buffer => {
  const key = Buffer.alloc(32);
  utf8(password).copy(key, 0, 0, 32);
  return key;
};

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = utf8(plaintext);
  const pad = 16 - (content.length % 16);
  const iv = nc.randomBytes(16);
  const c = nc.createCipheriv('aes-256-cbc', aesKey(password), iv);
  c.setAutoPadding(false);
  const body = Buffer.concat([
    c.update(Buffer.concat([content, Buffer.alloc(pad, pad)])),
    c.final(),
  ]);
  return Buffer.concat([iv, body]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const crypt = b64decode(crypt64);
  if (crypt.length < 16) {
    throw new FuncError(
      `runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`,
    );
  }
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new FuncError('crypto/cipher: input not full blocks');
  if (body.length === 0) throw new FuncError('runtime error: index out of range [-1]');
  const d = nc.createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(body), d.final()]);
  const cut = plain.length - (plain[plain.length - 1] ?? 0);
  if (cut < 0) throw new FuncError(`runtime error: slice bounds out of range [:${cut}]`);
  return plain.subarray(0, cut).toString('utf8');
}

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

function randFrom(chars: string, n: number): string {
  if (n <= 0) return ''; // goutils errors on a negative count; sprig drops the error
  let out = '';
  for (let i = 0; i < n; i++) out += chars[nc.randomInt(chars.length)] ?? '';
  return out;
}

const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

function certFuncs(deps: ResolvedDeps): [string, GoFunc][] {
  const cert = named('sprig.certificate');
  const req = (
    cn: string,
    ips: certs.CertRequest['ips'],
    dns: certs.CertRequest['dns'],
    days: number,
  ) => ({
    cn,
    ips,
    dns,
    days,
    now: deps.now(),
  });
  return [
    fixed('genPrivateKey', [str], certs.generatePrivateKey),
    fixed('buildCustomCert', [str, str], certs.buildCustomCert),
    fixed('genCA', [str, int], (cn, days) => certs.genCA(req(cn, null, null, days))),
    fixed('genCAWithKey', [str, int, str], (cn, days, key) =>
      certs.genCA(req(cn, null, null, days), key),
    ),
    fixed('genSelfSignedCert', [str, list, list, int], (cn, ips, dns, days) =>
      certs.genSelfSigned(req(cn, ips, dns, days)),
    ),
    fixed('genSelfSignedCertWithKey', [str, list, list, int, str], (cn, ips, dns, days, key) =>
      certs.genSelfSigned(req(cn, ips, dns, days), key),
    ),
    fixed('genSignedCert', [str, list, list, int, cert], (cn, ips, dns, days, ca) =>
      certs.genSigned(req(cn, ips, dns, days), ca),
    ),
    fixed(
      'genSignedCertWithKey',
      [str, list, list, int, cert, str],
      (cn, ips, dns, days, ca, key) => certs.genSigned(req(cn, ips, dns, days), ca, key),
    ),
  ];
}

/** The crypto.go functions and random generators, keyed by template name. */
export function cryptoFuncs(deps: ResolvedDeps): [string, GoFunc][] {
  return [
    fixed('sha1sum', [bytesArg], hex('sha1')),
    fixed('sha256sum', [bytesArg], hex('sha256')),
    fixed('sha512sum', [bytesArg], hex('sha512')),
    fixed('adler32sum', [bytesArg], adler32),
    fixed('bcrypt', [str], bcrypt),
    // The vendored sprig's third parameter is the algorithm: "sha", anything else means bcrypt.
    fixed('htpasswd', [str, str, str], htpasswd),
    fixed('derivePassword', [uint32, str, str, str, str], derivePassword),
    fixed('encryptAES', [str, str], encryptAES),
    fixed('decryptAES', [str, str], decryptAES),
    fixed('randBytes', [int], (n) => {
      if (n < 0) throw new FuncError('runtime error: makeslice: len out of range');
      return nc.randomBytes(n).toString('base64');
    }),
    fixed('uuidv4', [], () => nc.randomUUID()),
    fixed('randAlphaNum', [int], (n) => randFrom(ALPHA + DIGITS, n)),
    fixed('randAlpha', [int], (n) => randFrom(ALPHA, n)),
    fixed('randNumeric', [int], (n) => randFrom(DIGITS, n)),
    fixed('randAscii', [int], (n) => randFrom(ASCII, n)),
    ...certFuncs(deps),
  ];
}
