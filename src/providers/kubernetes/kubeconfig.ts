/**
 * A kubeconfig read from a Secret (`spec.provider.kubernetes.authRef`). ESO hands it to
 * client-go as is; we accept only inline credentials, because whoever can write that Secret
 * would otherwise make the operator run a command (`exec`, `auth-provider`) or read its own
 * files (`token-file`, `client-certificate`, `certificate-authority` paths).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { StoreConfigError } from '../provider.ts';

const FORBIDDEN_USER_FIELDS = [
  'exec',
  'auth-provider',
  'token-file',
  'tokenFile',
  'client-certificate',
  'client-key',
];
const FORBIDDEN_CLUSTER_FIELDS = ['certificate-authority'];

function entries(doc: unknown, list: string, inner: string): Record<string, unknown>[] {
  const items = (doc as Record<string, unknown> | null)?.[list];
  if (!Array.isArray(items)) return [];
  return items.map((item) => {
    const value = (item as Record<string, unknown> | null)?.[inner];
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  });
}

function forbidden(doc: unknown): string | undefined {
  for (const user of entries(doc, 'users', 'user')) {
    const field = FORBIDDEN_USER_FIELDS.find((f) => user[f] !== undefined);
    if (field) return `users[].user.${field}`;
  }
  for (const cluster of entries(doc, 'clusters', 'cluster')) {
    const field = FORBIDDEN_CLUSTER_FIELDS.find((f) => cluster[f] !== undefined);
    if (field) return `clusters[].cluster.${field}`;
  }
  return undefined;
}

/** A KubeConfig from kubeconfig text; `where` names the Secret for messages (never the text). */
export function kubeConfigFromText(text: string, where: string): KubeConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    // The YAML library quotes the offending line, which may hold a token: keep only the position.
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    const at = line === undefined ? '' : ` (line ${String(line)})`;
    throw new StoreConfigError(`the kubeconfig in ${where} is not valid YAML${at}`);
  }
  const field = forbidden(doc);
  if (field !== undefined) {
    throw new StoreConfigError(
      `the kubeconfig in ${where} uses ${field}: only inline credentials (token, client-certificate-data, certificate-authority-data) are allowed`,
    );
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch {
    throw new StoreConfigError(`the kubeconfig in ${where} is not a valid kubeconfig`);
  }
  if (kc.getCurrentCluster() === null || kc.getCurrentUser() === null) {
    throw new StoreConfigError(
      `the kubeconfig in ${where} has no current-context with a cluster and a user`,
    );
  }
  return kc;
}
