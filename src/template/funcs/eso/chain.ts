/** Orders PEM certificates leaf → intermediates → root by key identifiers (ESO's pem_chain.go). */
import { pemDecode, pemEncode } from './pem.ts';
import { parseCertificate, sameBytes, type Cert } from './x509.ts';

export class ChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainError';
  }
}

interface Node {
  readonly cert: Cert;
  parent: Node | null;
  isParent: boolean;
}

/** Every PEM block of a binary string parsed as a certificate, whatever its type. */
function pemToNodes(data: string): Node[] {
  const nodes: Node[] = [];
  for (let rest = data; ;) {
    const { block, rest: next } = pemDecode(rest);
    if (!block) return nodes;
    rest = next;
    nodes.push({ cert: parseCertificate(block.bytes), parent: null, isParent: false });
  }
}

function link(nodes: Node[]): void {
  nodes.forEach((child, i) => {
    const parent = nodes.find(
      (n, j) => j !== i && sameBytes(child.cert.authorityKeyId, n.cert.subjectKeyId),
    );
    if (parent) {
      parent.isParent = true;
      child.parent = parent;
    }
  });
}

/** The certificates in chain order; not a trust check (no signatures, dates or usages). */
export function orderChain(data: string): Cert[] {
  const nodes = pemToNodes(data);
  link(nodes);
  const leaves = nodes.filter((n) => !n.isParent);
  if (leaves.length > 1) throw new ChainError('found multiple leaf or disjunct certificates');
  let node = leaves[0] ?? null;
  if (node === null) throw new ChainError('no leaf certificate found');
  const chain: Cert[] = [];
  for (; node !== null; node = node.parent) {
    if (chain.length >= nodes.length) throw new ChainError('constructing chain resulted in cycle');
    chain.push(node.cert);
  }
  return chain;
}

export function certsToPem(certs: readonly Cert[]): string {
  return certs
    .map((c) => pemEncode({ type: 'CERTIFICATE', headers: new Map(), bytes: c.raw }))
    .join('');
}

export function isRootCertificate(c: Cert): boolean {
  return c.authorityKeyId === null || sameBytes(c.authorityKeyId, c.subjectKeyId);
}
