import { arr, duration, obj, str } from '../schema.ts';
import type { Schema } from '../schema.ts';
import { labelSelector, namespaceName, objectName, statusCondition, stringMap } from './common.ts';
import { externalSecretSpec } from './externalsecret.ts';

export function clusterExternalSecretSpec(): Schema {
  return obj(
    {
      externalSecretSpec: externalSecretSpec(),
      externalSecretName: objectName(
        'Name of the ExternalSecrets created; defaults to this object name.',
      ),
      externalSecretMetadata: obj(
        { annotations: stringMap(), labels: stringMap() },
        { description: 'Labels and annotations of the created ExternalSecrets.' },
      ),
      namespaceSelector: labelSelector('Deprecated: use namespaceSelectors.'),
      namespaceSelectors: arr(labelSelector(), {
        description: 'Namespaces to create ExternalSecrets in (ORed).',
      }),
      namespaces: arr(namespaceName(), {
        description: 'Deprecated: namespaces by name, ORed with the selectors.',
      }),
      refreshTime: duration({ description: 'How often namespaces are re-evaluated.' }),
    },
    {
      required: ['externalSecretSpec'],
      description: 'An ExternalSecret stamped into many namespaces.',
    },
  );
}

export function clusterExternalSecretStatus(): Schema {
  return obj({
    externalSecretName: str(),
    failedNamespaces: arr(obj({ namespace: str(), reason: str() }, { required: ['namespace'] })),
    provisionedNamespaces: arr(str()),
    conditions: arr(statusCondition(false)),
  });
}
