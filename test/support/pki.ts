/**
 * A throwaway PKI for TLS tests (node-forge): a CA, and certificates it signs for a server
 * (127.0.0.1/localhost) or a client (CN = user, O = groups), all PEM.
 */
import forge from 'node-forge';

export interface KeyPairPem {
  cert: string;
  key: string;
}

export interface TestCa extends KeyPairPem {
  /** A leaf certificate signed by this CA. */
  issue(options: { commonName: string; organizations?: string[]; server?: boolean }): KeyPairPem;
}

let serial = 1;

function certificate(
  publicKey: forge.pki.PublicKey,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}

/** A new self-signed CA (RSA 2048, valid for a day). */
export function createTestCa(name = 'ferry-test-ca'): TestCa {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const subject = [{ name: 'commonName', value: name }];
  const ca = certificate(keys.publicKey, subject, subject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true },
  ]);
  ca.sign(keys.privateKey, forge.md.sha256.create());
  return loadTestCa(forge.pki.certificateToPem(ca), forge.pki.privateKeyToPem(keys.privateKey));
}

/** A CA from its PEM certificate and key (e.g. the test API server's client CA). */
export function loadTestCa(certPem: string, keyPem: string): TestCa {
  const subject = forge.pki.certificateFromPem(certPem).subject.attributes;
  const caKey = forge.pki.privateKeyFromPem(keyPem);
  return {
    cert: certPem,
    key: keyPem,
    issue({ commonName, organizations = [], server = false }) {
      const leafKeys = forge.pki.rsa.generateKeyPair(2048);
      const leafSubject = [
        { name: 'commonName', value: commonName },
        ...organizations.map((o) => ({ name: 'organizationName', value: o })),
      ];
      const leaf = certificate(leafKeys.publicKey, leafSubject, subject);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: server, clientAuth: !server },
        ...(server
          ? [
              {
                name: 'subjectAltName',
                altNames: [
                  { type: 7, ip: '127.0.0.1' },
                  { type: 2, value: 'localhost' },
                ],
              },
            ]
          : []),
      ]);
      leaf.sign(caKey, forge.md.sha256.create());
      return {
        cert: forge.pki.certificateToPem(leaf),
        key: forge.pki.privateKeyToPem(leafKeys.privateKey),
      };
    },
  };
}
