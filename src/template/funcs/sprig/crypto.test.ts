import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';
import bcryptjs from 'bcryptjs';
import { render } from '../../index.ts';
import { sprigFuncs } from './index.ts';

const now = new Date('2024-03-05T14:07:09Z');
const funcs = sprigFuncs({ now: () => now });
const run = (tpl: string): string => render(tpl, null, { funcs });

// Random or time-dependent functions: we check the shape of what they produce, not the value.
describe('sprig crypto (shape of nondeterministic results)', () => {
  it('bcrypt gives a $2a$10$ hash that verifies', () => {
    const h = run('{{ bcrypt "s3cret" }}');
    assert.match(h, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    assert.ok(bcryptjs.compareSync('s3cret', h));
  });

  it('htpasswd bcrypt and sha forms', () => {
    const [user, hash = ''] = run('{{ htpasswd "me" "pw" "bcrypt" }}').split(':');
    assert.equal(user, 'me');
    assert.ok(bcryptjs.compareSync('pw', hash));
    assert.equal(run('{{ htpasswd "me" "pw" "sha" }}'), 'me:{SHA}GpHWL3ymc5liWkNopqtdSjuqYHM=');
    assert.equal(run('{{ htpasswd "m:e" "pw" "" }}'), 'invalid username: m:e');
  });

  it('encryptAES output decrypts with decryptAES, and differs each time', () => {
    const a = run('{{ encryptAES "key" "hello" }}');
    const b = run('{{ encryptAES "key" "hello" }}');
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64').length, 32);
    assert.equal(render('{{ decryptAES "key" .c }}', new Map([['c', a]]), { funcs }), 'hello');
  });

  it('uuidv4 and randBytes have Go shapes', () => {
    assert.match(
      run('{{ uuidv4 }}'),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(Buffer.from(run('{{ randBytes 12 }}'), 'base64').length, 12);
    const n = Number(run('{{ randInt 3 7 }}'));
    assert.ok(n >= 3 && n < 7);
  });

  it('genPrivateKey emits the PEM types sprig uses', () => {
    assert.match(run('{{ genPrivateKey "ecdsa" }}'), /^-----BEGIN EC PRIVATE KEY-----\n/);
    assert.match(run('{{ genPrivateKey "ed25519" }}'), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(run('{{ genPrivateKey "x" }}'), 'Unknown type x');
    const pem = run('{{ genPrivateKey "ecdsa" }}');
    assert.equal(createPrivateKey(pem).asymmetricKeyType, 'ec');
  });

  it('genCA and genSignedCert produce a verifiable chain with SANs and validity', () => {
    const out = run(
      '{{ $ca := genCAWithKey "my-ca" 10 (genPrivateKey "ecdsa") }}' +
        '{{ $c := genSignedCert "srv" (list "10.0.0.1") (list "a.example") 30 $ca }}' +
        '{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}',
    );
    const [caPem = '', certPem = '', keyPem = ''] = out.split('|');
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    assert.equal(ca.subject, 'CN=my-ca');
    assert.ok(ca.ca);
    assert.ok(cert.verify(ca.publicKey));
    assert.equal(cert.issuer, 'CN=my-ca');
    assert.equal(cert.subjectAltName, 'DNS:a.example, IP Address:10.0.0.1');
    assert.equal(new Date(cert.validFrom).toISOString(), now.toISOString().replace('.000', '.000'));
    assert.equal(new Date(cert.validTo).getTime() - now.getTime(), 30 * 86_400_000);
    assert.match(keyPem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)));
  });

  it('genSelfSignedCertWithKey keeps the given key', () => {
    const key = run('{{ genPrivateKey "ed25519" }}');
    const out = render(
      '{{ (genSelfSignedCertWithKey "me" nil nil 1 .k).Key }}',
      new Map([['k', key]]),
      {
        funcs,
      },
    );
    assert.equal(out, key);
  });

  it('rejects bad certificate inputs with sprig texts', () => {
    assert.throws(
      () => run('{{ genSelfSignedCert "x" (list 1) nil 1 }}'),
      /error parsing ip: 1 is not a string/,
    );
    assert.throws(
      () => run('{{ genCAWithKey "x" 1 "nope" }}'),
      /parsing private key: no PEM data in input/,
    );
  });
});
