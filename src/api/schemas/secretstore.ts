import {
  arr,
  atMostOneOf,
  bool,
  bytes,
  exactlyOneOf,
  freeform,
  int32,
  int64,
  intOrString,
  obj,
  oneOf,
  str,
} from '../schema.ts';
import type { Schema } from '../schema.ts';
import {
  caProvider,
  labelSelector,
  namespaceName,
  secretKeySelector,
  serviceAccountSelector,
  statusCondition,
  stringMap,
  DNS_LABEL,
} from './common.ts';

/**
 * Every provider key ESO's v1 SecretStoreProvider knows (eso.md §5.1). Those with a typed schema
 * below are checked field by field; the rest are kept verbatim so any ESO manifest still applies.
 */
export const PROVIDER_KEYS = [
  'aws',
  'azurekv',
  'akeyless',
  'bitwardensecretsmanager',
  'vault',
  'ovh',
  'gcpsm',
  'oracle',
  'ibm',
  'yandexcertificatemanager',
  'yandexlockbox',
  'github',
  'gitlab',
  'onepassword',
  'onepasswordSDK',
  'webhook',
  'kubernetes',
  'crd',
  'fake',
  'senhasegura',
  'scaleway',
  'doppler',
  'previder',
  'onboardbase',
  'keepersecurity',
  'conjur',
  'delinea',
  'secretserver',
  'chef',
  'pulumi',
  'fortanix',
  'passworddepot',
  'passbolt',
  'dvls',
  'infisical',
  'beyondtrust',
  'beyondtrustworkloadcredentials',
  'cloudrusm',
  'volcengine',
  'ngrok',
  'barbican',
  'nebiusmysterybox',
  'openBao',
] as const;

export type ProviderKey = (typeof PROVIDER_KEYS)[number];

function mountPath(def: string, description: string): Schema {
  return str({ default: def, description });
}

function vaultAwsSecretRef(): Schema {
  return obj(
    {
      accessKeyIDSecretRef: secretKeySelector('AWS access key id.'),
      secretAccessKeySecretRef: secretKeySelector('AWS secret access key.'),
      sessionTokenSecretRef: secretKeySelector('AWS session token, for temporary credentials.'),
    },
    { description: 'Static AWS credentials stored in Secrets.' },
  );
}

function vaultAwsJwt(): Schema {
  return obj(
    {
      serviceAccountRef: serviceAccountSelector(
        'ServiceAccount annotated with an IAM role (IRSA).',
      ),
    },
    { description: 'Uses a ServiceAccount token to assume an AWS role.' },
  );
}

function vaultAuthMethods(): Record<string, Schema> {
  return {
    tokenSecretRef: secretKeySelector('A static Vault token.'),
    appRole: obj(
      {
        path: mountPath('approle', 'Mount path of the AppRole method.'),
        roleId: str({ description: 'Role id given inline.' }),
        roleRef: secretKeySelector('Role id read from a Secret.'),
        secretRef: secretKeySelector('Secret id read from a Secret.'),
      },
      {
        required: ['path', 'secretRef'],
        description: 'AppRole login with a role id and a secret id.',
      },
    ),
    kubernetes: obj(
      {
        mountPath: mountPath('kubernetes', 'Mount path of the Kubernetes method.'),
        serviceAccountRef: serviceAccountSelector('ServiceAccount whose token is presented.'),
        secretRef: secretKeySelector(
          'A Secret holding a ServiceAccount token (key defaults to token).',
        ),
        role: str({ description: 'Vault role to log in as.' }),
      },
      { required: ['mountPath', 'role'], description: 'Kubernetes ServiceAccount token login.' },
    ),
    ldap: obj(
      {
        path: mountPath('ldap', 'Mount path of the LDAP method.'),
        username: str({ description: 'LDAP user name.' }),
        secretRef: secretKeySelector('Password of the user.'),
      },
      { required: ['path', 'username'], description: 'LDAP user and password login.' },
    ),
    userPass: obj(
      {
        path: mountPath('userpass', 'Mount path of the userpass method.'),
        username: str({ description: 'User name.' }),
        secretRef: secretKeySelector('Password of the user.'),
      },
      { required: ['path', 'username'], description: 'Username and password login.' },
    ),
    jwt: obj(
      {
        path: mountPath('jwt', 'Mount path of the JWT/OIDC method.'),
        role: str({ description: 'Vault role to log in as.' }),
        secretRef: secretKeySelector('A Secret holding the JWT.'),
        kubernetesServiceAccountToken: obj(
          {
            serviceAccountRef: serviceAccountSelector('ServiceAccount to request a token for.'),
            audiences: arr(str(), { description: 'Deprecated: use serviceAccountRef.audiences.' }),
            expirationSeconds: int64({ description: 'Deprecated: token lifetime in seconds.' }),
          },
          {
            required: ['serviceAccountRef'],
            description: 'Requests a fresh ServiceAccount token as the JWT.',
          },
        ),
      },
      { required: ['path'], description: 'JWT/OIDC login.' },
    ),
    cert: obj(
      {
        path: mountPath('cert', 'Mount path of the TLS certificate method.'),
        vaultRole: str({ description: 'Certificate role to log in as.' }),
        clientCert: secretKeySelector('PEM client certificate.'),
        secretRef: secretKeySelector('PEM private key of the client certificate.'),
      },
      { description: 'TLS client certificate login.' },
    ),
    iam: obj(
      {
        path: str({ description: 'Mount path of the AWS method; aws when empty.' }),
        region: str({ description: 'AWS region for STS; us-east-1 when empty.' }),
        role: str({ description: 'AWS IAM role to assume before logging in.' }),
        vaultRole: str({ description: 'Vault role to log in as.' }),
        externalID: str({ description: 'External id used when assuming the role.' }),
        vaultAwsIamServerID: str({ description: 'Value of the X-Vault-AWS-IAM-Server-ID header.' }),
        secretRef: vaultAwsSecretRef(),
        jwt: vaultAwsJwt(),
      },
      { required: ['vaultRole'], description: 'AWS IAM login.' },
    ),
    gcp: obj(
      {
        path: mountPath('gcp', 'Mount path of the GCP method.'),
        role: str({ description: 'Vault role to log in as.' }),
        projectID: str({ description: 'GCP project id.' }),
        location: str({ description: 'GCP location (region or zone).' }),
        secretRef: obj(
          { secretAccessKeySecretRef: secretKeySelector('GCP service account key (JSON).') },
          { description: 'Static GCP credentials.' },
        ),
        workloadIdentity: gcpWorkloadIdentity(),
        serviceAccountRef: serviceAccountSelector('ServiceAccount used for workload identity.'),
      },
      { required: ['role'], description: 'GCP IAM login.' },
    ),
  };
}

