/**
 * ESO's ExternalSecret templating layer (eso.md §3.2–§3.5; runtime/template/v2 `Execute`,
 * pkg/controllers/templating `Parser`, `ApplyTemplate`). Renders template.data, templateFrom and
 * template.metadata over the provider data and writes into a Secret-shaped target.
 */
import type { DecodingStrategy, SecretTemplate, TemplateFrom } from '../../api/types.ts';
import { decodeValue } from '../decoding.ts';
import { messageOf, SyncError } from '../errors.ts';
import { sortedEntries } from '../order.ts';
import { goStringBytes, goStringFromBytes } from '../../template/gostr.ts';
import type { TemplateEngine } from './engine.ts';
import { parseKeysAndValues } from './keys-and-values.ts';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The parts of a Secret a template may write. Mutated in place. */
export interface TemplateTarget {
  data: Map<string, Uint8Array>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** templateFrom objects, looked up by name (the caller reads them from the ES namespace). */
export interface TemplateSources {
  configMaps?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  secrets?: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>;
}

export interface TemplateContext {
  engine: TemplateEngine;
  /** Provider data: the only context every render sees (ESO passes `map[string]string`). */
  data: ReadonlyMap<string, Uint8Array>;
  sources?: TemplateSources;
  leftDelim?: string;
  rightDelim?: string;
}

/** Go `string([]byte)` for the template context: bytes that are not UTF-8 are kept (escaped). */
export function templateData(data: ReadonlyMap<string, Uint8Array>): Map<string, string> {
  return new Map([...data].map(([k, v]) => [k, goStringFromBytes(v)]));
}

type TargetKind = 'data' | 'labels' | 'annotations';

/** Secret targets are matched case-insensitively; empty means Data (the CRD default). */
export function secretTargetOf(target: string | undefined): TargetKind {
  switch ((target ?? '').toLowerCase()) {
    case '':
    case 'data':
      return 'data';
    case 'labels':
      return 'labels';
    case 'annotations':
      return 'annotations';
    default:
      throw new SyncError(
        `templateFrom target=${JSON.stringify(target)} is not allowed when targeting a Secret, must be one of "Data", "Annotations" or "Labels"`,
      );
  }
}

function applyToTarget(
  target: TemplateTarget,
  kind: TargetKind,
  key: string,
  value: Uint8Array,
): void {
  if (kind === 'data') target.data.set(key, value);
  else target[kind][key] = utf8Decoder.decode(value);
}

class Renderer {
  readonly #strData: Map<string, string>;
  constructor(readonly ctx: TemplateContext) {
    this.#strData = templateData(ctx.data);
  }

