import { isJsonObject, jsonEqual, type JsonValue } from '../api/object.types.js';

/** Why a JSON patch could not be applied; the API answers 422 (failed test) or 400 (malformed). */
export class JsonPatchError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'failed',
  ) {
    super(message);
  }
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: JsonValue;
}

/** RFC 6901 JSON pointer to reference tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new JsonPatchError(`invalid JSON pointer: ${JSON.stringify(pointer)}`, 'malformed');
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new JsonPatchError(`invalid array index: ${token}`, 'failed');
  const i = Number(token);
  if (i > length || (!allowEnd && i === length))
    throw new JsonPatchError(`array index out of bounds: ${token}`, 'failed');
  return i;
}

function resolveParent(doc: JsonValue, tokens: string[], path: string): JsonValue {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false)]!;
    else if (isJsonObject(cur) && t in cur) cur = cur[t]!;
    else throw new JsonPatchError(`doc is missing path: "${path}": missing value`, 'failed');
  }
  return cur;
}

function get(doc: JsonValue, path: string): JsonValue {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const parent = resolveParent(doc, tokens, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length, false)]!;
  if (isJsonObject(parent) && last in parent) return parent[last]!;
  throw new JsonPatchError(`doc is missing path: "${path}": missing value`, 'failed');
}

function add(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const parent = resolveParent(doc, tokens, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else if (isJsonObject(parent)) parent[last] = value;
  else throw new JsonPatchError(`doc is missing path: "${path}": missing value`, 'failed');
  return doc;
}

function remove(doc: JsonValue, path: string): JsonValue {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new JsonPatchError('cannot remove the whole document', 'failed');
  const parent = resolveParent(doc, tokens, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (isJsonObject(parent) && last in parent) delete parent[last];
  else throw new JsonPatchError(`Unable to remove nonexistent key: ${last}: missing value`, 'failed');
  return doc;
}

function parseOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch))
    throw new JsonPatchError(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      'malformed',
    );
  return patch.map((op: unknown) => {
    if (
      !isJsonObject(op as JsonValue) ||
      typeof (op as Operation).op !== 'string' ||
      typeof (op as Operation).path !== 'string'
    )
      throw new JsonPatchError('invalid JSON patch operation', 'malformed');
    return op as Operation;
  });
}

/** Applies an RFC 6902 patch to a copy of `doc`. */
export function applyJsonPatch(doc: JsonValue, patch: unknown): JsonValue {
  let out = structuredClone(doc);
  for (const op of parseOperations(patch)) {
    const value = () => {
      if (!('value' in op)) throw new JsonPatchError(`missing value for ${op.op} operation`, 'malformed');
      return structuredClone(op.value!);
    };
    switch (op.op) {
      case 'add':
        out = add(out, op.path, value());
        break;
      case 'remove':
        out = remove(out, op.path);
        break;
      case 'replace':
        if (parsePointer(op.path).length === 0) out = value();
        else {
          get(out, op.path);
          out = add(remove(out, op.path), op.path, value());
        }
        break;
      case 'move': {
        if (op.from === undefined) throw new JsonPatchError('missing from for move operation', 'malformed');
        if (op.path.startsWith(`${op.from}/`))
          throw new JsonPatchError('cannot move a value into one of its children', 'failed');
        const moved = get(out, op.from);
        out = add(remove(out, op.from), op.path, moved);
        break;
      }
      case 'copy':
        if (op.from === undefined) throw new JsonPatchError('missing from for copy operation', 'malformed');
        out = add(out, op.path, structuredClone(get(out, op.from)));
        break;
      case 'test':
        if (!jsonEqual(get(out, op.path), op.value ?? null))
          throw new JsonPatchError(`testing value ${op.path} failed: test failed`, 'failed');
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${op.op}`, 'malformed');
    }
  }
  return out;
}
