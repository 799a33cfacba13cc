/** REST collections of the ESO kinds the controllers read and write. */
import type { ResourceType } from '../kube/types.ts';

export const EsoResources = {
  ExternalSecret: {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    plural: 'externalsecrets',
    namespaced: true,
  },
  SecretStore: {
    apiVersion: 'external-secrets.io/v1',
    kind: 'SecretStore',
    plural: 'secretstores',
    namespaced: true,
  },
  ClusterSecretStore: {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    plural: 'clustersecretstores',
    namespaced: false,
  },
} as const satisfies Record<string, ResourceType>;
