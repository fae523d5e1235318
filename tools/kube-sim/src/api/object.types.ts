/** JSON values as they travel over the wire and sit in the store. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The parts of ObjectMeta the server itself reads or writes. */
interface ObjectMetaFields {
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
}

export type ObjectMeta = ObjectMetaFields & JsonObject;

/** A stored Kubernetes object. Stored objects are never mutated in place: every write stores a new one. */
export interface KubeObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** Deep structural equality of two JSON values (key order does not matter). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return false;
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) if (!(k in b) || !jsonEqual(a[k], b[k])) return false;
  return true;
}

export function metaOf(obj: JsonObject): JsonObject {
  const meta = obj['metadata'];
  return isJsonObject(meta) ? meta : {};
}

export function stringMap(value: JsonValue | undefined): Record<string, string> {
  if (!isJsonObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Reads a nested value by a list of keys; undefined when any step is missing. */
export function getPath(
  obj: JsonValue | undefined,
  path: ReadonlyArray<string | number>,
): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const key of path) {
    if (cur === undefined || cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (typeof key === 'number' ? cur[key] : undefined) : cur[String(key)];
  }
  return cur;
}

/** RFC 3339 UTC with whole seconds, the format the API server uses for every timestamp. */
export function nowTimestamp(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