function gcpWorkloadIdentity(): Schema {
  return obj(
    {
      serviceAccountRef: serviceAccountSelector('ServiceAccount bound to a GCP service account.'),
      clusterLocation: str(),
      clusterName: str(),
      clusterProjectID: str(),
    },
    { required: ['serviceAccountRef'], description: 'GKE workload identity.' },
  );
}

export function vaultProvider(): Schema {
  return obj(
    {
      auth: obj(
        {
          namespace: str({ description: 'Vault namespace used for login only.' }),
          ...vaultAuthMethods(),
        },
        { description: 'How Ferry logs in to Vault; one method.' },
      ),
      server: str({ description: 'Vault address, e.g. https://vault.example.com:8200.' }),
      path: str({ description: 'Mount path of the KV engine, e.g. secret.' }),
      version: oneOf(['v1', 'v2'], { default: 'v2', description: 'KV engine version.' }),
      namespace: str({ description: 'Vault Enterprise namespace.' }),
      caBundle: bytes({ description: 'PEM CA bundle (base64) that signs the server certificate.' }),
      tls: obj(
        {
          certSecretRef: secretKeySelector('Client certificate (key tls.crt by default).'),
          keySecretRef: secretKeySelector('Client key (key tls.key by default).'),
        },
        { description: 'Mutual TLS client credentials.' },
      ),
      caProvider: caProvider(),
      readYourWrites: bool({ description: 'Sends the last index seen so reads follow writes.' }),
      forwardInconsistent: bool({ description: 'Asks standbys to forward inconsistent reads.' }),
      headers: stringMap('Extra HTTP headers sent to Vault.'),
      checkAndSet: obj(
        { required: bool({ description: 'Whether writes must use check-and-set.' }) },
        { description: 'Check-and-set for PushSecret writes (KV v2).' },
      ),
    },
    { required: ['server'], description: 'HashiCorp Vault (KV v1 or v2).' },
  );
}

export function openBaoProvider(): Schema {
  return obj(
    {
      auth: obj(
        {
          namespace: str({ description: 'OpenBao namespace used for login only.' }),
          tokenSecretRef: secretKeySelector('A static token.'),
          appRole: obj(
            {
              path: mountPath('approle', 'Mount path of the AppRole method.'),
              roleId: str({ minLength: 1, description: 'Role id given inline.' }),
              roleRef: secretKeySelector('Role id read from a Secret.'),
              secretRef: secretKeySelector('Secret id read from a Secret.'),
            },
            { required: ['path', 'secretRef'], rules: [exactlyOneOf(['roleId', 'roleRef'])] },
          ),
          userPass: obj(
            {
              path: mountPath('userpass', 'Mount path of the userpass method.'),
              username: str(),
              secretRef: secretKeySelector('Password of the user.'),
            },
            { required: ['path', 'username'] },
          ),
        },
        {
          description: 'How Ferry logs in to OpenBao; exactly one method.',
          rules: [exactlyOneOf(['appRole', 'tokenSecretRef', 'userPass'])],
        },
      ),
      caBundle: bytes({ description: 'PEM CA bundle (base64).' }),
      caProvider: caProvider(),
      namespace: str({ description: 'OpenBao namespace.' }),
      server: str({ description: 'OpenBao address.' }),
      path: str({ description: 'Mount path of the KV engine.' }),
      version: oneOf(['v1', 'v2'], { default: 'v2', description: 'KV engine version.' }),
    },
    {
      required: ['server'],
      description: 'OpenBao (KV v1 or v2).',
      rules: [atMostOneOf(['caBundle', 'caProvider'])],
    },
  );
}

