import { arr, bool, duration, mapOf, obj, oneOf, str, time } from '../schema.ts';
import type { Schema } from '../schema.ts';
import { objectName, secretKeyName, statusCondition, stringMap } from './common.ts';

export const CREATION_POLICIES = ['Owner', 'Orphan', 'Merge', 'None', 'CreateOrMerge'] as const;
export const DELETION_POLICIES = ['Delete', 'Merge', 'Retain'] as const;
export const NULL_BYTE_POLICIES = ['Ignore', 'Fail'] as const;
export const METADATA_POLICIES = ['None', 'Fetch'] as const;
export const CONVERSION_STRATEGIES = ['Default', 'Unicode'] as const;
export const DECODING_STRATEGIES = ['Auto', 'Base64', 'Base64URL', 'None'] as const;
export const REFRESH_POLICIES = ['CreatedOnce', 'Periodic', 'OnChange'] as const;
export const MERGE_POLICIES = ['Replace', 'Merge'] as const;
export const TEMPLATE_SCOPES = ['Values', 'KeysAndValues'] as const;
export const STORE_KINDS = ['SecretStore', 'ClusterSecretStore'] as const;
export const GENERATOR_KINDS = [
  'ACRAccessToken',
  'BeyondtrustWorkloadCredentialsDynamicSecret',
  'ClusterGenerator',
  'CloudsmithAccessToken',
  'ECRAuthorizationToken',
  'Fake',
  'GCRAccessToken',
  'GithubAccessToken',
  'GitlabDeployToken',
  'QuayAccessToken',
  'Password',
  'SSHKey',
  'STSSessionToken',
  'UUID',
  'VaultDynamicSecret',
  'Webhook',
  'Grafana',
  'MFA',
] as const;

/** Cron with five fields, an `@daily`-style macro, or `@every <duration>`. */
const SCHEDULE_PATTERN =
  '^(@(annually|yearly|monthly|weekly|daily|midnight|hourly)|@every [^\\s]+.*|[^\\s]+( [^\\s]+){4})$';

export function secretStoreRef(description: string): Schema {
  return obj(
    {
      name: objectName('Name of the store.'),
      kind: oneOf(STORE_KINDS, {
        description: 'SecretStore (the default when empty) or ClusterSecretStore.',
      }),
    },
    { description },
  );
}

export function generatorRef(): Schema {
  return obj(
    {
      apiVersion: str({
        default: 'generators.external-secrets.io/v1alpha1',
        description: 'API version of the generator resource.',
      }),
      kind: oneOf(GENERATOR_KINDS, { description: 'Kind of the generator resource.' }),
      name: objectName('Name of the generator resource.'),
    },
    {
      required: ['kind', 'name'],
      description: 'Takes values from a generator instead of a store.',
    },
  );
}

function remoteRef(description: string): Schema {
  return obj(
    {
      key: str({ description: 'Path or name of the secret in the provider.' }),
      property: str({
        description: 'Field to pick out of a structured secret (gjson path for JSON values).',
      }),
      version: str({
        description: 'Provider-specific version of the secret; empty means the latest.',
      }),
      metadataPolicy: oneOf(METADATA_POLICIES, {
        description: 'Fetch reads provider metadata instead of the value.',
      }),
      conversionStrategy: oneOf(CONVERSION_STRATEGIES, {
        description: 'How invalid characters in keys are replaced; empty means Default.',
      }),
      decodingStrategy: oneOf(DECODING_STRATEGIES, {
        description: 'How values are decoded; empty means None.',
      }),
      nullBytePolicy: oneOf(NULL_BYTE_POLICIES, {
        description: 'Whether values containing NUL bytes fail the sync.',
      }),
    },
    { required: ['key'], description },
  );
}

