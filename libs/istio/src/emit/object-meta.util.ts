import { formatJsonPath, type JsonPath } from '@heliomesh/util';
import type { ClaimSource } from '../model/claims.util.js';
import { MANAGED_BY, MANAGED_BY_LABEL, TENANT_LABEL } from '../snapshot/snapshot-index.util.js';
import type { ExplainEntry } from './explain.types.js';
import type { IstioKind, ObjectMeta } from './istio-objects.types.js';

export const SERVICE_LABEL = 'heliomesh.io/service';
export const SOURCES_ANNOTATION = 'heliomesh.io/sources';

/** Name of a generated object; the prefix keeps it clear of the user's own objects. */
export function generatedName(base: string): string {
  return `heliomesh-${base}`;
}

/** A source as listed in the annotation, keys in sorted order (the JSON is the stable form). */
type SourceRef = { id: string; kind: string; name: string; revision: number } | { rolloutId: string };

function sourceRef(source: ClaimSource): SourceRef {
  return source.kind === 'policy'
    ? {
        id: source.policy.id,
        kind: source.policy.kind,
        name: source.policy.name,
        revision: source.policy.revision,
      }
    : { rolloutId: source.rollout.rolloutId };
}

const refKey = (r: SourceRef) => ('id' in r ? `p:${r.id}` : `r:${r.rolloutId}`);

/** Labels and annotations every generated object carries; the sources list is stable JSON. */
export function objectMeta(
  name: string,
  namespace: string,
  tenant: string,
  service: string | undefined,
  sources: Iterable<ClaimSource>,
): ObjectMeta {
  const refs = new Map<string, SourceRef>();
  for (const s of sources) {
    const key = s.kind === 'policy' ? `p:${s.policy.id}` : `r:${s.rollout.rolloutId}`;
    if (!refs.has(key)) refs.set(key, sourceRef(s));
  }
  const sorted = [...refs.values()].sort((a, b) =>
    refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0,
  );
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY };
  if (service !== undefined) labels[SERVICE_LABEL] = service;
  labels[TENANT_LABEL] = tenant;
  return { name, namespace, labels, annotations: { [SOURCES_ANNOTATION]: JSON.stringify(sorted) } };
}

/** A JSON path with one more key, formatted as formatJsonPath would (without re-walking the path). */
export function pathAppend(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_][\w-]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** Formatted once per source: many routes inherit the same setting. */
const sourcePaths = new WeakMap<ClaimSource, string>();

function sourcePathOf(source: ClaimSource): string {
  let text = sourcePaths.get(source);
  if (text === undefined) {
    text = formatJsonPath(source.path);
    sourcePaths.set(source, text);
  }
  return text;
}

export interface ObjectRef {
  kind: IstioKind;
  name: string;
  namespace: string;
}

/** An explain entry for the field at `jsonPath` (formatted, e.g. `$.spec.http[0].timeout`) set by `source`. */
export function explainAt(
  object: ObjectRef,
  jsonPath: string,
  source: ClaimSource,
  note?: string,
): ExplainEntry {
  const entry: ExplainEntry =
    source.kind === 'policy'
      ? {
          objectKind: object.kind,
          objectName: object.name,
          namespace: object.namespace,
          jsonPath,
          source: 'policy',
          policyId: source.policy.id,
          policyRevision: source.policy.revision,
          policyName: source.policy.name,
          policyKind: source.policy.kind,
          sourcePath: sourcePathOf(source),
        }
      : {
          objectKind: object.kind,
          objectName: object.name,
          namespace: object.namespace,
          jsonPath,
          source: 'rollout',
          rolloutId: source.rollout.rolloutId,
          sourcePath: sourcePathOf(source),
        };
  if (note) entry.note = note;
  return entry;
}

/** An explain entry for a field set by `source`, at a path given as keys. */
export function explainFrom(
  object: ObjectRef,
  path: JsonPath,
  source: ClaimSource,
  note?: string,
): ExplainEntry {
  return explainAt(object, formatJsonPath(path), source, note);
}

export function explainFromService(object: ObjectRef, path: JsonPath | string, note: string): ExplainEntry {
  return {
    objectKind: object.kind,
    objectName: object.name,
    namespace: object.namespace,
    jsonPath: typeof path === 'string' ? path : formatJsonPath(path),
    source: 'service',
    note,
  };
}

/** A deep copy with object keys sorted, so emitted specs do not depend on input key order. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeysDeep(member);
    }
    return out as T;
  }
  return value;
}
