import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../api/object.types.js';
import { fieldInvalid, fieldRequired, formatGoValue, type FieldError } from '../api/status.util.js';
import { fieldSchema, itemSchema, listTypeOf, type SchemaNode } from './schema.types.js';

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function preserves(node: SchemaNode | undefined): boolean {
  return !!node?.['x-kubernetes-preserve-unknown-fields'];
}

/**
 * Removes fields the schema does not declare (CRD pruning; for built-ins, what decoding into Go
 * structs does) and reports each one's path (`spec.http[0].foo`), in document order.
 */
export function pruneUnknownFields(
  value: JsonValue,
  node: SchemaNode | undefined,
  path: string,
  unknown: string[],
): void {
  if (!node) return;
  if (Array.isArray(value)) {
    const items = itemSchema(node);
    value.forEach((item, i) => pruneUnknownFields(item, items, `${path}[${i}]`, unknown));
    return;
  }
  if (!isJsonObject(value)) return;
  const embedded = node['x-kubernetes-embedded-resource'];
  for (const key of Object.keys(value)) {
    if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    const child = fieldSchema(node, key);
    if (child === undefined) {
      if (preserves(node)) continue;
      unknown.push(join(path, key));
      delete value[key];
      continue;
    }
    // A null for a non-nullable field means "unset" (Go zero values; CRD pruning drops them too),
    // e.g. the `creationTimestamp: null` kubectl-generated manifests carry.
    if (value[key] === null && !child.nullable && !preserves(child) && child.type !== undefined) {
      delete value[key];
      continue;
    }
    pruneUnknownFields(value[key]!, child, join(path, key), unknown);
  }
}

function typeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: JsonValue, node: SchemaNode): boolean {
  if (node['x-kubernetes-int-or-string'])
    return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  switch (node.type) {
    case undefined:
      return true;
    case 'object':
      return isJsonObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
  }
}

export interface TypeMismatch {
  path: string;
  expected: string;
  actual: string;
  value: JsonValue;
}

/** Values whose JSON type differs from the schema (nulls are allowed: they mean "unset"). */
export function typeMismatches(
  value: JsonValue,
  node: SchemaNode | undefined,
  path: string,
  out: TypeMismatch[],
): void {
  if (!node || value === null) return;
  if (!typeMatches(value, node)) {
    const expected = node['x-kubernetes-int-or-string'] ? 'integer or string' : node.type!;
    out.push({ path, expected, actual: typeName(value), value });
    return;
  }
  if (Array.isArray(value))
    value.forEach((v, i) => typeMismatches(v, itemSchema(node), `${path}[${i}]`, out));
  else if (isJsonObject(value))
    for (const [k, v] of Object.entries(value)) {
      const child = fieldSchema(node, k);
      if (child) typeMismatches(v, child, join(path, k), out);
    }
}

/** Fills `default` values of absent fields, recursing into present objects and list items. */
export function applyDefaults(value: JsonValue, node: SchemaNode | undefined): void {
  if (!node) return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(item, node.items);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, prop] of Object.entries(node.properties ?? {})) {
    if (value[key] === undefined && prop.default !== undefined)
      value[key] = structuredClone(prop.default) as JsonValue;
    if (value[key] !== undefined) applyDefaults(value[key]!, prop);
  }
  if (typeof node.additionalProperties === 'object')
    for (const [key, v] of Object.entries(value))
      if (!node.properties?.[key]) applyDefaults(v, node.additionalProperties);
}

const patterns = new Map<string, RegExp | null>();

/** CRD patterns are ECMA-262-ish; one JavaScript cannot compile is skipped rather than failing the write. */
function compilePattern(source: string): RegExp | undefined {
  let re = patterns.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, 'u');
    } catch {
      re = null;
    }
    patterns.set(source, re);
  }
  return re ?? undefined;
}