function templateRef(description: string): Schema {
  return obj(
    {
      name: objectName('Name of the object holding the templates.'),
      items: arr(
        obj(
          {
            key: secretKeyName('Key whose value is a template.'),
            templateAs: oneOf(TEMPLATE_SCOPES, {
              default: 'Values',
              description:
                'Values renders each value; KeysAndValues renders the whole entry as YAML.',
            }),
          },
          { required: ['key'] },
        ),
        { description: 'Keys to use as templates.' },
      ),
    },
    { required: ['name', 'items'], description },
  );
}

/** The template block shared by ExternalSecret and PushSecret. */
export function secretTemplate(): Schema {
  return obj(
    {
      type: str({ description: 'Type of the produced Secret; empty keeps the current type.' }),
      engineVersion: oneOf(['v2'], {
        default: 'v2',
        description: 'Template engine; only v2 exists.',
      }),
      metadata: obj(
        {
          annotations: stringMap('Annotations to set; values are templates.'),
          labels: stringMap('Labels to set; values are templates.'),
          finalizers: arr(str(), { description: 'Finalizers added to the produced object.' }),
        },
        { description: 'Metadata of the produced object.' },
      ),
      mergePolicy: oneOf(MERGE_POLICIES, {
        default: 'Replace',
        description:
          'Merge keeps the fetched data next to the rendered keys; Replace keeps only rendered keys.',
      }),
      data: stringMap('Output key to template text.'),
      templateFrom: arr(
        obj(
          {
            configMap: templateRef('Templates stored in a ConfigMap.'),
            secret: templateRef('Templates stored in a Secret.'),
            target: str({
              default: 'Data',
              description:
                'Where the output goes: Data, Annotations or Labels (or a path for generic targets).',
            }),
            literal: str({ description: 'An inline template rendered as keys and values.' }),
            valuesDecodingStrategy: oneOf(DECODING_STRATEGIES, {
              description: 'Decoding applied to rendered values; empty means None.',
            }),
          },
          {},
        ),
        { description: 'Extra template sources, applied in order.' },
      ),
    },
    { description: 'Shapes the produced Secret with Go templates.' },
  );
}

function target(): Schema {
  return obj(
    {
      name: objectName('Name of the Secret to write; defaults to the ExternalSecret name.'),
      creationPolicy: oneOf(CREATION_POLICIES, {
        default: 'Owner',
        description: 'Whether the target is created, owned, merged into, or left alone.',
      }),
      deletionPolicy: oneOf(DELETION_POLICIES, {
        default: 'Retain',
        description: 'What happens to the target when the provider returns no data.',
      }),
      template: secretTemplate(),
      manifest: obj(
        {
          apiVersion: str({ minLength: 1, description: 'API version of the generic target.' }),
          kind: str({ minLength: 1, description: 'Kind of the generic target.' }),
        },
        {
          required: ['apiVersion', 'kind'],
          description: 'Writes to a resource other than a Secret.',
        },
      ),
      immutable: bool({ description: 'Marks the produced Secret immutable.' }),
    },
    { description: 'Describes the Secret (or other resource) to produce.' },
  );
}

function rewrite(): Schema {
  return obj(
    {
      merge: obj(
        {
          into: str({
            default: '',
            description: 'Key that receives the merged result; required for JSON.',
          }),
          priority: arr(str(), { description: 'Keys merged last so that they win conflicts.' }),
          priorityPolicy: oneOf(['IgnoreNotFound', 'Strict'], {
            default: 'Strict',
            description: 'Whether a missing priority key is an error.',
          }),
          conflictPolicy: oneOf(['Ignore', 'Error'], {
            default: 'Error',
            description: 'Whether a key present in two sources is an error.',
          }),
          strategy: oneOf(['Extract', 'JSON'], {
            default: 'Extract',
            description: 'How values are merged.',
          }),
        },
        { description: 'Merges JSON values into one map.' },
      ),
      regexp: obj(
        {
          source: str({ description: 'Regular expression (Go RE2) matched against each key.' }),
          target: str({ description: 'Replacement; $1 and ${name} refer to groups.' }),
        },
        { required: ['source', 'target'], description: 'Renames keys with a regular expression.' },
      ),
      transform: obj(
        {
          template: str({
            description: 'Go template producing the new key; .value is the old key.',
          }),
        },
        { required: ['template'], description: 'Renames keys with a template.' },
      ),
    },
    { minProperties: 1, maxProperties: 1, description: 'One key rewrite step.' },
  );
}

