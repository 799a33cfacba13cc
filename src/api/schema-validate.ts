import type { Schema } from './schema.ts';
import type { IssueList, Segments } from './issues.ts';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Short, safe rendering of a value in a message: only for identifiers, never for secret data. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: NonNullable<Schema['type']>): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Length in Unicode code points, as Go's utf8.RuneCountInString counts for minLength/maxLength. */
function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function checkString(value: string, schema: Schema, at: Segments, out: IssueList): void {
  checkLength(value, schema, at, out);
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    out.error(at, `Invalid value: ${show(value)}: must match '${schema.pattern}'`);
  }
  // Values here may be secret material (caBundle is not, but keep the rule simple): no echo.
  if (schema.format === 'byte' && !BASE64.test(value.replace(/\s/g, ''))) {
    out.error(at, 'Invalid value: must be base64-encoded data');
  }
  if (schema.format === 'date-time' && !RFC3339.test(value)) {
    out.error(at, `Invalid value: ${show(value)}: must be an RFC 3339 date-time`);
  }
}

function checkLength(value: string, schema: Schema, at: Segments, out: IssueList): void {
  const length = runeCount(value);
  if (schema.minLength !== undefined && length < schema.minLength) {
    out.error(
      at,
      `Invalid value: ${show(value)}: must be at least ${schema.minLength} characters long`,
    );
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    out.error(
      at,
      `Invalid value: must be at most ${schema.maxLength} characters long, got ${length}`,
    );
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: Schema,
  at: Segments,
  out: IssueList,
): void {
  const present = Object.keys(value).filter((k) => value[k] !== null && value[k] !== undefined);
  for (const key of schema.required ?? []) {
    if (!present.includes(key)) out.error([...at, key], 'Required value');
  }
  checkPropertyCount(present, schema, at, out);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of present) {
    const prop = schema.properties?.[key] ?? schema.additionalProperties;
    if (prop) validateSchema(value[key], prop, [...at, key], out);
    else if (!preserve) out.error([...at, key], `unknown field ${JSON.stringify(key)}`);
  }
}

function exactlyOne(present: string[], schema: Schema, at: Segments, out: IssueList): void {
  const options = Object.keys(schema.properties ?? {});
  const found = present.length === 0 ? 'none' : present.join(', ');
  const hint = options.length <= 6 ? ` (one of ${options.join(', ')})` : '';
  out.error(at, `must set exactly one field${hint}, found ${present.length}: ${found}`);
}

function checkPropertyCount(present: string[], schema: Schema, at: Segments, out: IssueList): void {
  const { minProperties: min, maxProperties: max } = schema;
  const n = present.length;
  if (min === 1 && max === 1) {
    if (n !== 1) exactlyOne(present, schema, at, out);
    return;
  }
  if (min !== undefined && n < min) out.error(at, `must have at least ${min} field(s), found ${n}`);
  if (max !== undefined && n > max)
    out.error(at, `must have at most ${max} field(s), found ${n}: ${present.join(', ')}`);
}

function checkArray(value: unknown[], schema: Schema, at: Segments, out: IssueList): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    out.error(at, `must have at least ${schema.minItems} item(s)`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.error(at, `must have at most ${schema.maxItems} item(s)`);
  }
  if (schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      validateSchema(item, items, [...at, i], out);
    });
  }
}

function checkNumber(value: number, schema: Schema, at: Segments, out: IssueList): void {
  if (schema.format === 'int32' && (value < -(2 ** 31) || value >= 2 ** 31)) {
    out.error(at, `Invalid value: ${value}: must fit in a 32-bit integer`);
  }
  if (schema.minimum !== undefined && value < schema.minimum) {
    out.error(at, `Invalid value: ${value}: must be at least ${schema.minimum}`);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    out.error(at, `Invalid value: ${value}: must be at most ${schema.maximum}`);
  }
}

/**
 * Validates `value` against one of our structural schemas, reporting Kubernetes-style messages.
 * Nulls count as absent (the API server drops them before validation) and unknown fields are
 * errors, as with `kubectl apply --validate=strict`.
 */
export function validateSchema(value: unknown, schema: Schema, at: Segments, out: IssueList): void {
  if (value === null || value === undefined) return;
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeOf(value) !== 'integer' && typeof value !== 'string') {
      out.error(at, `Invalid value: "${typeOf(value)}": must be an integer or a string`);
    }
    return;
  }
  if (schema.type === undefined) return;
  if (!typeMatches(value, schema.type)) {
    out.error(at, `Invalid value: "${typeOf(value)}": must be of type ${schema.type}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string | number)) {
    const supported = schema.enum.map((e) => JSON.stringify(e)).join(', ');
    out.error(at, `Unsupported value: ${show(value)}: supported values: ${supported}`);
  }
  checkByType(value, schema, at, out);
}

function checkByType(value: unknown, schema: Schema, at: Segments, out: IssueList): void {
  if (typeof value === 'string') checkString(value, schema, at, out);
  else if (typeof value === 'number') checkNumber(value, schema, at, out);
  else if (Array.isArray(value)) checkArray(value, schema, at, out);
  else if (isPlainObject(value)) checkObject(value, schema, at, out);
}