  /** ESO `execute`: parse/exec errors wrapped with the key, as Go's Errorf(errParse/errExecute). */
  render(name: string, text: string): Uint8Array {
    try {
      const out = this.ctx.engine.render(text, this.#strData, {
        name,
        missingKeyError: true,
        ...(this.ctx.leftDelim !== undefined ? { leftDelim: this.ctx.leftDelim } : {}),
        ...(this.ctx.rightDelim !== undefined ? { rightDelim: this.ctx.rightDelim } : {}),
      });
      // The engine returns a Go string; its bytes are the Secret value, exactly as Go writes them.
      return goStringBytes(out);
    } catch (error) {
      const phase = (error as { phase?: string }).phase;
      const verb = phase === 'parse' ? 'parse' : 'execute';
      throw new SyncError(`unable to ${verb} template at key ${name}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }
}

function decodeRendered(
  strategy: DecodingStrategy | undefined,
  key: string,
  value: Uint8Array,
): Uint8Array {
  try {
    return decodeValue(strategy, value);
  } catch (error) {
    throw new SyncError(
      `failed to decode rendered template value for key ${key}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/** ESO `valueScopeApply`: each value is a template whose output lands under its key. */
function valueScopeApply(
  r: Renderer,
  templates: ReadonlyMap<string, string>,
  target: TemplateTarget,
  opts: { kind: TargetKind; decoding?: DecodingStrategy | undefined },
): void {
  for (const [key, text] of sortedEntries(templates)) {
    let rendered: Uint8Array;
    try {
      rendered = r.render(key, text);
    } catch (error) {
      throw new SyncError(`unable to execute template at key ${key}: ${messageOf(error)}`, {
        cause: error,
      });
    }
    applyToTarget(target, opts.kind, key, decodeRendered(opts.decoding, key, rendered));
  }
}

/** ESO `mapScopeApply`: the rendered text is YAML giving both keys and values. */
function mapScopeApply(
  r: Renderer,
  text: string,
  target: TemplateTarget,
  opts: { kind: TargetKind; decoding?: DecodingStrategy | undefined },
): void {
  let rendered: Uint8Array;
  try {
    rendered = r.render(text, text);
  } catch (error) {
    throw new SyncError(`unable to execute template at key ${text}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let pairs: Map<string, string>;
  try {
    pairs = parseKeysAndValues(utf8Decoder.decode(rendered));
  } catch (error) {
    throw new SyncError(
      `could not unmarshal template to 'map[string][]byte': ${messageOf(error)}`,
      { cause: error },
    );
  }
  for (const [key, value] of pairs) {
    applyToTarget(target, opts.kind, key, decodeRendered(opts.decoding, key, utf8.encode(value)));
  }
}

/** ESO `Execute(tpl, data, scope, target, secret, decoding)`. */
function executeScope(
  r: Renderer,
  templates: ReadonlyMap<string, string>,
  target: TemplateTarget,
  opts: {
    scope?: string | undefined;
    target?: string | undefined;
    decoding?: DecodingStrategy | undefined;
  },
): void {
  const scope = opts.scope;
  const kind = secretTargetOf(opts.target);
  if (scope === 'KeysAndValues') {
    for (const text of templates.values())
      mapScopeApply(r, text, target, { kind, decoding: opts.decoding });
    return;
  }
  if (scope === 'Values' || scope === undefined) {
    valueScopeApply(r, templates, target, { kind, decoding: opts.decoding });
    return;
  }
  throw new SyncError(`unknown scope '${scope}': expected 'Values' or 'KeysAndValues'`);
}

function mergeConfigMap(r: Renderer, tpl: TemplateFrom, target: TemplateTarget): void {
  const ref = tpl.configMap;
  if (!ref) return;
  const cm = r.ctx.sources?.configMaps?.get(ref.name);
  if (!cm) throw new SyncError(`configmaps "${ref.name}" not found`);
  for (const item of ref.items) {
    const val = cm[item.key];
    if (val === undefined)
      throw new SyncError(`error in configmap ${ref.name}: missing key ${item.key}`);
    const scope = item.templateAs ?? 'Values';
    const templates = new Map([[scope === 'KeysAndValues' ? val : item.key, val]]);
    executeScope(r, templates, target, {
      scope,
      target: tpl.target,
      decoding: tpl.valuesDecodingStrategy,
    });
  }
}

function mergeSecret(r: Renderer, tpl: TemplateFrom, target: TemplateTarget): void {
  const ref = tpl.secret;
  if (!ref) return;
  const secret = r.ctx.sources?.secrets?.get(ref.name);
  if (!secret) throw new SyncError(`secrets "${ref.name}" not found`);
  for (const item of ref.items) {
    const raw = secret.get(item.key);
    if (raw === undefined)
      throw new SyncError(`error in secret ${ref.name}: missing key ${item.key}`);
    const val = utf8Decoder.decode(raw);
    const scope = item.templateAs ?? 'Values';
    const templates = new Map([[scope === 'KeysAndValues' ? val : item.key, val]]);
    executeScope(r, templates, target, {
      scope,
      target: tpl.target,
      decoding: tpl.valuesDecodingStrategy,
    });
  }
}

/** ESO `Parser.MergeTemplateFrom`: per entry configMap, then secret, then literal. */
function mergeTemplateFrom(r: Renderer, template: SecretTemplate, target: TemplateTarget): void {
  for (const tpl of template.templateFrom ?? []) {
    mergeConfigMap(r, tpl, target);
    mergeSecret(r, tpl, target);
    if (tpl.literal !== undefined) {
      executeScope(r, new Map([[tpl.literal, tpl.literal]]), target, {
        scope: 'KeysAndValues',
        target: tpl.target,
        decoding: tpl.valuesDecodingStrategy,
      });
    }
  }
}

/** ESO `Parser.MergeMap`: Values scope, no decoding, wrapped as `could not execute template`. */
function mergeMap(
  r: Renderer,
  templates: Readonly<Record<string, string>> | undefined,
  kind: string,
  target: TemplateTarget,
): void {
  try {
    executeScope(r, new Map(Object.entries(templates ?? {})), target, {
      scope: 'Values',
      target: kind,
      decoding: 'None',
    });
  } catch (error) {
    throw new SyncError(`could not execute template: ${messageOf(error)}`, { cause: error });
  }
}

/** ESO `ValidateSecretTemplate`: privileged types and templateFrom targets (errors joined by \n). */
function privilegedTemplateError(template: SecretTemplate): string | undefined {
  const sat = 'kubernetes.io/service-account-token';
  if (template.type === 'bootstrap.kubernetes.io/token')
    return `template.type="${template.type}" is not allowed`;
  if (template.type !== sat) return undefined;
  if (
    template.metadata?.annotations &&
    'kubernetes.io/service-account.name' in template.metadata.annotations
  ) {
    return `template.type="${sat}" with annotation "kubernetes.io/service-account.name" is not allowed`;
  }
  if (
    (template.templateFrom ?? []).some((tf) => (tf.target ?? '').toLowerCase() === 'annotations')
  ) {
    return `template.type="${sat}" with templateFrom target="Annotations" is not allowed`;
  }
  return undefined;
}

export function validateSecretTemplate(template: SecretTemplate | undefined): void {
  if (!template) return;
  const errors: string[] = [];
  const privileged = privilegedTemplateError(template);
  if (privileged !== undefined) errors.push(privileged);
  for (const tf of template.templateFrom ?? []) {
    try {
      secretTargetOf(tf.target);
    } catch (error) {
      errors.push(messageOf(error));
    }
  }
  if (errors.length > 0) throw new SyncError(errors.join('\n'));
}

/**
 * Renders a template into `target` in ESO's precedence (§3.5 steps 7–9): templateFrom entries
 * in order, then template.data, then metadata labels, then annotations. The caller has already
 * inserted provider data when mergePolicy=Merge or the template has no data/templateFrom.
 */
export function renderTemplate(
  template: SecretTemplate,
  target: TemplateTarget,
  ctx: TemplateContext,
): void {
  const version: string | undefined = template.engineVersion;
  if (version !== undefined && version !== 'v2') {
    throw new SyncError(`unsupported template engine version: ${version}`);
  }
  const r = new Renderer(ctx);
  try {
    mergeTemplateFrom(r, template, target);
  } catch (error) {
    throw new SyncError(`error fetching templateFrom data: ${messageOf(error)}`, { cause: error });
  }
  const wrapExec = (step: () => void): void => {
    try {
      step();
    } catch (error) {
      throw new SyncError(`could not execute template: ${messageOf(error)}`, { cause: error });
    }
  };
  wrapExec(() => {
    mergeMap(r, template.data, 'Data', target);
  });
  wrapExec(() => {
    mergeMap(r, template.metadata?.labels, 'Labels', target);
  });
  wrapExec(() => {
    mergeMap(r, template.metadata?.annotations, 'Annotations', target);
  });
}

/** True when provider data is copied in before rendering (§3.5 step 6). */
export function includesProviderData(template: SecretTemplate): boolean {
  const noTemplates =
    Object.keys(template.data ?? {}).length === 0 && (template.templateFrom ?? []).length === 0;
  return template.mergePolicy === 'Merge' || noTemplates;
}

/** The templateFrom objects a template reads, so callers can fetch them first. */
export function templateSourceNames(template: SecretTemplate | undefined): {
  configMaps: string[];
  secrets: string[];
} {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const tf of template?.templateFrom ?? []) {
    if (tf.configMap) configMaps.add(tf.configMap.name);
    if (tf.secret) secrets.add(tf.secret.name);
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}