function find(): Schema {
  return obj(
    {
      path: str({ description: 'Path prefix to search under.' }),
      name: obj({ regexp: str({ description: 'Regular expression names must match.' }) }, {}),
      tags: stringMap('Tags (or metadata) the secrets must carry.'),
      conversionStrategy: oneOf(CONVERSION_STRATEGIES, { description: 'Empty means Default.' }),
      decodingStrategy: oneOf(DECODING_STRATEGIES, { description: 'Empty means None.' }),
      nullBytePolicy: oneOf(NULL_BYTE_POLICIES),
    },
    { description: 'Fetches every secret matching a name or tags.' },
  );
}

export function externalSecretSpec(): Schema {
  return obj(
    {
      secretStoreRef: secretStoreRef('The store to read from.'),
      target: { ...target(), default: { creationPolicy: 'Owner', deletionPolicy: 'Retain' } },
      refreshPolicy: oneOf(REFRESH_POLICIES, {
        description: 'When to refresh; empty behaves as Periodic.',
      }),
      refreshInterval: duration({
        default: '1h0m0s',
        description: 'How often to refresh, as a Go duration; 0 syncs once.',
      }),
      syncWindows: obj(
        {
          kind: oneOf(['allow', 'deny'], {
            description: 'Whether windows allow or block syncing.',
          }),
          windows: arr(
            obj(
              {
                schedule: str({
                  minLength: 1,
                  pattern: SCHEDULE_PATTERN,
                  description: 'Cron schedule (UTC).',
                }),
                duration: duration({ description: 'How long each window stays open.' }),
              },
              { required: ['schedule', 'duration'] },
            ),
            { minItems: 1 },
          ),
        },
        { required: ['kind', 'windows'], description: 'Time windows that allow or deny syncing.' },
      ),
      data: arr(
        obj(
          {
            secretKey: secretKeyName('Key in the produced Secret.'),
            remoteRef: remoteRef('Where the value comes from.'),
            sourceRef: obj(
              {
                storeRef: secretStoreRef('Store used for this entry only.'),
                generatorRef: generatorRef(),
              },
              {
                minProperties: 1,
                maxProperties: 1,
                description: 'Overrides the store for this entry.',
              },
            ),
          },
          { required: ['secretKey', 'remoteRef'] },
        ),
        { description: 'Single values mapped to keys of the produced Secret.' },
      ),
      dataFrom: arr(
        obj(
          {
            extract: remoteRef('Reads one structured secret and uses each of its fields as a key.'),
            find: find(),
            rewrite: arr(rewrite(), { description: 'Key rewrites applied in order.' }),
            sourceRef: obj(
              {
                storeRef: secretStoreRef('Store used for this entry only.'),
                generatorRef: generatorRef(),
              },
              {
                minProperties: 1,
                maxProperties: 1,
                description: 'Overrides the store, or uses a generator.',
              },
            ),
          },
          {},
        ),
        { description: 'Whole maps of values, merged in order.' },
      ),
    },
    { description: 'What to fetch, from where, and what to write.' },
  );
}

export function externalSecretStatus(): Schema {
  return obj({
    refreshTime: time({ nullable: true, description: 'When the last refresh started.' }),
    syncedResourceVersion: str({
      description: 'Generation and metadata hash of the last synced spec.',
    }),
    conditions: arr(statusCondition()),
    binding: obj(
      { name: str({ default: '' }) },
      { atomic: true, description: 'Name of the produced Secret.' },
    ),
  });
}

export const externalSecretMetadataSchema = (): Schema =>
  obj(
    { annotations: mapOf(str()), labels: mapOf(str()) },
    { description: 'Labels and annotations to set.' },
  );
