import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../api/object.types.js';
import { fieldSchema, itemSchema, UNTYPED, type SchemaNode } from '../schema/schema.types.js';

const setOrderPrefix = '$setElementOrder/';
const deletePrimitivePrefix = '$deleteFromPrimitiveList/';

/** Malformed directives in a strategic merge patch answer 400 (the body is not a valid patch). */
export class StrategicPatchError extends Error {}

function isMergeList(node: SchemaNode | undefined): boolean {
  return (node?.['x-kubernetes-patch-strategy'] ?? '').split(',').includes('merge');
}

function orderBy(list: JsonValue[], order: JsonValue[], mergeKey: string | undefined): JsonValue[] {
  const keyOf = (v: JsonValue): JsonValue | undefined =>
    mergeKey ? (isJsonObject(v) ? v[mergeKey] : undefined) : v;
  const rank = (v: JsonValue) => {
    const k = keyOf(v);
    const i = order.findIndex((o) => jsonEqual(mergeKey && isJsonObject(o) ? o[mergeKey] : o, k ?? null));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list
    .map((v, i) => ({ v, i, r: rank(v) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.v);
}

function mergeList(original: JsonValue | undefined, patch: JsonValue[], node: SchemaNode): JsonValue[] {
  const orig = Array.isArray(original) ? original : [];
  if (!isMergeList(node)) return patch.map((v) => stripDirectives(v));
  if (patch.some((p) => isJsonObject(p) && p['$patch'] === 'replace'))
    return patch
      .filter((p) => !(isJsonObject(p) && p['$patch'] === 'replace'))
      .map((v) => stripDirectives(v));
  const mergeKey = node['x-kubernetes-patch-merge-key'];
  const items = itemSchema(node);
  if (!mergeKey) {
    const out = [...orig];
    for (const v of patch) if (!out.some((o) => jsonEqual(o, v))) out.push(v);
    return out;
  }
  const out = structuredClone(orig);
  for (const item of patch) {
    if (!isJsonObject(item))
      throw new StrategicPatchError(`unable to find api field in struct for merge key ${mergeKey}`);
    const key = item[mergeKey];
    const idx = out.findIndex((o) => isJsonObject(o) && jsonEqual(o[mergeKey], key ?? null));
    if (item['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    const merged = mergeMap(idx >= 0 && isJsonObject(out[idx]) ? (out[idx] as JsonObject) : {}, item, items);
    if (merged === undefined) continue;
    if (idx >= 0) out[idx] = merged;
    else out.push(merged);
  }
  return out;
}

function stripDirectives(value: JsonValue): JsonValue {
  if (Array.isArray(value))
    return value.filter((v) => !(isJsonObject(v) && v['$patch'])).map(stripDirectives);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out;
}

function mergeMap(original: JsonObject, patch: JsonObject, node: SchemaNode): JsonObject | undefined {
  const directive = patch['$patch'];
  if (directive === 'replace') return stripDirectives(patch) as JsonObject;
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge')
    throw new StrategicPatchError(`Unknown patch type: ${String(directive)}`);
  const out: JsonObject = { ...original };
  const retain = patch['$retainKeys'];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new StrategicPatchError('$retainKeys must be a list of field names');
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  const orders: Array<[string, JsonValue[]]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(setOrderPrefix)) {
      if (!Array.isArray(value)) throw new StrategicPatchError(`${key} must be a list`);
      orders.push([key.slice(setOrderPrefix.length), value]);
      continue;
    }
    if (key.startsWith(deletePrimitivePrefix)) {
      const field = key.slice(deletePrimitivePrefix.length);
      const current = out[field];
      if (!Array.isArray(value)) throw new StrategicPatchError(`${key} must be a list`);
      if (Array.isArray(current)) out[field] = current.filter((v) => !value.some((d) => jsonEqual(d, v)));
      continue;
    }
    const child = fieldSchema(node, key) ?? UNTYPED;
    if (value === null) delete out[key];
    else if (isJsonObject(value)) {
      const merged = mergeMap(isJsonObject(out[key]) ? (out[key] as JsonObject) : {}, value, child);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (Array.isArray(value)) out[key] = mergeList(out[key], value, child);
    else out[key] = value;
  }
  for (const [field, order] of orders) {
    const list = out[field];
    if (Array.isArray(list))
      out[field] = orderBy(list, order, fieldSchema(node, field)?.['x-kubernetes-patch-merge-key']);
  }
  return out;
}

/**
 * Applies a strategic merge patch to a built-in object: lists with patch strategy `merge` merge by
 * their merge key (or as sets of primitives), other lists replace; supports the `$patch`,
 * `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` directives.
 */
export function applyStrategicMergePatch(
  original: JsonObject,
  patch: JsonValue,
  schema: SchemaNode,
): JsonObject {
  if (!isJsonObject(patch)) throw new StrategicPatchError('strategic merge patch body must be a JSON object');
  return mergeMap(original, patch, schema) ?? {};
}
