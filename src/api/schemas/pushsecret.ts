import { anyJson, arr, duration, mapOf, obj, oneOf, str, time } from '../schema.ts';
import type { Schema } from '../schema.ts';
import { labelSelector, objectName, statusCondition, stringMap } from './common.ts';
import { generatorRef, secretTemplate, STORE_KINDS } from './externalsecret.ts';

const PUSH_CONVERSION = ['None', 'ReverseUnicode'] as const;

function storeRef(): Schema {
  return obj(
    {
      name: objectName('Name of the store.'),
      labelSelector: labelSelector('Pushes to every store whose labels match.'),
      kind: oneOf(STORE_KINDS, { default: 'SecretStore', description: 'Kind of the store.' }),
    },
    { description: 'A store to push to, by name or by labels.' },
  );
}

function pushData(): Schema {
  return obj(
    {
      match: obj(
        {
          secretKey: str({
            description: 'Key of the source Secret; empty pushes the whole Secret.',
          }),
          remoteRef: obj(
            {
              remoteKey: str({ description: 'Name of the secret in the provider.' }),
              property: str({ description: 'Field of the remote secret to write.' }),
            },
            { required: ['remoteKey'] },
          ),
        },
        { required: ['remoteRef'] },
      ),
      metadata: anyJson({ description: 'Provider-specific metadata, passed through.' }),
      conversionStrategy: oneOf(PUSH_CONVERSION, {
        default: 'None',
        description: 'How keys are converted.',
      }),
    },
    { required: ['match'] },
  );
}

function pushDataTo(): Schema {
  return obj(
    {
      storeRef: storeRef(),
      remoteKey: str({
        description: 'Pushes all matching keys as one remote secret under this name.',
      }),
      match: obj({
        regexp: str({ description: 'Only keys matching this regular expression are pushed.' }),
      }),
      rewrite: arr(
        obj(
          {
            regexp: obj({ source: str(), target: str() }, { required: ['source', 'target'] }),
            transform: obj({ template: str() }, { required: ['template'] }),
          },
          {
            rules: [
              {
                rule: '(has(self.regexp) && !has(self.transform)) || (!has(self.regexp) && has(self.transform))',
                message: 'exactly one of regexp or transform must be set',
              },
            ],
          },
        ),
        { description: 'Renames keys before pushing (per-key mode only).' },
      ),
      metadata: anyJson({ description: 'Provider-specific metadata, passed through.' }),
      conversionStrategy: oneOf(PUSH_CONVERSION, { default: 'None' }),
    },
    {
      rules: [
        {
          rule: 'has(self.storeRef) && (has(self.storeRef.name) || has(self.storeRef.labelSelector))',
          message: 'storeRef must specify either name or labelSelector',
        },
        {
          rule: '!has(self.remoteKey) || !has(self.rewrite) || size(self.rewrite) == 0',
          message:
            'remoteKey and rewrite are mutually exclusive: rewrite is only supported in per-key mode (without remoteKey)',
        },
      ],
    },
  );
}

export function pushSecretSpec(): Schema {
  return obj(
    {
      refreshInterval: duration({ default: '1h0m0s', description: 'How often to push again.' }),
      secretStoreRefs: arr(storeRef(), { description: 'Stores to push to.' }),
      updatePolicy: oneOf(['Replace', 'IfNotExists'], {
        default: 'Replace',
        description: 'IfNotExists leaves existing remote secrets untouched.',
      }),
      deletionPolicy: oneOf(['Delete', 'None'], {
        default: 'None',
        description: 'Delete removes pushed secrets from the provider when no longer wanted.',
      }),
      selector: obj(
        {
          secret: obj(
            {
              name: objectName('Name of the source Secret.'),
              selector: labelSelector('Selects source Secrets by label.'),
            },
            { description: 'The source Secret.' },
          ),
          generatorRef: generatorRef(),
        },
        {
          minProperties: 1,
          maxProperties: 1,
          description: 'The source of the pushed values; exactly one.',
        },
      ),
      data: arr(pushData(), { description: 'Explicit key mappings.' }),
      dataTo: arr(pushDataTo(), { description: 'Bulk pushes of matching keys.' }),
      template: secretTemplate(),
    },
    { required: ['secretStoreRefs', 'selector'], description: 'What to push and where.' },
  );
}

export function pushSecretStatus(): Schema {
  return obj({
    refreshTime: time({ nullable: true }),
    syncedResourceVersion: str(),
    syncedPushSecrets: mapOf(mapOf(pushData()), {
      description: 'Pushed entries by "<Kind>/<store>" and then by remote key.',
    }),
    conditions: arr(statusCondition()),
  });
}

export function clusterPushSecretSpec(): Schema {
  return obj(
    {
      pushSecretSpec: pushSecretSpec(),
      refreshTime: duration({ description: 'How often namespaces are re-evaluated.' }),
      pushSecretName: objectName('Name of the PushSecrets created; defaults to this object name.'),
      pushSecretMetadata: obj(
        { annotations: stringMap(), labels: stringMap() },
        { description: 'Labels and annotations of the created PushSecrets.' },
      ),
      namespaceSelectors: arr(labelSelector(), {
        description: 'Namespaces to create PushSecrets in (ORed).',
      }),
    },
    { required: ['pushSecretSpec'] },
  );
}

export function clusterPushSecretStatus(): Schema {
  return obj({
    failedNamespaces: arr(obj({ namespace: str(), reason: str() }, { required: ['namespace'] })),
    provisionedNamespaces: arr(str()),
    pushSecretName: str(),
    conditions: arr(statusCondition()),
  });
}
