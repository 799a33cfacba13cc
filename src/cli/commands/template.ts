/**
 * `ferry template`: render an ExternalSecret's or PushSecret's template offline, the way
 * `esoctl template` does (reference/eso.md §8): templateFrom, then data, labels, annotations,
 * over a secret-data file of base64 values; prints the resulting Secret as YAML.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, stringify } from 'yaml';
import type { Document } from 'yaml';
import type { SecretTemplate } from '../../api/types.ts';
import { InputError, UsageError } from '../../errors.ts';
import { TemplateError } from '../../template/errors.ts';
import { decodeValue } from '../../sync/decoding.ts';
import { messageOf } from '../../sync/errors.ts';
import { redactorFor } from '../../sync/redact.ts';
import { renderTemplate, templateSourceNames } from '../../sync/template/apply.ts';
import type { TemplateSources, TemplateTarget } from '../../sync/template/apply.ts';
import { goTemplateEngine } from '../../sync/template/default-engine.ts';
import type { Command, CommandIO } from '../command.ts';

const USAGE =
  'ferry template --source-templated-object <file> --source-secret-data-file <file> ' +
  '[--template-from-config-map <file>] [--template-from-secret <file>] [--output <file>]';

const FLAGS = {
  '--source-templated-object': 'object',
  '--source-secret-data-file': 'data',
  '--template-from-config-map': 'configMap',
  '--template-from-secret': 'secret',
  '--output': 'output',
} as const;
type FlagName = keyof typeof FLAGS;
type Options = Partial<Record<(typeof FLAGS)[FlagName], string>> & { version?: boolean };

function isFlag(name: string): name is FlagName {
  return Object.hasOwn(FLAGS, name);
}

export function parseTemplateArgs(args: readonly string[]): Options {
  const out: Options = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--version') {
      out.version = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!isFlag(name)) throw new UsageError(`unknown flag ${arg}; usage: ${USAGE}`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '')
      throw new UsageError(`${name} needs a file; usage: ${USAGE}`);
    out[FLAGS[name]] = value;
  }
  return out;
}

interface LoadedYaml {
  doc: Document;
  lines: LineCounter;
  file: string;
}

async function loadYaml(file: string, cwd: string): Promise<LoadedYaml> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new InputError(
      `could not read ${file}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`,
      { cause: error },
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    // The parser's own message quotes source lines, which may hold secrets: name the spot only.
    throw new InputError(
      `${file}:${pos?.line ?? 0}:${pos?.col ?? 0}: invalid YAML (${first.code})`,
    );
  }
  return { doc, lines, file };
}

function where(y: LoadedYaml, node: unknown): string {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return y.file;
  const pos = y.lines.linePos(range[0]);
  return `${y.file}:${pos.line}:${pos.col}`;
}

/** One `key: <base64>` entry; null is empty bytes, as Go's []byte decoding does. */
function base64Entry(y: LoadedYaml, key: string, value: unknown, what: string): Uint8Array {
  if (isScalar(value) && value.value === null) return new Uint8Array();
  if (!isScalar(value) || typeof value.value !== 'string') {
    throw new InputError(`${where(y, value)}: ${what} key "${key}": value must be a base64 string`);
  }
  try {
    return decodeValue('Base64', new TextEncoder().encode(value.value));
  } catch (error) {
    throw new InputError(`${where(y, value)}: ${what} key "${key}": ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/** A YAML map of key → base64 (Go `map[string][]byte`), decoded; errors name key and line:column. */
function base64Map(y: LoadedYaml, node: unknown, what: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  if (node == null || (isScalar(node) && node.value === null)) return out;
  if (!isMap(node)) {
    throw new InputError(`${where(y, node)}: ${what} must be a map of key to base64 value`);
  }
  for (const item of node.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    out.set(key, base64Entry(y, key, item.value ?? item.key, what));
  }
  return out;
}

interface TemplatedObject {
  kind?: unknown;
  spec?: { template?: SecretTemplate; target?: { template?: SecretTemplate } };
}

/** Where each supported kind keeps its template (esoctl `fetchTemplateFromSourceObject`). */
const TEMPLATE_OF: Record<string, (o: TemplatedObject) => SecretTemplate | undefined> = {
  ExternalSecret: (o) => o.spec?.target?.template,
  PushSecret: (o) => o.spec?.template,
};

function templateOf(y: LoadedYaml): SecretTemplate {
  const obj = (y.doc.toJS() ?? {}) as TemplatedObject;
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const pick = Object.hasOwn(TEMPLATE_OF, kind) ? TEMPLATE_OF[kind] : undefined;
  if (!pick) throw new InputError(`${y.file}: unsupported template kind ${kind}`);
  const template = pick(obj);
  if (!template) throw new InputError(`${y.file}: the ${kind} has no template`);
  return template;
}

async function loadSources(
  opts: Options,
  template: SecretTemplate,
  cwd: string,
): Promise<TemplateSources> {
  const names = templateSourceNames(template);
  const sources: {
    configMaps: Map<string, Record<string, string>>;
    secrets: Map<string, Map<string, Uint8Array>>;
  } = {
    configMaps: new Map(),
    secrets: new Map(),
  };
  // Like esoctl, the given object stands in for every templateFrom reference of its kind.
  if (opts.configMap) {
    const y = await loadYaml(opts.configMap, cwd);
    const cm = (y.doc.toJS() as { data?: Record<string, unknown> } | null)?.data ?? {};
    const data = Object.fromEntries(
      Object.entries(cm).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]),
    );
    for (const name of names.configMaps) sources.configMaps.set(name, data);
  }
  if (opts.secret) {
    const y = await loadYaml(opts.secret, cwd);
    const data = base64Map(
      y,
      isMap(y.doc.contents) ? y.doc.contents.get('data', true) : undefined,
      'secret data',
    );
    for (const name of names.secrets) sources.secrets.set(name, data);
  }
  return sources;
}

function templateErrorIn(error: unknown): TemplateError | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    if (e instanceof TemplateError) return e;
  return undefined;
}

function renderFailure(error: unknown, redact: (s: string) => string): InputError {
  const te = templateErrorIn(error);
  const at = te
    ? ` (key ${JSON.stringify(te.templateName)}, line ${te.line}${te.column >= 0 ? `:${te.column}` : ''})`
    : '';
  return new InputError(redact(`could not render template: ${messageOf(error)}${at}`));
}

/** The Secret esoctl prints: data in base64, `creationTimestamp: null`, empty maps omitted. */
export function secretYaml(target: TemplateTarget): string {
  const sorted = <V>(entries: [string, V][]): Record<string, V> =>
    Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const out: Record<string, unknown> = {};
  if (target.data.size > 0)
    out.data = sorted([...target.data].map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  const metadata: Record<string, unknown> = {};
  if (Object.keys(target.annotations).length > 0)
    metadata.annotations = sorted(Object.entries(target.annotations));
  metadata.creationTimestamp = null;
  if (Object.keys(target.labels).length > 0)
    metadata.labels = sorted(Object.entries(target.labels));
  out.metadata = metadata;
  return stringify(out, { lineWidth: 0 });
}

async function versionText(): Promise<string> {
  const pkg = JSON.parse(
    await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return `version: ${pkg.version}\n`;
}

async function run(args: readonly string[], io: CommandIO): Promise<number> {
  const opts = parseTemplateArgs(args);
  if (opts.version) {
    io.stdout.write(await versionText());
    return 0;
  }
  if (!opts.object) throw new UsageError(`--source-templated-object is required; usage: ${USAGE}`);
  if (!opts.data) throw new UsageError(`--source-secret-data-file is required; usage: ${USAGE}`);
  const template = templateOf(await loadYaml(opts.object, io.cwd));
  const dataYaml = await loadYaml(opts.data, io.cwd);
  const data = base64Map(dataYaml, dataYaml.doc.contents, 'secret data');
  const sources = await loadSources(opts, template, io.cwd);
  const redact = redactorFor([
    ...data.values(),
    ...[...(sources.secrets?.values() ?? [])].flatMap((m) => [...m.values()]),
  ]);
  const target: TemplateTarget = { data: new Map(), labels: {}, annotations: {} };
  try {
    renderTemplate(template, target, { engine: goTemplateEngine(), data, sources });
  } catch (error) {
    throw renderFailure(error, redact);
  }
  const text = `${secretYaml(target)}\n`;
  if (opts.output) await writeFile(resolve(io.cwd, opts.output), text);
  else io.stdout.write(text);
  return 0;
}

export const templateCommand: Command = {
  name: 'template',
  summary: 'render an ExternalSecret or PushSecret template offline (esoctl-compatible)',
  usage: USAGE,
  run,
};
