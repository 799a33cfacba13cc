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
  ClusterExternalSecret: {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterExternalSecret',
    plural: 'clusterexternalsecrets',
    namespaced: false,
  },
  PushSecret: {
    apiVersion: 'external-secrets.io/v1alpha1',
    kind: 'PushSecret',
    plural: 'pushsecrets',
    namespaced: true,
  },
  ClusterPushSecret: {
    apiVersion: 'external-secrets.io/v1alpha1',
    kind: 'ClusterPushSecret',
    plural: 'clusterpushsecrets',
    namespaced: false,
  },
} as const satisfies Record<string, ResourceType>;
