import { runProviderContract } from '../../src/providers/conformance.ts';
import { createVaultProvider } from '../../src/providers/vault/provider.ts';
import { TokenCache } from '../../src/providers/vault/token-cache.ts';
import { bao, context, enableKv, env, memoryKube, unique, vaultStore } from './vault-support.ts';

for (const version of ['v2', 'v1'] as const) {
  runProviderContract(`vault KV ${version} (OpenBao)`, {
    async setup() {
      const mount = unique(`contract-${version}`);
      await enableKv(mount, version === 'v2' ? 2 : 1);
      const kube = memoryKube({ 'apps/vault-token': { token: env.vaultToken } });
      return {
        provider: createVaultProvider({
          tokens: new TokenCache({ clock: { now: () => Date.now() } }),
        }),
        store: vaultStore({
          server: env.vaultAddr,
          path: mount,
          version,
          auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } },
        }),
        context: context(kube),
        async seed(key, value) {
          await bao(
            'POST',
            version === 'v2' ? `${mount}/data/${key}` : `${mount}/${key}`,
            version === 'v2' ? `{"data":${value}}` : value,
          );
        },
        async cleanup() {
          await bao('DELETE', `sys/mounts/${mount}`);
        },
      };
    },
  });
}
