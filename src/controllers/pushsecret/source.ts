/**
 * The Secrets a PushSecret pushes from, read straight from the API server on every reconcile,
 * and its `spec.template` applied to them in memory (ESO `resolveSecrets`, `applyTemplate`).
 *
 * Why no watch on source Secrets: like ESO's PushSecret controller (which watches only
 * PushSecrets), a change to a source Secret is pushed at the next refresh, so the latency is at
 * most `spec.refreshInterval` (default 1h). The operator caches only Secrets labelled
 * `reconcile.external-secrets.io/managed=true`; watching arbitrary source Secrets would mean
 * caching every Secret's values in the cluster (ESO's `--enable-secrets-caching=false` default
 * avoids the same cost). A user who needs a faster push sets a shorter refreshInterval, or
 * touches the PushSecret (any spec, label or annotation change re-queues it at once). ADR 0012.
 */
import type { PushSecret, SecretTemplate } from '../../api/types.ts';
import type { KubeClient } from '../../kube/client.ts';
import { Resources, type KubeObject } from '../../kube/types.ts';
import { messageOf } from '../../sync/errors.ts';
import {
  renderTemplate,
  templateSourceNames,
  type TemplateEngine,
  type TemplateSources,
} from '../../sync/index.ts';
import { labelSelectorQuery } from '../label-selector.ts';

interface SecretWire extends KubeObject {
  data?: Record<string, string>;
  type?: string;
}

/** One source Secret's data and metadata (providers such as kubernetes copy them), after the template. */
export interface SourceSecret {
  name: string;
  data: Map<string, Uint8Array>;
  type?: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The source Secret named by `selector.secret.name` does not exist. */
export class SourceNotFoundError extends Error {}

/** The selector asks for something Ferry does not do (generatorRef). */
export class UnsupportedSourceError extends Error {}

/** The template failed; the message names keys, never values. */
export class TemplateFailedError extends Error {}

function decode(secret: SecretWire): SourceSecret {
  const data = new Map(
    Object.entries(secret.data ?? {}).map(([k, v]) => [
      k,
      new Uint8Array(Buffer.from(v, 'base64')),
    ]),
  );
  return {
    name: secret.metadata.name ?? '',
    data,
    type: secret.type,
    labels: { ...secret.metadata.labels },
    annotations: { ...secret.metadata.annotations },
  };
}

/** The source Secrets, sorted by name, without the template applied. */
export async function readSources(client: KubeClient, ps: PushSecret): Promise<SourceSecret[]> {
  const namespace = ps.metadata.namespace ?? 'default';
  const selector = ps.spec.selector;
  if (selector.secret?.name) {
    const secret = await client.get<SecretWire>(Resources.Secret, {
      namespace,
      name: selector.secret.name,
    });
    if (!secret) throw new SourceNotFoundError(`secrets "${selector.secret.name}" not found`);
    return [decode(secret)];
  }
  if (selector.generatorRef)
    throw new UnsupportedSourceError(
      `selector.generatorRef is not supported by Ferry: push from a Secret (selector.secret) instead`,
    );
  if (selector.secret?.selector) {
    const { items } = await client.list<SecretWire>(Resources.Secret, {
      namespace,
      labelSelector: labelSelectorQuery(selector.secret.selector),
    });
    return items.map(decode).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  throw new UnsupportedSourceError('no secret selector provided');
}

/** templateFrom ConfigMaps and Secrets, read from the PushSecret's namespace. */
export async function readTemplateSources(
  client: KubeClient,
  namespace: string,
  template: SecretTemplate | undefined,
): Promise<TemplateSources> {
  const names = templateSourceNames(template);
  const configMaps = new Map<string, Record<string, string>>();
  const secrets = new Map<string, Map<string, Uint8Array>>();
  for (const name of names.configMaps) {
    const cm = await client.get<KubeObject & { data?: Record<string, string> }>(
      Resources.ConfigMap,
      { namespace, name },
    );
    if (cm) configMaps.set(name, cm.data ?? {});
  }
  for (const name of names.secrets) {
    const s = await client.get<SecretWire>(Resources.Secret, { namespace, name });
    if (s) secrets.set(name, decode(s).data);
  }
  return { configMaps, secrets };
}

/**
 * ESO `applyTemplate`: templateFrom, then template.data, over a copy of the source data; the
 * rendered keys are added to (or replace) the source keys, and rendered labels and annotations
 * to the source's. Nothing is written back to the source Secret.
 */
export function applyTemplate(
  source: SourceSecret,
  template: SecretTemplate | undefined,
  ctx: { engine: TemplateEngine; sources: TemplateSources },
): SourceSecret {
  if (!template) return source;
  // ESO `setMetadata`: the template's type replaces the source's, its labels/annotations are
  // merged in (then rendered over) — in memory only.
  const target = {
    data: new Map(source.data),
    labels: { ...source.labels, ...template.metadata?.labels },
    annotations: { ...source.annotations, ...template.metadata?.annotations },
  };
  try {
    renderTemplate(template, target, {
      engine: ctx.engine,
      data: new Map(source.data),
      sources: ctx.sources,
    });
  } catch (error) {
    throw new TemplateFailedError(messageOf(error), { cause: error });
  }
  return { ...source, type: template.type, ...target };
}
