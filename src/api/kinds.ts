import { obj, str } from './schema.ts';
import type { Schema } from './schema.ts';
import {
  clusterExternalSecretSpec,
  clusterExternalSecretStatus,
} from './schemas/clusterexternalsecret.ts';
import { externalSecretSpec, externalSecretStatus } from './schemas/externalsecret.ts';
import {
  clusterPushSecretSpec,
  clusterPushSecretStatus,
  pushSecretSpec,
  pushSecretStatus,
} from './schemas/pushsecret.ts';
import { secretStoreSpec, secretStoreStatus } from './schemas/secretstore.ts';

export const GROUP = 'external-secrets.io';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'date' | 'integer' | 'boolean' | 'number';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** Everything Ferry knows about one kind: its names, versions and schema. */
export interface KindInfo {
  kind: string;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  scope: 'Namespaced' | 'Cluster';
  /** The served and stored version. */
  version: 'v1' | 'v1alpha1';
  /** Versions ESO once served and no longer serves; kept listed so upgrades from ESO keep working. */
  legacyVersions: readonly string[];
  description: string;
  spec: () => Schema;
  status: () => Schema;
  printerColumns: readonly PrinterColumn[];
  selectableFields?: readonly string[];
}

const readyReason = '.status.conditions[?(@.type=="Ready")].reason';
const readyStatus = '.status.conditions[?(@.type=="Ready")].status';
const age: PrinterColumn = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };

const storeColumns: readonly PrinterColumn[] = [
  age,
  { name: 'Status', type: 'string', jsonPath: readyReason },
  { name: 'Capabilities', type: 'string', jsonPath: '.status.capabilities' },
  { name: 'Ready', type: 'string', jsonPath: readyStatus },
];

/** The kinds of group external-secrets.io, in the order `ferry crds` prints them. */
export const KINDS: readonly KindInfo[] = [
  {
    kind: 'ExternalSecret',
    plural: 'externalsecrets',
    singular: 'externalsecret',
    shortNames: ['es'],
    scope: 'Namespaced',
    version: 'v1',
    legacyVersions: ['v1beta1'],
    description: 'Fetches values from a secret store and writes them into a Kubernetes Secret.',
    spec: externalSecretSpec,
    status: externalSecretStatus,
    printerColumns: [
      { name: 'StoreType', type: 'string', jsonPath: '.spec.secretStoreRef.kind' },
      { name: 'Store', type: 'string', jsonPath: '.spec.secretStoreRef.name' },
      { name: 'Refresh Interval', type: 'string', jsonPath: '.spec.refreshInterval' },
      { name: 'Status', type: 'string', jsonPath: readyReason },
      { name: 'Ready', type: 'string', jsonPath: readyStatus },
      { name: 'Last Sync', type: 'date', jsonPath: '.status.refreshTime' },
    ],
    selectableFields: [
      '.spec.secretStoreRef.name',
      '.spec.secretStoreRef.kind',
      '.spec.target.name',
      '.spec.refreshInterval',
    ],
  },
  {
    kind: 'SecretStore',
    plural: 'secretstores',
    singular: 'secretstore',
    shortNames: ['ss'],
    scope: 'Namespaced',
    version: 'v1',
    legacyVersions: ['v1beta1'],
    description: 'Connection settings for a secret backend, usable from its own namespace.',
    spec: () => secretStoreSpec(false),
    status: secretStoreStatus,
    printerColumns: storeColumns,
  },
  {
    kind: 'ClusterSecretStore',
    plural: 'clustersecretstores',
    singular: 'clustersecretstore',
    shortNames: ['css'],
    scope: 'Cluster',
    version: 'v1',
    legacyVersions: ['v1beta1'],
    description: 'Connection settings for a secret backend, usable from any allowed namespace.',
    spec: () => secretStoreSpec(true),
    status: secretStoreStatus,
    printerColumns: storeColumns,
  },
  {
    kind: 'ClusterExternalSecret',
    plural: 'clusterexternalsecrets',
    singular: 'clusterexternalsecret',
    shortNames: ['ces'],
    scope: 'Cluster',
    version: 'v1',
    legacyVersions: ['v1beta1'],
    description: 'Creates the same ExternalSecret in every selected namespace.',
    spec: clusterExternalSecretSpec,
    status: clusterExternalSecretStatus,
    printerColumns: [
      { name: 'Store', type: 'string', jsonPath: '.spec.externalSecretSpec.secretStoreRef.name' },
      { name: 'Refresh Interval', type: 'string', jsonPath: '.spec.refreshTime' },
      { name: 'Ready', type: 'string', jsonPath: readyStatus },
    ],
  },
  {
    kind: 'PushSecret',
    plural: 'pushsecrets',
    singular: 'pushsecret',
    shortNames: ['ps'],
    scope: 'Namespaced',
    version: 'v1alpha1',
    legacyVersions: [],
    description: 'Copies values of a Kubernetes Secret into one or more secret stores.',
    spec: pushSecretSpec,
    status: pushSecretStatus,
    printerColumns: [
      age,
      { name: 'Status', type: 'string', jsonPath: readyReason },
      { name: 'Last Sync', type: 'date', jsonPath: '.status.refreshTime' },
    ],
  },
  {
    kind: 'ClusterPushSecret',
    plural: 'clusterpushsecrets',
    singular: 'clusterpushsecret',
    shortNames: ['cps'],
    scope: 'Cluster',
    version: 'v1alpha1',
    legacyVersions: [],
    description: 'Creates the same PushSecret in every selected namespace.',
    spec: clusterPushSecretSpec,
    status: clusterPushSecretStatus,
    printerColumns: [age, { name: 'Status', type: 'string', jsonPath: readyReason }],
  },
];

/** Looks a kind up by apiVersion and kind; undefined for anything Ferry does not serve. */
export function findKind(apiVersion: unknown, kind: unknown): KindInfo | undefined {
  const info = KINDS.find((k) => k.kind === kind);
  if (!info) return undefined;
  return apiVersion === `${GROUP}/${info.version}` ? info : undefined;
}

/** The full object schema of one kind: apiVersion, kind, metadata, spec, status. */
export function objectSchema(info: KindInfo): Schema {
  return obj(
    {
      apiVersion: str({ description: 'Versioned schema of this object.' }),
      kind: str({ description: 'REST resource this object represents.' }),
      metadata: { type: 'object' },
      spec: info.spec(),
      status: info.status(),
    },
    { description: info.description },
  );
}
