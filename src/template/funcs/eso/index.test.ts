import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { signatureOf } from '../../types.ts';
import { GoTyped, type GoFunc, type GoValue } from '../../value.ts';
import { esoFuncs } from './index.ts';
import { formatIp } from './x509.ts';
import { compareYamlKeys } from './yaml.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

const funcs = esoFuncs();
function call(name: string, ...args: GoValue[]): GoValue {
  const fn: GoFunc | undefined = funcs.get(name);
  assert.ok(fn, `${name} is registered`);
  return fn(...args);
}

/** A binary string (one char per byte), as binary secret data reaches the functions. */
const binary = (b64: string): string => Buffer.from(b64, 'base64').toString('latin1');

const cert = fixture('foo.crt');
const key = fixture('foo.key');
const chain = fixture('chain.pem');

void describe('esoFuncs', () => {
  void test('registers exactly ESO’s 18 functions with Go signatures', () => {
    const names = [
      'pkcs12key',
      'pkcs12keyPass',
      'pkcs12cert',
      'pkcs12certPass',
      'pemToPkcs12',
      'pemToPkcs12Pass',
      'fullPemToPkcs12',
      'fullPemToPkcs12Pass',
      'pemTruststoreToPKCS12',
      'pemTruststoreToPKCS12Pass',
      'filterPEM',
      'filterCertChain',
      'certSANs',
      'jwkPublicKeyPem',
      'jwkPrivateKeyPem',
      'toYaml',
      'fromYaml',
      'rsaDecrypt',
    ];
    assert.deepEqual([...funcs.keys()].sort(), names.sort());
    assert.deepEqual(signatureOf(funcs.get('rsaDecrypt')!)?.params, [
      'string',
      'string',
      'string',
      'string',
    ]);
    assert.deepEqual(signatureOf(funcs.get('toYaml')!)?.params, ['interface {}']);
    assert.equal(signatureOf(funcs.get('certSANs')!)?.result, '[]string');
  });
});

void describe('PKCS#12', () => {
  void test('pemToPkcs12 output reads back with pkcs12key and pkcs12cert', () => {
    const p12 = binary(call('pemToPkcs12', cert, key) as string);
    const keyPem = call('pkcs12key', p12) as string;
    assert.equal(keyPem, key); // openssl genpkey writes the same PKCS#8 as Go
    assert.equal(call('pkcs12cert', p12), cert);
  });

  void test('fullPemToPkcs12Pass keeps the chain, ordered leaf to root on the way out', () => {
    const bundle = cert + fixture('root-ca.crt') + fixture('intermediate-ca.crt');
    const p12 = binary(call('fullPemToPkcs12Pass', bundle, key, 'pw') as string);
    assert.equal(call('pkcs12certPass', 'pw', p12), chain);
  });

  void test('accepts a non-UTF-8 Go string as GoTyped("string", bytes), as b64dec returns it', () => {
    const der = Buffer.from(call('pemToPkcs12', cert, key) as string, 'base64');
    assert.equal(call('pkcs12cert', new GoTyped('string', new Uint8Array(der))), cert);
  });

  void test('a wrong password is reported as Go does', () => {
    const p12 = binary(call('pemToPkcs12Pass', cert, key, 'right') as string);
    assert.throws(() => call('pkcs12keyPass', 'wrong', p12), {
      message: 'unable to decode pkcs12 with password: pkcs12: decryption password incorrect',
    });
  });

  void test('a trust store has no key, so pkcs12cert refuses it like go-pkcs12', () => {
    const p12 = binary(call('pemTruststoreToPKCS12', chain) as string);
    assert.throws(() => call('pkcs12cert', p12), {
      message: 'unable to decode pkcs12 certificate with password: pkcs12: private key missing',
    });
  });

  void test('a fixed random source makes the encoding deterministic', () => {
    const fixed = esoFuncs({ random: (n) => Buffer.alloc(n, 7) });
    const a = fixed.get('pemToPkcs12')!(cert, key);
    const b = fixed.get('pemToPkcs12')!(cert, key);
    assert.equal(a, b);
  });

  void test('non-PEM input fails like the nil dereference in ESO', () => {
    assert.throws(() => call('pemToPkcs12', 'junk', key), {
      message: 'runtime error: invalid memory address or nil pointer dereference',
    });
  });
});

void describe('PEM', () => {
  void test('certSANs lists DNS names, IPs, emails then URIs as []string', () => {
    const sans = call('certSANs', cert);
    assert.ok(sans instanceof GoTyped && sans.type === '[]string');
    assert.deepEqual(sans.value, [
      'foo.example.com',
      '*.foo.example.com',
      '10.0.0.1',
      '2001:db8::1',
      'admin@example.com',
      'spiffe://example.com/ns/default/sa/foo',
    ]);
  });

  void test('IP addresses print as Go’s net.IP.String', () => {
    const ip = (hex: string): string => formatIp(Buffer.from(hex, 'hex'));
    assert.equal(ip('00000000000000000000ffff0a000001'), '10.0.0.1');
    assert.equal(ip('00000000000000000000000000000001'), '::1');
    assert.equal(ip('20010db8000000010000000000000000'), '2001:db8:0:1::');
    assert.equal(ip('20010db8000100000001000000000001'), '2001:db8:1:0:1::1');
  });

  void test('filterCertChain picks the leaf out of a shuffled bundle', () => {
    assert.equal(call('filterCertChain', 'leaf', fixture('chain-shuffled.pem')), cert);
  });
});

void describe('YAML', () => {
  void test('toYaml sorts keys, quotes ambiguous strings and trims the final newline', () => {
    const v = new Map<string, GoValue>([
      ['b', 'yes'],
      ['a', [1n, 2.5]],
      ['c', 'multi\nline'],
    ]);
    assert.equal(call('toYaml', v), 'a:\n- 1\n- 2.5\nb: "yes"\nc: |-\n  multi\n  line');
  });

  void test('fromYaml reads YAML 1.1 and JSON numbers; errors go under "Error"', () => {
    const m = call('fromYaml', 'a: 1000000\nb: on\n') as Map<string, GoValue>;
    assert.equal(m.get('a'), 1000000);
    assert.equal(m.get('b'), true);
    const bad = call('fromYaml', '- a') as Map<string, GoValue>;
    assert.match(bad.get('Error') as string, /cannot unmarshal array into Go value of type map/);
  });

  void test('keys sort like go-yaml: digit runs numerically', () => {
    assert.deepEqual(['a10', 'a2', 'b', 'a1'].sort(compareYamlKeys), ['a1', 'a2', 'a10', 'b']);
  });
});

void describe('rsaDecrypt', () => {
  void test('decrypts RSA-OAEP ciphertext given as a binary string', () => {
    const ct = readFileSync(new URL('./testdata/oaep-sha256.bin', import.meta.url)).toString(
      'latin1',
    );
    assert.equal(call('rsaDecrypt', 'RSA-OAEP', 'SHA256', ct, key), 'hello, ferry');
  });
});
