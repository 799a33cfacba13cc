/**
 * TypeScript shapes of ESO's external-secrets.io resources (field names as in ESO's Go types).
 * Optional everywhere the API allows omission; after `applySchemaDefaults` the defaulted fields are set.
 */

export const CreationPolicy = {
  Owner: 'Owner',
  Orphan: 'Orphan',
  Merge: 'Merge',
  None: 'None',
  CreateOrMerge: 'CreateOrMerge',
} as const;
export type CreationPolicy = (typeof CreationPolicy)[keyof typeof CreationPolicy];

export const DeletionPolicy = { Delete: 'Delete', Merge: 'Merge', Retain: 'Retain' } as const;
export type DeletionPolicy = (typeof DeletionPolicy)[keyof typeof DeletionPolicy];

export const RefreshPolicy = {
  CreatedOnce: 'CreatedOnce',
  Periodic: 'Periodic',
  OnChange: 'OnChange',
} as const;
export type RefreshPolicy = (typeof RefreshPolicy)[keyof typeof RefreshPolicy];

export type ConversionStrategy = 'Default' | 'Unicode';
export type DecodingStrategy = 'Auto' | 'Base64' | 'Base64URL' | 'None';
export type MetadataPolicy = 'None' | 'Fetch';
export type NullBytePolicy = 'Ignore' | 'Fail';
export type MergePolicy = 'Replace' | 'Merge';
export type TemplateScope = 'Values' | 'KeysAndValues';
export type StoreKind = 'SecretStore' | 'ClusterSecretStore';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: {
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface SecretKeySelector {
  name?: string;
  namespace?: string;
  key?: string;
}

export interface ServiceAccountSelector {
  name: string;
  namespace?: string;
  audiences?: string[];
}

export interface CAProvider {
  type: 'Secret' | 'ConfigMap';
  name: string;
  key?: string;
  namespace?: string;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

// ---------------------------------------------------------------------------------------------
// ExternalSecret v1

export interface SecretStoreRef {
  name?: string;
  kind?: StoreKind;
}

export interface GeneratorRef {
  apiVersion?: string;
  kind: string;
  name: string;
}

export interface RemoteRef {
  key: string;
  property?: string;
  version?: string;
  metadataPolicy?: MetadataPolicy;
  conversionStrategy?: ConversionStrategy;
  decodingStrategy?: DecodingStrategy;
  nullBytePolicy?: NullBytePolicy;
}

export interface TemplateRef {
  name: string;
  items: { key: string; templateAs?: TemplateScope }[];
}

export interface TemplateFrom {
  configMap?: TemplateRef;
  secret?: TemplateRef;
  target?: string;
  literal?: string;
  valuesDecodingStrategy?: DecodingStrategy;
}

export interface SecretTemplate {
  type?: string;
  engineVersion?: 'v2';
  metadata?: {
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    finalizers?: string[];
  };
  mergePolicy?: MergePolicy;
  data?: Record<string, string>;
  templateFrom?: TemplateFrom[];
}

export interface ExternalSecretTarget {
  name?: string;
  creationPolicy?: CreationPolicy;
  deletionPolicy?: DeletionPolicy;
  template?: SecretTemplate;
  manifest?: { apiVersion: string; kind: string };
  immutable?: boolean;
}

export interface ExternalSecretData {
  secretKey: string;
  remoteRef: RemoteRef;
  sourceRef?: { storeRef?: SecretStoreRef; generatorRef?: GeneratorRef };
}

export interface FindSpec {
  path?: string;
  name?: { regexp?: string };
  tags?: Record<string, string>;
  conversionStrategy?: ConversionStrategy;
  decodingStrategy?: DecodingStrategy;
  nullBytePolicy?: NullBytePolicy;
}

export interface Rewrite {
  merge?: {
    into?: string;
    priority?: string[];
    priorityPolicy?: 'IgnoreNotFound' | 'Strict';
    conflictPolicy?: 'Ignore' | 'Error';
    strategy?: 'Extract' | 'JSON';
  };
  regexp?: { source: string; target: string };
  transform?: { template: string };
}

export interface ExternalSecretDataFrom {
  extract?: RemoteRef;
  find?: FindSpec;
  rewrite?: Rewrite[];
  sourceRef?: { storeRef?: SecretStoreRef; generatorRef?: GeneratorRef };
}

export interface SyncWindows {
  kind: 'allow' | 'deny';
  windows: { schedule: string; duration: string }[];
}

export interface ExternalSecretSpec {
  secretStoreRef?: SecretStoreRef;
  target?: ExternalSecretTarget;
  refreshPolicy?: RefreshPolicy;
  refreshInterval?: string;
  syncWindows?: SyncWindows;
  data?: ExternalSecretData[];
  dataFrom?: ExternalSecretDataFrom[];
}

export interface ExternalSecretStatus {
  refreshTime?: string | null;
  syncedResourceVersion?: string;
  conditions?: Condition[];
  binding?: { name?: string };
}

export interface ExternalSecret {
  apiVersion: 'external-secrets.io/v1';
  kind: 'ExternalSecret';
  metadata: ObjectMeta;
  spec: ExternalSecretSpec;
  status?: ExternalSecretStatus;
}

// ---------------------------------------------------------------------------------------------
// SecretStore / ClusterSecretStore v1

export interface VaultAwsSecretRef {
  accessKeyIDSecretRef?: SecretKeySelector;
  secretAccessKeySecretRef?: SecretKeySelector;
  sessionTokenSecretRef?: SecretKeySelector;
}

export interface GCPWorkloadIdentity {
  serviceAccountRef: ServiceAccountSelector;
  clusterLocation?: string;
  clusterName?: string;
  clusterProjectID?: string;
}

export interface VaultAuth {
  namespace?: string;
  tokenSecretRef?: SecretKeySelector;
  appRole?: {
    path: string;
    roleId?: string;
    roleRef?: SecretKeySelector;
    secretRef: SecretKeySelector;
  };
  kubernetes?: {
    mountPath: string;
    role: string;
    serviceAccountRef?: ServiceAccountSelector;
    secretRef?: SecretKeySelector;
  };
  ldap?: { path: string; username: string; secretRef?: SecretKeySelector };
  userPass?: { path: string; username: string; secretRef?: SecretKeySelector };
  jwt?: {
    path: string;
    role?: string;
    secretRef?: SecretKeySelector;
    kubernetesServiceAccountToken?: {
      serviceAccountRef: ServiceAccountSelector;
      audiences?: string[];
      expirationSeconds?: number;
    };
  };
  cert?: {
    path?: string;
    vaultRole?: string;
    clientCert?: SecretKeySelector;
    secretRef?: SecretKeySelector;
  };
  iam?: {
    path?: string;
    region?: string;
    role?: string;
    vaultRole: string;
    externalID?: string;
    vaultAwsIamServerID?: string;
    secretRef?: VaultAwsSecretRef;
    jwt?: { serviceAccountRef?: ServiceAccountSelector };
  };
  gcp?: {
    path?: string;
    role: string;
    projectID?: string;
    location?: string;
    secretRef?: { secretAccessKeySecretRef?: SecretKeySelector };
    workloadIdentity?: GCPWorkloadIdentity;
    serviceAccountRef?: ServiceAccountSelector;
  };
}

/** The order ESO tries Vault auth methods in (eso.md §4.1, `auth.go setAuth`). */
export const VAULT_AUTH_METHODS = [
  'tokenSecretRef',
  'appRole',
  'kubernetes',
  'ldap',
  'userPass',
  'jwt',
  'cert',
  'iam',
  'gcp',
] as const;

export interface VaultProvider {
  server: string;
  path?: string;
  version?: 'v1' | 'v2';
  namespace?: string;
  caBundle?: string;
  caProvider?: CAProvider;
  tls?: { certSecretRef?: SecretKeySelector; keySecretRef?: SecretKeySelector };
  readYourWrites?: boolean;
  forwardInconsistent?: boolean;
  headers?: Record<string, string>;
  checkAndSet?: { required?: boolean };
  auth?: VaultAuth;
}

export interface OpenBaoProvider {
  server: string;
  path?: string;
  version?: 'v1' | 'v2';
  namespace?: string;
  caBundle?: string;
  caProvider?: CAProvider;
  auth?: {
    namespace?: string;
    tokenSecretRef?: SecretKeySelector;
    appRole?: {
      path: string;
      roleId?: string;
      roleRef?: SecretKeySelector;
      secretRef: SecretKeySelector;
    };
    userPass?: { path: string; username: string; secretRef?: SecretKeySelector };
  };
}

export interface FakeProvider {
  data: { key: string; value: string; version?: string }[];
  validationResult?: number;
}

export interface KubernetesProvider {
  server?: { url?: string; caBundle?: string; caProvider?: CAProvider };
  auth?: {
    cert?: { clientCert: SecretKeySelector; clientKey: SecretKeySelector };
    token?: { bearerToken: SecretKeySelector };
    serviceAccount?: ServiceAccountSelector;
  };
  authRef?: SecretKeySelector;
  remoteNamespace?: string;
}

/** Exactly one key is set. Untyped providers are kept as free-form objects. */
export interface SecretStoreProvider {
  vault?: VaultProvider;
  openBao?: OpenBaoProvider;
  fake?: FakeProvider;
  kubernetes?: KubernetesProvider;
  [provider: string]: object | undefined;
}

export interface ClusterSecretStoreCondition {
  namespaceSelector?: LabelSelector;
  namespaces?: string[];
  namespaceRegexes?: string[];
}

export interface SecretStoreSpec {
  controller?: string;
  provider: SecretStoreProvider;
  retrySettings?: { maxRetries?: number; retryInterval?: string };
  /** Integer seconds (legacy) or a Go duration string. */
  refreshInterval?: number | string;
  conditions?: ClusterSecretStoreCondition[];
}

export interface SecretStoreStatus {
  conditions?: Condition[];
  capabilities?: 'ReadOnly' | 'WriteOnly' | 'ReadWrite';
}

export interface SecretStore {
  apiVersion: 'external-secrets.io/v1';
  kind: 'SecretStore';
  metadata: ObjectMeta;
  spec: SecretStoreSpec;
  status?: SecretStoreStatus;
}

export interface ClusterSecretStore {
  apiVersion: 'external-secrets.io/v1';
  kind: 'ClusterSecretStore';
  metadata: ObjectMeta;
  spec: SecretStoreSpec;
  status?: SecretStoreStatus;
}

export type AnySecretStore = SecretStore | ClusterSecretStore;

// ---------------------------------------------------------------------------------------------
// ClusterExternalSecret v1

export interface ClusterExternalSecretSpec {
  externalSecretSpec: ExternalSecretSpec;
  externalSecretName?: string;
  externalSecretMetadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  /** Deprecated: use namespaceSelectors. */
  namespaceSelector?: LabelSelector;
  namespaceSelectors?: LabelSelector[];
  /** Deprecated: use namespaceSelectors. */
  namespaces?: string[];
  refreshTime?: string;
}

export interface NamespaceFailure {
  namespace: string;
  reason?: string;
}

export interface ClusterExternalSecret {
  apiVersion: 'external-secrets.io/v1';
  kind: 'ClusterExternalSecret';
  metadata: ObjectMeta;
  spec: ClusterExternalSecretSpec;
  status?: {
    externalSecretName?: string;
    failedNamespaces?: NamespaceFailure[];
    provisionedNamespaces?: string[];
    conditions?: { type: string; status: 'True' | 'False' | 'Unknown'; message?: string }[];
  };
}

// ---------------------------------------------------------------------------------------------
// PushSecret / ClusterPushSecret v1alpha1

export interface PushSecretStoreRef {
  name?: string;
  labelSelector?: LabelSelector;
  kind?: StoreKind;
}

export type PushConversionStrategy = 'None' | 'ReverseUnicode';

export interface PushSecretData {
  match: { secretKey?: string; remoteRef: { remoteKey: string; property?: string } };
  metadata?: unknown;
  conversionStrategy?: PushConversionStrategy;
}

export interface PushSecretDataTo {
  storeRef?: PushSecretStoreRef;
  remoteKey?: string;
  match?: { regexp?: string };
  rewrite?: { regexp?: { source: string; target: string }; transform?: { template: string } }[];
  metadata?: unknown;
  conversionStrategy?: PushConversionStrategy;
}

export interface PushSecretSpec {
  refreshInterval?: string;
  secretStoreRefs: PushSecretStoreRef[];
  updatePolicy?: 'Replace' | 'IfNotExists';
  deletionPolicy?: 'Delete' | 'None';
  selector: { secret?: { name?: string; selector?: LabelSelector }; generatorRef?: GeneratorRef };
  data?: PushSecretData[];
  dataTo?: PushSecretDataTo[];
  template?: SecretTemplate;
}

export interface PushSecretStatus {
  refreshTime?: string | null;
  syncedResourceVersion?: string;
  syncedPushSecrets?: Record<string, Record<string, PushSecretData>>;
  conditions?: Condition[];
}

export interface PushSecret {
  apiVersion: 'external-secrets.io/v1alpha1';
  kind: 'PushSecret';
  metadata: ObjectMeta;
  spec: PushSecretSpec;
  status?: PushSecretStatus;
}

export interface ClusterPushSecret {
  apiVersion: 'external-secrets.io/v1alpha1';
  kind: 'ClusterPushSecret';
  metadata: ObjectMeta;
  spec: {
    pushSecretSpec: PushSecretSpec;
    refreshTime?: string;
    pushSecretName?: string;
    pushSecretMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    namespaceSelectors?: LabelSelector[];
  };
  status?: {
    failedNamespaces?: NamespaceFailure[];
    provisionedNamespaces?: string[];
    pushSecretName?: string;
    conditions?: Condition[];
  };
}

export type EsoResource =
  | ExternalSecret
  | SecretStore
  | ClusterSecretStore
  | ClusterExternalSecret
  | PushSecret
  | ClusterPushSecret;
