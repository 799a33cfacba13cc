/**
 * The desired target Secret, computed as data (ESO's mutation function and `ApplyTemplate`,
 * eso.md §2.1 step 8, §3.5, §9.11–§9.14). Nothing here talks to the API server.
 */
import type { ExternalSecret } from '../api/types.ts';
import { messageOf, SyncError } from './errors.ts';
import { createdByHash, dataHash, fieldManagerFor } from './hash.ts';
import { ANNOTATION_DATA_HASH, LABEL_MANAGED } from './refresh.ts';
import type { TargetSecret } from './target-secret.ts';
import { cloneSecret } from './target-secret.ts';
import { includesProviderData, renderTemplate, validateSecretTemplate } from './template/apply.ts';
import type { TemplateContext, TemplateSources } from './template/apply.ts';
import type { TemplateEngine } from './template/engine.ts';

export const LABEL_CREATED_BY = 'reconcile.external-secrets.io/created-by';

/** Another ExternalSecret controls the target (ESO `ErrSecretIsOwned`). */
export class SecretIsOwnedError extends SyncError {}
/** Another controller of a different kind controls the target (ESO `ErrSecretSetCtrlRef`). */
export class SetControllerRefError extends SyncError {}

/** Keys this ExternalSecret wrote last time; removed before re-rendering (§9.12). */
export interface ManagedKeys {
  data: string[];
  labels: string[];
  annotations: string[];
}

export interface DesiredSecretInput {
  es: ExternalSecret;
  /** The current target, or undefined when it does not exist. */
  existing?: TargetSecret | undefined;
  providerData: ReadonlyMap<string, Uint8Array>;
  engine: TemplateEngine;
  templateSources?: TemplateSources;
  /** Defaults to what `managedFields` records for ESO's field manager. */
  managedKeys?: ManagedKeys;
  delims?: { left?: string; right?: string };
}

export function targetName(es: ExternalSecret): string {
  return es.spec.target?.name || (es.metadata.name ?? '');
}

function fieldKeys(fields: unknown, path: string[]): string[] {
  let node: unknown = fields;
  for (const p of path)
    node =
      node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined;
  if (node === null || typeof node !== 'object') return [];
  return Object.keys(node)
    .filter((k) => k !== '.' && k.startsWith('f:'))
    .map((k) => k.slice(2));
}

/**
 * The keys ESO's field manager owns according to `managedFields`. ESO picks the manager name
 * for labels/annotations with a different length rule than for data (§3.5 quirk); Ferry uses
 * the controller's rule for all three so stale labels are always cleaned.
 */
export function managedKeysOf(secret: TargetSecret | undefined, esName: string): ManagedKeys {
  const manager = fieldManagerFor(esName);
  const out: ManagedKeys = { data: [], labels: [], annotations: [] };
  for (const entry of secret?.metadata.managedFields ?? []) {
    if (entry.manager !== manager) continue;
    out.data.push(...fieldKeys(entry.fieldsV1, ['f:data']));
    out.labels.push(...fieldKeys(entry.fieldsV1, ['f:metadata', 'f:labels']));
    out.annotations.push(...fieldKeys(entry.fieldsV1, ['f:metadata', 'f:annotations']));
  }
  return out;
}

/** A copy of `record` without `keys`. */
function omitKeys(
  record: Readonly<Record<string, string>> | undefined,
  keys: readonly string[],
): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([k]) => !keys.includes(k)));
}

function addFinalizers(secret: TargetSecret, wanted: readonly string[]): void {
  if (secret.metadata.deletionTimestamp) return;
  const finalizers = secret.metadata.finalizers ?? [];
  const added = wanted.filter((f) => !finalizers.includes(f));
  if (added.length > 0) secret.metadata.finalizers = [...finalizers, ...added];
}

/** ESO `setMetadata`: drop our old labels/annotations, then copy ES or template metadata. */
function setMetadata(secret: TargetSecret, es: ExternalSecret, managed: ManagedKeys): void {
  const template = es.spec.target?.template;
  const source = template ? (template.metadata ?? {}) : es.metadata;
  secret.metadata.labels = {
    ...omitKeys(secret.metadata.labels, managed.labels),
    ...source.labels,
  };
  secret.metadata.annotations = {
    ...omitKeys(secret.metadata.annotations, managed.annotations),
    ...source.annotations,
  };
  if (template) addFinalizers(secret, template.metadata?.finalizers ?? []);
}

function templateContext(input: DesiredSecretInput): Omit<TemplateContext, 'data'> {
  const { delims, templateSources, engine } = input;
  return {
    engine,
    ...(templateSources ? { sources: templateSources } : {}),
    ...(delims?.left !== undefined ? { leftDelim: delims.left } : {}),
    ...(delims?.right !== undefined ? { rightDelim: delims.right } : {}),
  };
}

function creationPolicyOf(es: ExternalSecret): string {
  return es.spec.target?.creationPolicy ?? 'Owner';
}

/** Merge and CreateOrMerge keep keys the ExternalSecret does not manage (§9.12). */
function keepsForeignKeys(es: ExternalSecret): boolean {
  const policy = creationPolicyOf(es);
  return policy === 'Merge' || policy === 'CreateOrMerge';
}

