import { canonicalJson, formatJsonPath, type JsonPath } from '@heliomesh/util';
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
    const ref = sourceRef(s);
    refs.set(refKey(ref), ref);
  }
  const sorted = [...refs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY };
  if (service !== undefined) labels[SERVICE_LABEL] = service;
  labels[TENANT_LABEL] = tenant;
  return { name, namespace, labels, annotations: { [SOURCES_ANNOTATION]: canonicalJson(sorted) } };
}

/** An explain entry for a field set by `source`. */
export function explainFrom(
  object: { kind: IstioKind; name: string; namespace: string },
  path: JsonPath,
  source: ClaimSource,
  note?: string,
): ExplainEntry {
  const base = {
    objectKind: object.kind,
    objectName: object.name,
    namespace: object.namespace,
    jsonPath: formatJsonPath(path),
    sourcePath: formatJsonPath(source.path),
    ...(note ? { note } : {}),
  };
  return source.kind === 'policy'
    ? {
        ...base,
        source: 'policy',
        policyId: source.policy.id,
        policyRevision: source.policy.revision,
        policyName: source.policy.name,
        policyKind: source.policy.kind,
      }
    : { ...base, source: 'rollout', rolloutId: source.rollout.rolloutId };
}

export function explainFromService(
  object: { kind: IstioKind; name: string; namespace: string },
  path: JsonPath,
  note: string,
): ExplainEntry {
  return {
    objectKind: object.kind,
    objectName: object.name,
    namespace: object.namespace,
    jsonPath: formatJsonPath(path),
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
