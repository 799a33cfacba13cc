import { GROUP, KINDS, objectSchema } from './kinds.ts';
import type { KindInfo } from './kinds.ts';

/** Label ESO puts on its CRDs; kept so tooling that selects ESO's CRDs also finds ours. */
export const CRD_LABELS = { 'external-secrets.io/component': 'controller' } as const;

function versions(info: KindInfo): object[] {
  const schema = { openAPIV3Schema: objectSchema(info) };
  const served: Record<string, unknown> = {
    name: info.version,
    served: true,
    storage: true,
    schema,
    subresources: { status: {} },
    additionalPrinterColumns: info.printerColumns.map((c) => ({ ...c })),
  };
  if (info.selectableFields && info.selectableFields.length > 0) {
    served.selectableFields = info.selectableFields.map((jsonPath) => ({ jsonPath }));
  }
  // ESO lists v1beta1 as not served. Keeping it listed (same schema, never served, never stored) lets
  // Ferry's CRDs replace ESO's on a cluster whose status.storedVersions still names v1beta1.
  // Everything but the flags matches the served version: the API server insists that per-version
  // fields (schema, columns, selectable fields) are either identical across versions or per version.
  const legacy = info.legacyVersions.map((name) => ({
    ...served,
    name,
    served: false,
    storage: false,
    deprecated: true,
  }));
  return [served, ...legacy];
}

/** The apiextensions.k8s.io/v1 CustomResourceDefinition of one kind. */
export function buildCrd(info: KindInfo): object {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${info.plural}.${GROUP}`, labels: { ...CRD_LABELS } },
    spec: {
      group: GROUP,
      names: {
        categories: ['external-secrets'],
        kind: info.kind,
        listKind: `${info.kind}List`,
        plural: info.plural,
        shortNames: [...info.shortNames],
        singular: info.singular,
      },
      scope: info.scope,
      versions: versions(info),
    },
  };
}

/** Every CRD Ferry serves, in a fixed order. */
export function buildCrds(): object[] {
  return KINDS.map(buildCrd);
}
