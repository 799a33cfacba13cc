import { arr, mapOf, obj, oneOf, str, time } from '../schema.ts';
import type { Schema } from '../schema.ts';

/** DNS-1123 subdomain: the shape of most Kubernetes object names. */
export const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** DNS-1123 label: the shape of a namespace name. */
export const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** A key inside a Secret or ConfigMap. */
export const SECRET_KEY = '^[-._a-zA-Z0-9]+$';

export function objectName(description?: string): Schema {
  return str({ minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN, description });
}

export function namespaceName(description?: string): Schema {
  return str({ minLength: 1, maxLength: 63, pattern: DNS_LABEL, description });
}

export function secretKeyName(description?: string): Schema {
  return str({ minLength: 1, maxLength: 253, pattern: SECRET_KEY, description });
}

export const stringMap = (description?: string): Schema => mapOf(str(), { description });

/** A reference to one key of a Kubernetes Secret. */
export function secretKeySelector(description?: string): Schema {
  return obj(
    {
      name: objectName('Name of the Secret.'),
      namespace: namespaceName(
        'Namespace of the Secret. Only honoured for ClusterSecretStores; empty means the namespace of the referring object.',
      ),
      key: secretKeyName('Key inside the Secret; some providers pick a default when empty.'),
    },
    { description: description ?? 'Points at one key of a Kubernetes Secret.' },
  );
}

/** A reference to a ServiceAccount whose token is requested on demand. */
export function serviceAccountSelector(description?: string): Schema {
  return obj(
    {
      name: objectName('Name of the ServiceAccount.'),
      namespace: namespaceName('Namespace of the ServiceAccount (ClusterSecretStores only).'),
      audiences: arr(str(), { description: 'Audiences requested for the token.' }),
    },
    { required: ['name'], description: description ?? 'Points at a Kubernetes ServiceAccount.' },
  );
}

/** The standard Kubernetes label selector. */
export function labelSelector(description?: string): Schema {
  return obj(
    {
      matchLabels: stringMap('Labels that must all be present with these values.'),
      matchExpressions: arr(
        obj(
          {
            key: str({ description: 'Label key the requirement applies to.' }),
            operator: str({ description: 'One of In, NotIn, Exists, DoesNotExist.' }),
            values: arr(str(), { atomic: true, description: 'Values for In and NotIn.' }),
          },
          { required: ['key', 'operator'] },
        ),
        { atomic: true, description: 'Set-based requirements, all of which must match.' },
      ),
    },
    { atomic: true, description: description ?? 'Selects objects by their labels.' },
  );
}

/** Where a CA bundle lives inside the cluster. */
export function caProvider(): Schema {
  return obj(
    {
      type: oneOf(['Secret', 'ConfigMap'], {
        description: 'Kind of object holding the CA bundle.',
      }),
      name: objectName('Name of the Secret or ConfigMap.'),
      key: secretKeyName('Key holding the PEM bundle.'),
      namespace: namespaceName('Namespace of the object; required for ClusterSecretStores.'),
    },
    {
      required: ['type', 'name'],
      description: 'Reads a PEM CA bundle from a Secret or ConfigMap.',
    },
  );
}

/** A status condition as ESO writes it (type, status, reason, message, lastTransitionTime). */
export function statusCondition(withReasonAndTime = true): Schema {
  const properties: Record<string, Schema> = {
    type: str(),
    status: str(),
    message: str(),
  };
  if (withReasonAndTime) {
    properties.reason = str();
    properties.lastTransitionTime = time();
  }
  return obj(properties, { required: ['type', 'status'] });
}
