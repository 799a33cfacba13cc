/**
 * A small builder for the OpenAPI v3 subset that Kubernetes accepts in a structural CRD schema.
 * Schemas are plain data so the CRD generator, the defaulter and the validator all read one source.
 */

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  items?: Schema;
  enum?: readonly (string | number)[];
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  /** Only in the int-or-string pattern the API server requires: `[{type: integer}, {type: string}]`. */
  anyOf?: Schema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  /** CEL rules the API server evaluates (ESO declares a few; Ferry's validator checks them in TS). */
  'x-kubernetes-validations'?: CelRule[];
}

export interface CelRule {
  rule: string;
  message: string;
}

/** Options shared by every builder: a description and, where the API server fills one in, a default. */
export interface Common {
  description?: string;
  default?: unknown;
}

function withCommon(schema: Schema, opts: Common | undefined): Schema {
  if (opts?.description !== undefined) schema.description = opts.description;
  if (opts?.default !== undefined) schema.default = opts.default;
  return schema;
}

export interface StringOptions extends Common {
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
}

export function str(opts?: StringOptions): Schema {
  const { description, default: def, ...rest } = opts ?? {};
  return withCommon({ type: 'string', ...rest }, { description, default: def });
}

/** A string limited to the listed values. */
export function oneOf(values: readonly string[], opts?: Common): Schema {
  return withCommon({ type: 'string', enum: [...values] }, opts);
}

export function bool(opts?: Common): Schema {
  return withCommon({ type: 'boolean' }, opts);
}

export function int32(opts?: Common & { minimum?: number; maximum?: number }): Schema {
  const { description, default: def, ...rest } = opts ?? {};
  return withCommon({ type: 'integer', format: 'int32', ...rest }, { description, default: def });
}

export function int64(opts?: Common): Schema {
  return withCommon({ type: 'integer', format: 'int64' }, opts);
}

export interface ObjectOptions extends Common {
  required?: readonly string[];
  rules?: readonly CelRule[];
  minProperties?: number;
  maxProperties?: number;
  atomic?: boolean;
}

export function obj(properties: Record<string, Schema>, opts?: ObjectOptions): Schema {
  const { required, rules, atomic, description, default: def, ...counts } = opts ?? {};
  const schema: Schema = { type: 'object', properties, ...counts };
  if (required !== undefined && required.length > 0) schema.required = [...required];
  if (atomic === true) schema['x-kubernetes-map-type'] = 'atomic';
  if (rules !== undefined) schema['x-kubernetes-validations'] = [...rules];
  return withCommon(schema, { description, default: def });
}

/** CEL: exactly one of the listed fields is set. */
export function exactlyOneOf(fields: readonly string[]): CelRule {
  return {
    rule: `[${fields.map((f) => `has(self.${f})`).join(',')}].filter(x,x==true).size() == 1`,
    message: `exactly one of the fields in [${fields.join(' ')}] must be set`,
  };
}

/** CEL: at most one of the listed fields is set. */
export function atMostOneOf(fields: readonly string[]): CelRule {
  return {
    rule: `[${fields.map((f) => `has(self.${f})`).join(',')}].filter(x,x==true).size() <= 1`,
    message: `at most one of the fields in [${fields.join(' ')}] may be set`,
  };
}

export function arr(
  items: Schema,
  opts?: Common & { minItems?: number; atomic?: boolean },
): Schema {
  const schema: Schema = { type: 'array', items };
  if (opts?.minItems !== undefined) schema.minItems = opts.minItems;
  if (opts?.atomic === true) schema['x-kubernetes-list-type'] = 'atomic';
  return withCommon(schema, opts);
}

/** A map with string keys and values of one schema (a Go `map[string]T`). */
export function mapOf(values: Schema, opts?: Common): Schema {
  return withCommon({ type: 'object', additionalProperties: values }, opts);
}

/** A free-form object kept as is (provider blocks Ferry does not type, raw JSON metadata). */
export function freeform(opts?: Common): Schema {
  return withCommon({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, opts);
}

/** Any JSON value (Go `apiextensionsv1.JSON`): the one place a structural schema may omit `type`. */
export function anyJson(opts?: Common): Schema {
  return withCommon({ 'x-kubernetes-preserve-unknown-fields': true }, opts);
}

/** A Go `metav1.Duration`: a duration string such as `1h30m`. */
export function duration(opts?: Common): Schema {
  return withCommon({ type: 'string' }, opts);
}

/** A Go `metav1.Time`, serialised as RFC 3339. */
export function time(opts?: Common & { nullable?: boolean }): Schema {
  const schema: Schema = { type: 'string', format: 'date-time' };
  if (opts?.nullable === true) schema.nullable = true;
  return withCommon(schema, opts);
}

/** A Go `intstr.IntOrString`. */
export function intOrString(opts?: Common): Schema {
  return withCommon(
    { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
    opts,
  );
}

/** A Go `[]byte`: base64 text in JSON. */
export function bytes(opts?: Common): Schema {
  return withCommon({ type: 'string', format: 'byte' }, opts);
}

/** Returns a copy of `schema` with a description set (handy when a shared schema is reused). */
export function describe(schema: Schema, description: string): Schema {
  return { ...schema, description };
}

/** Returns a copy of an object schema with extra required keys. */
export function requireKeys(schema: Schema, keys: readonly string[]): Schema {
  return { ...schema, required: [...(schema.required ?? []), ...keys] };
}