/** ESO `ApplyTemplate` (§3.5). Mutates `secret`. */
export function applyTemplate(
  secret: TargetSecret,
  input: DesiredSecretInput,
  managed: ManagedKeys,
): void {
  const { es } = input;
  const template = es.spec.target?.template;
  validateSecretTemplate(template);
  setMetadata(secret, es, managed);
  if (!keepsForeignKeys(es)) secret.data = new Map();
  const copyProviderData = (): void => {
    for (const [k, v] of input.providerData) secret.data.set(k, v);
  };
  if (!template) {
    copyProviderData();
    return;
  }
  if (template.type) secret.type = template.type;
  if (includesProviderData(template)) copyProviderData();
  const labels = { ...secret.metadata.labels };
  const annotations = { ...secret.metadata.annotations };
  renderTemplate(
    template,
    { data: secret.data, labels, annotations },
    { ...templateContext(input), data: input.providerData },
  );
  secret.metadata.labels = labels;
  secret.metadata.annotations = annotations;
}

function esOwnerRef(
  es: ExternalSecret,
): NonNullable<TargetSecret['metadata']['ownerReferences']>[number] {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    name: es.metadata.name ?? '',
    uid: es.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function isEsKind(ref: { apiVersion: string; kind: string }): boolean {
  return ref.kind === 'ExternalSecret' && ref.apiVersion.split('/')[0] === 'external-secrets.io';
}

type OwnerRef = NonNullable<TargetSecret['metadata']['ownerReferences']>[number];

/** controllerutil.SetControllerReference: fails if another controller already owns the Secret. */
function setControllerRef(
  secret: TargetSecret,
  es: ExternalSecret,
  controller: OwnerRef | undefined,
): void {
  const mine = esOwnerRef(es);
  const refs = secret.metadata.ownerReferences ?? [];
  if (controller && !(isEsKind(controller) && controller.name === mine.name)) {
    throw new SetControllerRefError(
      `could not set controller reference on secret: Object ${es.metadata.namespace ?? ''}/${secret.metadata.name ?? ''} is already owned by another ${controller.kind} controller ${controller.name}`,
    );
  }
  secret.metadata.ownerReferences = [
    ...refs.filter((r) => !(isEsKind(r) && r.name === mine.name)),
    mine,
  ];
}

/** Whether `controller` is this ExternalSecret; throws if it is another ExternalSecret. */
function controllerIsCurrentES(controller: OwnerRef | undefined, es: ExternalSecret): boolean {
  if (controller === undefined || !isEsKind(controller)) return false;
  if (controller.name !== es.metadata.name) {
    throw new SecretIsOwnedError(`secret is owned by another ExternalSecret: ${controller.name}`);
  }
  return true;
}

/** ESO `applyOwnership`: conflicts, controller reference and the created-by label. */
export function applyOwnership(secret: TargetSecret, es: ExternalSecret): void {
  const refs = secret.metadata.ownerReferences ?? [];
  const controller = refs.find((r) => r.controller === true);
  const ownerIsCurrent = controllerIsCurrentES(controller, es);
  const labels = omitKeys(secret.metadata.labels, [LABEL_CREATED_BY]);
  if (creationPolicyOf(es) === 'Owner') {
    setControllerRef(secret, es, controller);
    labels[LABEL_CREATED_BY] = createdByHash(es.metadata.namespace ?? '', es.metadata.name ?? '');
  } else if (ownerIsCurrent) {
    secret.metadata.ownerReferences = refs.filter((r) => r !== controller);
  }
  secret.metadata.labels = labels;
}

/**
 * ESO's mutation function: the Secret this ExternalSecret wants, starting from the existing one
 * (or a fresh one). Throws SyncError (wrapped like ESO's `unable to mutate secret …`).
 */
export function buildDesiredSecret(input: DesiredSecretInput): TargetSecret {
  const { es, existing } = input;
  const name = targetName(es);
  const secret: TargetSecret = existing
    ? cloneSecret(existing)
    : { metadata: { name, namespace: es.metadata.namespace ?? '' }, data: new Map() };
  try {
    mutate(secret, input);
  } catch (error) {
    // ESO adds `unable to mutate secret` on its update path only; a create returns the error bare.
    if (!existing) throw error;
    throw new (
      error instanceof SecretIsOwnedError
        ? SecretIsOwnedError
        : error instanceof SetControllerRefError
          ? SetControllerRefError
          : SyncError
    )(`unable to mutate secret ${name}: ${messageOf(error)}`, { cause: error });
  }
  return secret;
}

function mutate(secret: TargetSecret, input: DesiredSecretInput): void {
  const { es, existing } = input;
  const immutable = es.spec.target?.immutable === true;
  if (immutable) secret.immutable = true;
  if (!existing || !immutable) {
    const managed = input.managedKeys ?? managedKeysOf(existing, es.metadata.name ?? '');
    for (const k of managed.data) secret.data.delete(k);
    try {
      applyTemplate(secret, input, managed);
    } catch (error) {
      throw new SyncError(`could not apply template: ${messageOf(error)}`, { cause: error });
    }
  }
  applyOwnership(secret, es);
  secret.metadata.labels = { ...secret.metadata.labels, [LABEL_MANAGED]: 'true' };
  secret.metadata.annotations = {
    ...secret.metadata.annotations,
    [ANNOTATION_DATA_HASH]: dataHash(secret.data),
  };
}
