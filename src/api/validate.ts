import { applySchemaDefaults } from './defaults.ts';
import { IssueList } from './issues.ts';
import type { Issue } from './issues.ts';
import { findKind, GROUP, KINDS, objectSchema } from './kinds.ts';
import type { KindInfo } from './kinds.ts';
import type { Schema } from './schema.ts';
import { isPlainObject } from './rules/common.ts';
import { checkExternalSecretSpec } from './rules/externalsecret.ts';
import {
  checkClusterExternalSecretSpec,
  checkClusterPushSecretSpec,
  checkPushSecretSpec,
} from './rules/pushsecret.ts';
import { checkSecretStoreSpec } from './rules/secretstore.ts';
import { validateSchema } from './schema-validate.ts';
import type { EsoResource, SecretStore } from './types.ts';

export type { Issue } from './issues.ts';

/** How Ferry classifies a manifest before validating it. */
export type ManifestKind =
  | { readonly served: true; readonly info: KindInfo }
  | { readonly served: false; readonly reason: string };

/** Decides whether Ferry validates an object, and says why not when it does not. */
export function classifyManifest(obj: unknown): ManifestKind {
  if (!isPlainObject(obj)) return { served: false, reason: 'not an object' };
  const { apiVersion, kind } = obj;
  const info = findKind(apiVersion, kind);
  if (info) return { served: true, info };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return { served: false, reason: 'no apiVersion or kind' };
  }
  return { served: false, reason: `${apiVersion} ${kind} is not a Ferry resource` };
}

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkMetadata(obj: Record<string, unknown>, out: IssueList): void {
  const meta = obj.metadata;
  if (!isPlainObject(meta)) {
    out.error(['metadata'], 'Required value');
    return;
  }
  const { name, generateName } = meta;
  if (name === undefined && generateName === undefined)
    out.error(['metadata', 'name'], 'Required value: name or generateName is required');
  if (
    name !== undefined &&
    (typeof name !== 'string' || name.length > 253 || !NAME_PATTERN.test(name))
  ) {
    out.error(
      ['metadata', 'name'],
      `Invalid value: ${JSON.stringify(name)}: must be a lowercase DNS-1123 subdomain`,
    );
  }
}

function checkSemantics(obj: EsoResource, out: IssueList): void {
  switch (obj.kind) {
    case 'ExternalSecret':
      checkExternalSecretSpec(obj.spec, ['spec'], out);
      return;
    case 'SecretStore':
    case 'ClusterSecretStore':
      checkSecretStoreSpec(
        obj.spec,
        {
          cluster: obj.kind === 'ClusterSecretStore',
          namespace: (obj as SecretStore).metadata.namespace,
        },
        ['spec'],
        out,
      );
      return;
    case 'ClusterExternalSecret':
      checkClusterExternalSecretSpec(obj.spec, ['spec'], out);
      return;
    case 'PushSecret':
      checkPushSecretSpec(obj.spec, ['spec'], out);
      return;
    case 'ClusterPushSecret':
      checkClusterPushSecretSpec(obj.spec, ['spec'], out);
  }
}

/** A type mismatch means the Go types would not decode: semantic rules cannot run safely. */
const isTypeError = (i: Issue): boolean =>
  i.severity === 'error' && / must be of type | must be an integer or a string/.test(i.message);

/**
 * Validates one external-secrets.io object against Ferry's schema (after the API server's
 * defaulting) and ESO's admission rules. Objects of other kinds give no issues; use
 * `classifyManifest` to tell them apart. Messages never contain secret values.
 */
export function validateManifest(obj: unknown): Issue[] {
  const out = new IssueList();
  if (!isPlainObject(obj)) {
    out.error([], 'Invalid value: a manifest must be an object');
    return out.items;
  }
  const legacy = legacyVersionProblem(obj);
  if (legacy !== undefined) {
    out.error(['apiVersion'], legacy);
    return out.items;
  }
  const kind = classifyManifest(obj);
  if (!kind.served) return [];
  checkMetadata(obj, out);
  const defaulted = applySchemaDefaults(obj);
  const schema = objectSchema(kind.info);
  // metadata is the API server's business (checked above); status goes through the status
  // subresource, so the API server drops it from creates and updates.
  const ignored: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  schema.properties = { ...schema.properties, metadata: ignored, status: ignored };
  validateSchema(defaulted, schema, [], out);
  if (!isPlainObject(defaulted.spec)) {
    out.error(['spec'], 'Required value');
    return out.items;
  }
  if (!out.items.some(isTypeError)) {
    try {
      checkSemantics(defaulted as unknown as EsoResource, out);
    } catch (e) {
      // A required field is missing and a rule tripped over it; that field is already reported.
      if (!(e instanceof TypeError)) throw e;
    }
  }
  return out.items;
}

/** ESO's own kinds under a version neither ESO nor Ferry serves any more (v1beta1, v1alpha1). */
function legacyVersionProblem(obj: Record<string, unknown>): string | undefined {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith(`${GROUP}/`)) return undefined;
  const info = KINDS.find((k) => k.kind === kind);
  if (!info || apiVersion === `${GROUP}/${info.version}`) return undefined;
  return `Unsupported value: ${JSON.stringify(apiVersion)}: ${info.kind} is served as ${GROUP}/${info.version} only`;
}
