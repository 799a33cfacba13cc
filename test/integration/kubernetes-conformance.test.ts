import { runProviderContract } from '../../src/providers/conformance.ts';
import { createKubernetesProvider } from '../../src/providers/kubernetes/provider.ts';
import { parseJson } from '../../src/secretdata/gojson.ts';
import { putSecret, remoteFixture, tokenStore, untilReadable } from './kubernetes-support.ts';

runProviderContract('kubernetes (real API server, ServiceAccount token)', {
  pushProperty: 'cfg',
  async setup() {
    const fx = await remoteFixture(['get', 'list', 'create', 'update', 'delete']);
    const provider = createKubernetesProvider();
    const store = tokenStore(fx);
    await untilReadable(async () => (await provider.newClient(store, fx.context)).validate());
    return {
      provider,
      store,
      context: fx.context,
      // A seeded value is a JSON object: its members become the Secret's keys.
      async seed(key, value) {
        const members = parseJson(value) as Record<string, string>;
        await putSecret(fx.remote, key, { data: members });
      },
      cleanup: () => fx.cleanup(),
    };
  },
});
