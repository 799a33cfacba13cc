/** filterPEM, filterCertChain and certSANs (ESO's pem.go). */
import { certsToPem, isRootCertificate, orderChain } from './chain.ts';
import { fromBinary, pemDecode, pemDecodeString, pemEncode } from './pem.ts';
import { parseCertificate, sameBytes } from './x509.ts';

export class PemFuncError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PemFuncError';
  }
}

/** Drops everything before the first "-----BEGIN", as pem.Decode did before Go issue 76124. */
export function trimJunk(input: string): string {
  const i = input.indexOf('-----BEGIN');
  return i < 0 ? input : input.slice(i);
}

function binary(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Keeps the PEM blocks of a type (case-insensitive), re-encoded; junk between blocks ends it. */
export function filterPEM(pemType: string, input: string): string {
  let data = binary(trimJunk(input));
  let out = '';
  const wanted = binary(pemType).toLowerCase();
  for (;;) {
    const { block, rest } = pemDecode(data);
    data = rest;
    if (!block) break;
    if (block.type.toLowerCase() === wanted) out += pemEncode(block);
  }
  if (out === '' && data.length !== 0) throw new PemFuncError('error filtering pem: found junk');
  return fromBinary(out);
}

/** One part of a certificate chain: "leaf", "intermediate" or "root"; "" when absent. */
export function filterCertChain(certType: string, input: string): string {
  const ordered = orderChain(binary(input));
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  switch (certType) {
    case 'leaf':
      if (first?.authorityKeyId && !sameBytes(first.authorityKeyId, first.subjectKeyId)) {
        return certsToPem([first]);
      }
      return '';
    case 'intermediate': {
      const rest = ordered.slice(1);
      const end = rest.findIndex(isRootCertificate);
      return certsToPem(end < 0 ? rest : rest.slice(0, end));
    }
    case 'root':
      return last && isRootCertificate(last) ? certsToPem([last]) : '';
    default:
      return '';
  }
}

/** Subject alternative names of the first PEM certificate: DNS, IPs, emails, then URIs. */
export function certSANs(input: string): string[] {
  const { block } = pemDecodeString(trimJunk(input));
  if (!block) throw new PemFuncError('failed to decode PEM block');
  let cert;
  try {
    cert = parseCertificate(block.bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new PemFuncError(`failed to parse certificate: ${msg}`, { cause: err });
  }
  return [...cert.dnsNames, ...cert.ipAddresses, ...cert.emailAddresses, ...cert.uris];
}
