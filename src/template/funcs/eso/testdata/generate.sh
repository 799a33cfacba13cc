#!/usr/bin/env bash
# Regenerates the certificates, keys and PKCS#12 files the ESO template function tests use.
# Needs openssl 3. Keys are test-only; nothing here protects anything.
set -euo pipefail
cd "$(dirname "$0")"
DAYS=36500
SUBJ_ROOT="/CN=Ferry Test Root CA"
SUBJ_INT="/CN=Ferry Test Intermediate CA"

ca_ext() {
  printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n'
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root-ca.key
openssl req -x509 -new -key root-ca.key -subj "$SUBJ_ROOT" -days "$DAYS" -out root-ca.crt \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out intermediate-ca.key
openssl req -new -key intermediate-ca.key -subj "$SUBJ_INT" -out intermediate-ca.csr
openssl x509 -req -in intermediate-ca.csr -CA root-ca.crt -CAkey root-ca.key -CAcreateserial \
  -days "$DAYS" -extfile <(ca_ext) -out intermediate-ca.crt

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out foo.key
openssl req -new -key foo.key -subj "/CN=foo.example.com" -out foo.csr
printf '%s\n' 'subjectAltName=DNS:foo.example.com,DNS:*.foo.example.com,IP:10.0.0.1,IP:2001:db8::1,email:admin@example.com,URI:spiffe://example.com/ns/default/sa/foo' \
  'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid:always' 'basicConstraints=CA:FALSE' > leaf.ext
openssl x509 -req -in foo.csr -CA intermediate-ca.crt -CAkey intermediate-ca.key -CAcreateserial \
  -days "$DAYS" -extfile leaf.ext -out foo.crt

# PEM bundles: in chain order, and shuffled (root first) for the ordering functions.
cat foo.crt intermediate-ca.crt root-ca.crt > chain.pem
cat root-ca.crt foo.crt intermediate-ca.crt > chain-shuffled.pem
cat intermediate-ca.crt root-ca.crt > intermediate-chain.pem

# A second, unrelated self-signed certificate makes a disjunct bundle.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key
openssl req -x509 -new -key other.key -subj "/CN=Other Root" -days "$DAYS" -out other.crt
cat foo.crt intermediate-ca.crt root-ca.crt other.crt > disjunct-chain.pem

# PKCS#12: modern (AES-256-CBC, PBKDF2, SHA-256 MAC), with and without a password; legacy
# (RC2-40 certificates, 3DES key, SHA-1 MAC); and an EC key.
openssl pkcs12 -export -inkey foo.key -in foo.crt -certfile intermediate-chain.pem -passout pass: -out foo-nopass.p12
openssl pkcs12 -export -inkey foo.key -in foo.crt -certfile intermediate-chain.pem -passout pass:1234 -out foo-withpass-1234.p12
openssl pkcs12 -export -legacy -inkey foo.key -in foo.crt -passout pass:1234 -out foo-legacy-1234.p12
openssl pkcs12 -export -inkey intermediate-ca.key -in intermediate-ca.crt -passout pass: -out intermediate-ec-nopass.p12

# RSA-OAEP ciphertexts of "hello, ferry" for rsaDecrypt.
printf 'hello, ferry' > plaintext.txt
openssl pkeyutl -encrypt -pubin -inkey <(openssl pkey -in foo.key -pubout) -in plaintext.txt \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 -out oaep-sha256.bin
openssl pkeyutl -encrypt -pubin -inkey <(openssl pkey -in foo.key -pubout) -in plaintext.txt \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1 -out oaep-sha1.bin
openssl pkeyutl -encrypt -pubin -inkey <(openssl pkey -in foo.key -pubout) -in plaintext.txt \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha512 -pkeyopt rsa_mgf1_md:sha512 -out oaep-sha512.bin
openssl rsa -in foo.key -traditional -out foo-pkcs1.key 2>/dev/null

# A bundle whose chain cannot be ordered, and an Ed25519 self-signed certificate and key.
openssl pkcs12 -export -inkey foo.key -in foo.crt -certfile disjunct-chain.pem -passout pass: -out foo-disjunct-nopass.p12
openssl genpkey -algorithm ED25519 -out ed25519.key
openssl req -x509 -new -key ed25519.key -subj "/CN=Ferry Ed25519/O=Ferry, Inc./C=DE" -days "$DAYS" -out ed25519.crt
openssl pkcs12 -export -inkey ed25519.key -in ed25519.crt -passout pass: -out ed25519-nopass.p12

rm -f ./*.csr ./*.srl leaf.ext plaintext.txt
