import { HeliomeshError } from '@heliomesh/util';
import { isGoMap, type GoMap, type GoValue } from '../template/go-value.util.js';

/**
 * Helm's two value merges. `mergeUserValues` combines `-f` files and `--set` (later wins, maps
 * merge deeply); `coalesceValues` lays the result over values.yaml, where a user's `null`
 * deletes a default.
 */

/** Converts parsed YAML into template values, rejecting what Helm's JSON round trip cannot hold. */
export function toGoMap(value: unknown, source: string): GoMap {
  if (value === null || value === undefined) return {};
  if (!isGoMap(value)) {
    throw new HeliomeshError({
      code: 'VALUES_NOT_A_MAP',
      status: 422,
      message: `${source} must be a YAML mapping of values at the top level`,
      path: [source],
    });
  }
  return toGoValue(value, [source]) as GoMap;
}

function toGoValue(value: unknown, path: (string | number)[]): GoValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value))
        return invalid(path, 'is not a finite number, which JSON cannot represent');
      return value;
    case 'bigint':
      return Number(value);
    case 'object':
      if (Array.isArray(value)) return value.map((v, i) => toGoValue(v, [...path, i]));
      if (isGoMap(value)) {
        const out: GoMap = {};
        for (const [k, v] of Object.entries(value)) out[k] = toGoValue(v, [...path, k]);
        return out;
      }
      return invalid(path, 'is not a YAML scalar, list or mapping');
    default:
      return invalid(path, 'is not a YAML scalar, list or mapping');
  }
}

function invalid(path: (string | number)[], message: string): never {
  throw new HeliomeshError({
    code: 'VALUES_UNSUPPORTED',
    status: 422,
    message: `${path.join('.')} ${message}`,
    path,
  });
}

function clone(v: GoValue): GoValue {
  if (Array.isArray(v)) return v.map(clone);
  if (isGoMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

/** Helm's mergeMaps: later files win, nested maps merge. */
export function mergeUserValues(layers: readonly GoMap[]): GoMap {
  let out: GoMap = {};
  for (const layer of layers) out = mergeMaps(out, layer);
  return out;
}

function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const existing = out[k];
    out[k] = isGoMap(v) && isGoMap(existing) ? mergeMaps(existing, v) : clone(v);
  }
  return out;
}

/** Helm's coalesceValues: defaults fill what the user left out; a user `null` removes the key. */
export function coalesceValues(user: GoMap, defaults: GoMap): GoMap {
  const out = clone(user) as GoMap;
  for (const [key, dv] of Object.entries(defaults)) {
    if (!Object.hasOwn(out, key)) {
      out[key] = clone(dv);
      continue;
    }
    const uv = out[key]!;
    if (uv === null) delete out[key];
    else if (isGoMap(uv) && isGoMap(dv)) out[key] = coalesceValues(uv, dv);
  }
  return out;
}
