import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../api/object.types.js';
import {
  fieldSchema,
  isAtomicMap,
  itemSchema,
  listTypeOf,
  UNTYPED,
  type ListType,
  type SchemaNode,
} from '../schema/schema.types.js';
import { FieldSet, keyElement, valueElement } from './field-set.util.js';

function childSchema(node: SchemaNode | undefined, key: string): SchemaNode {
  return fieldSchema(node, key) ?? UNTYPED;
}

/** Fills missing key fields of an associative-list item from their schema defaults (protocol: TCP). */
function keyOf(item: JsonObject, keys: string[], items: SchemaNode): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) {
    const v = item[k] ?? (items.properties?.[k]?.default as JsonValue | undefined);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function itemElement(item: JsonValue, lt: ListType, items: SchemaNode, index: number): string {
  switch (lt.kind) {
    case 'set':
      return valueElement(item);
    case 'map':
      return isJsonObject(item) ? keyElement(keyOf(item, lt.keys, items), lt.keys) : `i:${index}`;
    case 'atomic':
      return `i:${index}`;
  }
}

function walkList(list: JsonValue[], node: SchemaNode, prefix: string[], set: FieldSet): void {
  const lt = listTypeOf(node);
  if (lt.kind === 'atomic') {
    set.insert(prefix);
    return;
  }
  const items = itemSchema(node);
  list.forEach((item, i) => {
    const path = [...prefix, itemElement(item, lt, items, i)];
    set.insert(path);
    if (lt.kind === 'map' && isJsonObject(item)) walkObject(item, items, path, set);
  });
}

function walkObject(obj: JsonObject, node: SchemaNode, prefix: string[], set: FieldSet): void {
  for (const [key, value] of Object.entries(obj)) {
    const child = childSchema(node, key);
    const path = [...prefix, `f:${key}`];
    if (Array.isArray(value)) walkList(value, child, path, set);
    else if (isJsonObject(value) && Object.keys(value).length > 0 && !isAtomicMap(child))
      walkObject(value, child, path, set);
    else set.insert(path);
  }
}

/** The set of fields an object (or an apply configuration) sets, typed by its schema. */
export function fieldSetOf(obj: JsonObject, schema: SchemaNode): FieldSet {
  const set = new FieldSet();
  walkObject(obj, schema, [], set);
  return set;
}

/** Finds the list index an element addresses (k:, v: or i:). */
function findItem(list: JsonValue[], el: string, node: SchemaNode): number {
  const lt = listTypeOf(node);
  const items = itemSchema(node);
  return list.findIndex((item, i) => itemElement(item, lt, items, i) === el);
}

/** The value at a field path, or undefined. */
export function valueAt(root: JsonValue, path: readonly string[], schema: SchemaNode): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  let node: SchemaNode = schema;
  for (const el of path) {
    if (el.startsWith('f:')) {
      if (!isJsonObject(cur)) return undefined;
      const key = el.slice(2);
      cur = cur[key];
      node = childSchema(node, key);
    } else {
      if (!Array.isArray(cur)) return undefined;
      const idx = findItem(cur, el, node);
      if (idx < 0) return undefined;
      cur = cur[idx];
      node = itemSchema(node);
    }
  }
  return cur;
}

/** Deletes the field or list item a path addresses (no-op when absent). Mutates `root`. */
export function removeAt(root: JsonValue, path: readonly string[], schema: SchemaNode): void {
  if (path.length === 0) return;
  const parent = valueAt(root, path.slice(0, -1), schema);
  let parentNode: SchemaNode = schema;
  for (const el of path.slice(0, -1))
    parentNode = el.startsWith('f:') ? childSchema(parentNode, el.slice(2)) : itemSchema(parentNode);
  const last = path[path.length - 1]!;
  if (last.startsWith('f:')) {
    if (isJsonObject(parent)) delete parent[last.slice(2)];
    return;
  }
  if (!Array.isArray(parent)) return;
  const idx = findItem(parent, last, parentNode);
  if (idx >= 0) parent.splice(idx, 1);
}

function mergeList(live: JsonValue[], config: JsonValue[], node: SchemaNode): JsonValue[] {
  const lt = listTypeOf(node);
  if (lt.kind === 'atomic') return structuredClone(config);
  const items = itemSchema(node);
  const out = structuredClone(live);
  const elements = out.map((item, i) => itemElement(item, lt, items, i));
  config.forEach((item, i) => {
    const el = itemElement(item, lt, items, i);
    const at = elements.indexOf(el);
    if (at < 0) {
      out.push(structuredClone(item));
      elements.push(el);
    } else if (lt.kind === 'map') out[at] = mergeValues(out[at]!, item, items);
  });
  return out;
}

/** Server-side apply's merge: granular maps recurse, associative lists merge by key, sets union, the rest replace. */
export function mergeValues(live: JsonValue | undefined, config: JsonValue, node: SchemaNode): JsonValue {
  if (Array.isArray(config))
    return Array.isArray(live) ? mergeList(live, config, node) : structuredClone(config);
  if (isJsonObject(config) && isJsonObject(live) && !isAtomicMap(node)) {
    const out: JsonObject = { ...live };
    for (const [key, value] of Object.entries(config)) {
      if (value === null) {
        delete out[key];
        continue;
      }
      out[key] = mergeValues(live[key], value, childSchema(node, key));
    }
    return out;
  }
  return structuredClone(config);
}

export interface FieldChanges {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Which fields an update added, changed and removed (structured-merge-diff's Compare). */
export function compareObjects(before: JsonObject, after: JsonObject, schema: SchemaNode): FieldChanges {
  const a = fieldSetOf(before, schema);
  const b = fieldSetOf(after, schema);
  const modified = new FieldSet();
  for (const path of b.members()) {
    if (!a.has(path)) continue;
    const last = path[path.length - 1] ?? '';
    if (last.startsWith('k:') || last.startsWith('v:')) continue;
    if (!jsonEqual(valueAt(before, path, schema), valueAt(after, path, schema))) modified.insert(path);
  }
  return { added: b.difference(a), modified, removed: a.difference(b) };
}
