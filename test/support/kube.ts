/**
 * Helpers for integration tests against the real API server: a client for the running test
 * environment, unique namespaces, and polling with a deadline (never a bare sleep).
 */
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { newKubeClient, type KubeClient } from '../../src/kube/client.ts';
import { Resources } from '../../src/kube/types.ts';
import { loadTestEnv } from '../env/testenv.ts';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function testKubeConfig(kubeconfigPath = loadTestEnv().kubeconfig): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

export function testKubeClient(kubeconfigPath?: string): KubeClient {
  return newKubeClient(testKubeConfig(kubeconfigPath));
}

/** Creates a fresh namespace and returns its name. */
export async function createNamespace(client: KubeClient, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await client.create(Resources.Namespace, { metadata: { name } });
  return name;
}

/** Deletes a namespace, ignoring errors (the controller-manager finishes the job). */
export async function deleteNamespace(client: KubeClient, name: string): Promise<void> {
  await client.delete(Resources.Namespace, { name }).catch(() => undefined);
}

/** Polls `probe` until it returns something other than `undefined`, or fails after the deadline. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
