/**
 * ESO's `kubernetes` provider: Secrets of another namespace or another cluster, read and written
 * as the identity the store names (token, ServiceAccount, client certificate or a kubeconfig).
 * Each client talks through the project's KubeClient with its own KubeConfig.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { AnySecretStore } from '../../api/types.ts';
import { newKubeClient, type KubeClient } from '../../kube/client.ts';
import { errorMessage } from '../../errors.ts';
import {
  ProviderError,
  StoreConfigError,
  type Capabilities,
  type Provider,
  type ProviderContext,
  type SecretsClient,
} from '../provider.ts';
import { KubernetesSecretsClient } from './client.ts';
import { remoteConnection, type RemoteConnection } from './connection.ts';
import { ForgetTokenOnUnauthorized, ServiceAccountTokenCache } from './service-account-tokens.ts';
import { isReferentAuth, kubernetesSpecOf, remoteNamespaceOf } from './spec.ts';
import { validateKubernetesStore } from './validate-store.ts';

export interface KubernetesProviderOptions {
  /** Per-request timeout against the remote API server. Default 30 s. */
  timeoutMs?: number;
  /** Builds the client for a KubeConfig; tests substitute an in-memory one. */
  connect?: (kc: KubeConfig) => KubeClient;
  /**
   * Shares `auth.serviceAccount` tokens across reconciles (one TokenRequest per ServiceAccount
   * and half token lifetime). Without it each reconcile mints a token, as ESO does.
   */
  serviceAccountTokens?: ServiceAccountTokenCache;
}

export function createKubernetesProvider(options: KubernetesProviderOptions = {}): Provider {
  const connect =
    options.connect ??
    ((kc: KubeConfig) =>
      // One client per reconcile: no keep-alive socket may outlive it.
      newKubeClient(kc, {
        keepAlive: false,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      }));
  return {
    key: 'kubernetes',
    capabilities(): Capabilities {
      return 'ReadWrite';
    },
    validateStore(store: AnySecretStore): string[] {
      return validateKubernetesStore(store);
    },
    async newClient(store: AnySecretStore, context: ProviderContext): Promise<SecretsClient> {
      const spec = kubernetesSpecOf(store);
      const referent = store.kind === 'ClusterSecretStore' && isReferentAuth(spec.auth);
      const common = { store, remoteNamespace: remoteNamespaceOf(spec), logger: context.logger };
      // The store controller validates a ClusterSecretStore with no namespace: referent
      // credentials cannot be resolved yet (ESO lets this pass and reports Unknown).
      if (referent && context.namespace === '')
        return new KubernetesSecretsClient({ ...common, remote: undefined, referent });
      const tokens = options.serviceAccountTokens;
      let connection: RemoteConnection;
      try {
        connection = await remoteConnection({
          store,
          spec,
          context,
          ...(tokens ? { tokens } : {}),
        });
      } catch (e) {
        const message = `failed to prepare auth: ${errorMessage(e)}`;
        if (e instanceof StoreConfigError) throw new StoreConfigError(message, { cause: e });
        throw new ProviderError(message, { retryable: true }, { cause: e });
      }
      const { kubeConfig, serviceAccountToken } = connection;
      const remote =
        tokens && serviceAccountToken
          ? new ForgetTokenOnUnauthorized(connect(kubeConfig), tokens, serviceAccountToken)
          : connect(kubeConfig);
      return new KubernetesSecretsClient({ ...common, remote, referent });
    },
  };
}
