import type { Schema } from './schema.ts';

/** Keywords the API server accepts in a CRD schema (everything else is a mistake in our builders). */
const ALLOWED_KEYS = new Set([
  'type',
  'description',
  'format',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'default',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-map-type',
  'x-kubernetes-list-type',
  'anyOf',
  'x-kubernetes-validations',
]);

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/**
 * Checks the rules that make a CRD schema structural (apiextensions.k8s.io/v1): every node has a
 * type unless it is int-or-string or preserves unknown fields, properties and additionalProperties
 * never meet, arrays have items, no forbidden keywords. Returns one message per problem.
 */
export function checkStructural(root: Schema, at = ''): string[] {
  const problems: string[] = [];
  if (at === '' && root.type !== 'object') problems.push('<root>: the root must be of type object');
  walk(root, at === '' ? '<root>' : at, problems);
  return problems;
}

function walk(node: Schema, at: string, problems: string[]): void {
  checkKeywords(node, at, problems);
  checkIntOrString(node, at, problems);
  if (node.type === undefined) checkUntyped(node, at, problems);
  else checkTyped(node, node.type, at, problems);
  checkFields(node, at, problems);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    walk(child, `${at}.${name}`, problems);
  }
  if (node.additionalProperties) walk(node.additionalProperties, `${at}[*]`, problems);
  if (node.items) walk(node.items, `${at}[]`, problems);
}

function checkFields(node: Schema, at: string, problems: string[]): void {
  if (node.properties && node.additionalProperties) {
    problems.push(`${at}: properties and additionalProperties are mutually exclusive`);
  }
  for (const key of node.required ?? []) {
    if (!node.properties || !Object.hasOwn(node.properties, key)) {
      problems.push(`${at}: required key "${key}" has no property schema`);
    }
  }
}

function checkKeywords(node: Schema, at: string, problems: string[]): void {
  for (const key of Object.keys(node)) {
    if (!ALLOWED_KEYS.has(key)) problems.push(`${at}: keyword "${key}" is not allowed`);
  }
  if (node['x-kubernetes-map-type'] !== undefined && node.type !== 'object') {
    problems.push(`${at}: x-kubernetes-map-type needs type object`);
  }
  if (node['x-kubernetes-list-type'] !== undefined && node.type !== 'array') {
    problems.push(`${at}: x-kubernetes-list-type needs type array`);
  }
  if (node.enum !== undefined && node.enum.length === 0)
    problems.push(`${at}: enum must not be empty`);
}

const INT_OR_STRING_ANY_OF = JSON.stringify([{ type: 'integer' }, { type: 'string' }]);

function checkIntOrString(node: Schema, at: string, problems: string[]): void {
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  if (intOrString && node.type !== undefined) {
    problems.push(`${at}: x-kubernetes-int-or-string must not set a type`);
  }
  // The API server accepts anyOf only in this one shape, and needs it on int-or-string nodes.
  const anyOfOk = JSON.stringify(node.anyOf) === INT_OR_STRING_ANY_OF;
  if (node.anyOf !== undefined && !(intOrString && anyOfOk)) {
    problems.push(`${at}: anyOf is only allowed as [integer, string] on int-or-string nodes`);
  }
  if (intOrString && !anyOfOk) {
    problems.push(
      `${at}: x-kubernetes-int-or-string needs anyOf [{type: integer}, {type: string}]`,
    );
  }
}

function checkUntyped(node: Schema, at: string, problems: string[]): void {
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!intOrString && !preserve) problems.push(`${at}: must have a type`);
  if (node.properties || node.items || node.additionalProperties) {
    problems.push(`${at}: a node without a type cannot describe fields or items`);
  }
}

function checkTyped(node: Schema, type: string, at: string, problems: string[]): void {
  if (!TYPES.has(type)) problems.push(`${at}: unknown type "${type}"`);
  if (type === 'array' && !node.items) problems.push(`${at}: arrays must have items`);
  if (type !== 'array' && node.items) problems.push(`${at}: items only on arrays`);
  if (type !== 'object') checkNotObject(node, at, problems);
}

function checkNotObject(node: Schema, at: string, problems: string[]): void {
  if (node.properties || node.additionalProperties) {
    problems.push(`${at}: properties only on objects`);
  }
  if (node['x-kubernetes-preserve-unknown-fields'] === true) {
    problems.push(`${at}: x-kubernetes-preserve-unknown-fields with a type needs type object`);
  }
}
