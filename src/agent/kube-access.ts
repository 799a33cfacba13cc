/** ProviderKubeAccess for agent mode: Secrets and ConfigMaps come from the loaded manifests. */
import { FerryError } from '../errors.ts';
import type { ProviderKubeAccess } from '../providers/provider.ts';
import { objectKey, type ManifestSet } from './manifests.ts';

export class AgentKubeAccessError extends FerryError {}

export function manifestKubeAccess(set: ManifestSet): ProviderKubeAccess {
  return {
    readSecretKey({ namespace, name, key }) {
      const value = set.secrets.get(objectKey(namespace, name))?.get(key);
      if (value === undefined) {
        return Promise.reject(
          new AgentKubeAccessError(
            `agent: Secret ${namespace}/${name} with key "${key}" is not in the manifests given to ferry agent`,
          ),
        );
      }
      return Promise.resolve(value);
    },
    readConfigMapKey({ namespace, name, key }) {
      const value = set.configMaps.get(objectKey(namespace, name))?.[key];
      if (value === undefined) {
        return Promise.reject(
          new AgentKubeAccessError(
            `agent: ConfigMap ${namespace}/${name} with key "${key}" is not in the manifests given to ferry agent`,
          ),
        );
      }
      return Promise.resolve(new TextEncoder().encode(value));
    },
    createServiceAccountToken({ namespace, name }) {
      return Promise.reject(
        new AgentKubeAccessError(
          `agent: cannot request a token for ServiceAccount ${namespace}/${name} without a cluster; use token, appRole or a mounted JWT file`,
        ),
      );
    },
  };
}