export function fakeProvider(): Schema {
  return obj(
    {
      data: arr(
        obj(
          {
            key: str({ description: 'Remote key.' }),
            value: str({ description: 'Value returned for the key.' }),
            version: str({ description: 'Version the value is stored under.' }),
          },
          { required: ['key', 'value'] },
        ),
      ),
      validationResult: int32({
        description: 'Validation outcome to report: 0 Ready, 1 Unknown, 2 Error.',
      }),
    },
    { required: ['data'], description: 'An in-memory store for tests and demos.' },
  );
}

export function kubernetesProvider(): Schema {
  return obj(
    {
      server: obj(
        {
          url: str({ default: 'kubernetes.default', description: 'API server URL.' }),
          caBundle: bytes({ description: 'PEM CA bundle (base64).' }),
          caProvider: caProvider(),
        },
        { description: 'The API server to read from.' },
      ),
      auth: obj(
        {
          cert: obj(
            { clientCert: secretKeySelector(), clientKey: secretKeySelector() },
            { required: ['clientCert', 'clientKey'], description: 'TLS client certificate.' },
          ),
          token: obj(
            { bearerToken: secretKeySelector() },
            { required: ['bearerToken'], description: 'Bearer token from a Secret.' },
          ),
          serviceAccount: serviceAccountSelector('ServiceAccount whose token is requested.'),
        },
        {
          minProperties: 1,
          maxProperties: 1,
          description: 'How Ferry authenticates; exactly one method.',
        },
      ),
      authRef: secretKeySelector('A Secret holding a kubeconfig.'),
      remoteNamespace: str({
        default: 'default',
        minLength: 1,
        maxLength: 63,
        pattern: DNS_LABEL,
        description: 'Namespace to read Secrets from.',
      }),
    },
    { description: 'Secrets of a Kubernetes cluster.' },
  );
}

const TYPED_PROVIDERS: Partial<Record<ProviderKey, () => Schema>> = {
  vault: vaultProvider,
  openBao: openBaoProvider,
  fake: fakeProvider,
  kubernetes: kubernetesProvider,
};

/** True when Ferry's schema checks this provider's fields (others are preserved as given). */
export function isTypedProvider(key: string): boolean {
  return Object.hasOwn(TYPED_PROVIDERS, key);
}

function providerSchema(): Schema {
  const properties: Record<string, Schema> = {};
  for (const key of PROVIDER_KEYS) {
    const typed = TYPED_PROVIDERS[key];
    properties[key] = typed
      ? typed()
      : freeform({ description: `The ${key} provider (fields kept as given).` });
  }
  return obj(properties, {
    minProperties: 1,
    maxProperties: 1,
    description: 'The backend this store talks to; exactly one key.',
  });
}

export function secretStoreSpec(cluster: boolean): Schema {
  const properties: Record<string, Schema> = {
    controller: str({
      description: 'Controller class; empty means every controller handles the store.',
    }),
    provider: providerSchema(),
    retrySettings: obj(
      { maxRetries: int32(), retryInterval: str({ description: 'Go duration between retries.' }) },
      { description: 'Retry behaviour of provider calls.' },
    ),
    refreshInterval: intOrString({
      description: 'How often the store is re-validated: seconds or a Go duration.',
    }),
  };
  // ESO's spec type is shared by both kinds, so the field exists (and is ignored) on SecretStore too.
  properties.conditions = arr(
    obj({
      namespaceSelector: labelSelector('Namespaces whose labels match may use the store.'),
      namespaces: arr(namespaceName(), { description: 'Namespaces allowed by name.' }),
      namespaceRegexes: arr(str(), {
        description: 'Unanchored Go regular expressions over namespace names.',
      }),
    }),
    {
      description: cluster
        ? 'Namespaces allowed to use this ClusterSecretStore; conditions are ORed.'
        : 'Only used by ClusterSecretStore.',
    },
  );
  return obj(properties, {
    required: ['provider'],
    description: 'Where and how to reach the secret backend.',
  });
}

export function secretStoreStatus(): Schema {
  return obj({
    conditions: arr(statusCondition()),
    capabilities: str({ description: 'ReadOnly, WriteOnly or ReadWrite.' }),
  });
}