function validateScalar(value: JsonValue, node: SchemaNode, path: string, errors: FieldError[]): void {
  const inBody = (detail: string) => fieldInvalid(path, value, `${path} in body ${detail}`);
  if (node.enum && !node.enum.some((e) => jsonEqual(e as JsonValue, value)))
    errors.push({
      field: path,
      type: 'FieldValueNotSupported',
      message: `${formatGoValue(value)}: supported values: ${node.enum.map((e) => formatGoValue(e)).join(', ')}`,
    });
  if (typeof value === 'string') {
    const pattern = node.pattern === undefined ? undefined : compilePattern(node.pattern);
    if (pattern && !pattern.test(value)) errors.push(inBody(`should match '${node.pattern}'`));
    if (node.maxLength !== undefined && value.length > node.maxLength)
      errors.push({
        field: path,
        type: 'FieldValueTooLong',
        message: `may not be more than ${node.maxLength} bytes`,
      });
    if (node.minLength !== undefined && value.length < node.minLength)
      errors.push(inBody(`should be at least ${node.minLength} chars long`));
  }
  if (typeof value === 'number') {
    if (node.minimum !== undefined && (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum))
      errors.push(
        inBody(`should be greater than ${node.exclusiveMinimum ? '' : 'or equal to '}${node.minimum}`),
      );
    if (node.maximum !== undefined && (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum))
      errors.push(
        inBody(`should be less than ${node.exclusiveMaximum ? '' : 'or equal to '}${node.maximum}`),
      );
  }
}

function validateList(value: JsonValue[], node: SchemaNode, path: string, errors: FieldError[]): void {
  if (node.maxItems !== undefined && value.length > node.maxItems)
    errors.push({
      field: path,
      type: 'FieldValueTooMany',
      message: `${value.length}: must have at most ${node.maxItems} items`,
    });
  if (node.minItems !== undefined && value.length < node.minItems)
    errors.push(
      fieldInvalid(path, value.length, `${path} in body should have at least ${node.minItems} items`),
    );
  const lt = listTypeOf(node);
  if (lt.kind !== 'atomic') {
    const seen: JsonValue[] = [];
    value.forEach((item, i) => {
      const key: JsonValue =
        lt.kind === 'set'
          ? item
          : isJsonObject(item)
            ? Object.fromEntries(lt.keys.map((k) => [k, item[k] ?? null]))
            : item;
      if (seen.some((s) => jsonEqual(s, key)))
        errors.push({ field: `${path}[${i}]`, type: 'FieldValueDuplicate', message: formatGoValue(key) });
      seen.push(key);
    });
  }
  value.forEach((item, i) => validateStructural(item, itemSchema(node), `${path}[${i}]`, errors));
}

/** OpenAPI v3 validation of a custom resource, with the field error texts kube-apiserver uses. */
export function validateStructural(
  value: JsonValue,
  node: SchemaNode | undefined,
  path: string,
  errors: FieldError[],
): void {
  if (!node) return;
  if (value === null) {
    if (!node.nullable && node.type)
      errors.push(fieldInvalid(path, 'null', `${path} in body must be of type ${node.type}: "null"`));
    return;
  }
  if (!typeMatches(value, node)) {
    const expected = node['x-kubernetes-int-or-string'] ? 'integer,string' : node.type!;
    errors.push(
      fieldInvalid(
        path,
        typeName(value),
        `${path} in body must be of type ${expected}: ${JSON.stringify(typeName(value))}`,
      ),
    );
    return;
  }
  if (Array.isArray(value)) return validateList(value, node, path, errors);
  if (!isJsonObject(value)) return validateScalar(value, node, path, errors);
  for (const req of node.required ?? [])
    if (value[req] === undefined) errors.push(fieldRequired(join(path, req)));
  if (node.maxProperties !== undefined && Object.keys(value).length > node.maxProperties)
    errors.push({
      field: path,
      type: 'FieldValueTooMany',
      message: `${Object.keys(value).length}: must have at most ${node.maxProperties} items`,
    });
  for (const [k, v] of Object.entries(value)) {
    const child =
      node.properties?.[k] ??
      (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    if (child) validateStructural(v, child, join(path, k), errors);
  }
}

/** Field errors of a structural schema itself (every node typed unless it preserves or is int-or-string). */
export function structuralErrors(node: JsonValue | undefined, path: string, errors: FieldError[]): void {
  if (!isJsonObject(node)) return;
  const hasType = typeof node['type'] === 'string' && node['type'] !== '';
  const exempt =
    node['x-kubernetes-int-or-string'] === true || node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!hasType && !exempt)
    errors.push(fieldRequired(`${path}.type`, 'must not be empty for specified object fields'));
  const props = node['properties'];
  if (isJsonObject(props))
    for (const [k, v] of Object.entries(props)) structuralErrors(v, `${path}.properties[${k}]`, errors);
  if (node['items'] !== undefined) structuralErrors(node['items'], `${path}.items`, errors);
  if (isJsonObject(node['additionalProperties']))
    structuralErrors(node['additionalProperties'], `${path}.additionalProperties`, errors);
}

/** Reads a CRD `openAPIV3Schema` (plain JSON) as a schema node. */
export function schemaFromJson(json: JsonObject): SchemaNode {
  return json as unknown as SchemaNode;
}
