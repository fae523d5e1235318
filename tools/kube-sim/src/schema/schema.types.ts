/**
 * A structural schema node: the subset of OpenAPI v3 / CRD JSONSchemaProps the sandbox understands.
 * Built-in kinds get theirs from the client-node models, Istio kinds from the generated schemas, user
 * CRDs from their `openAPIV3Schema`. Nodes may form cycles (recursive built-in types).
 */
export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  format?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** Strategic merge patch metadata (built-ins only). */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
}

/** The schema used where nothing is known: keep everything, treat maps as granular and lists as atomic. */
export const UNTYPED: SchemaNode = { 'x-kubernetes-preserve-unknown-fields': true };

/** The schema of a field of an object node, or undefined when the field is unknown. */
export function fieldSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!node) return UNTYPED;
  const prop = node.properties?.[key];
  if (prop) return prop;
  if (typeof node.additionalProperties === 'object') return node.additionalProperties;
  if (node.additionalProperties === true || node['x-kubernetes-preserve-unknown-fields']) return UNTYPED;
  return undefined;
}

export function itemSchema(node: SchemaNode | undefined): SchemaNode {
  return node?.items ?? UNTYPED;
}

/** True for map-shaped nodes (additionalProperties) as opposed to structs with named fields. */
export function isMapNode(node: SchemaNode | undefined): boolean {
  return !!node && typeof node.additionalProperties === 'object' && !node.properties;
}

export type ListType = { kind: 'atomic' } | { kind: 'set' } | { kind: 'map'; keys: string[] };

/** Lists are atomic unless the schema says otherwise (structured-merge-diff's default). */
export function listTypeOf(node: SchemaNode | undefined): ListType {
  const t = node?.['x-kubernetes-list-type'];
  if (t === 'set') return { kind: 'set' };
  if (t === 'map') return { kind: 'map', keys: node?.['x-kubernetes-list-map-keys'] ?? [] };
  return { kind: 'atomic' };
}

export function isAtomicMap(node: SchemaNode | undefined): boolean {
  return node?.['x-kubernetes-map-type'] === 'atomic';
}
