import { contentHash } from '@heliomesh/util';
import { APPLIED_HASH_ANNOTATION, isRecord, type KubeObject } from '../kube.types.js';

/** Metadata the server owns; field management does not track it either. */
const SERVER_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
  return out;
}

/**
 * What an apply configuration sets, in the form the hash covers: every top-level field but
 * apiVersion, kind and status, plus the metadata we may set (labels, annotations without the hash
 * itself, finalizers...). Nulls ("unset" in an apply) and emptied label/annotation maps are dropped
 * so the desired object and the same content read back from the server compare equal.
 */
export function appliedContent(obj: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, status: _s, ...rest } = obj;
  const out = dropNulls(rest) as Record<string, unknown>;
  if (isRecord(metadata)) {
    const meta: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(metadata))
      if (!SERVER_META.has(k) && v !== null && v !== undefined) meta[k] = v;
    if (isRecord(meta['annotations'])) {
      const { [APPLIED_HASH_ANNOTATION]: _h, ...annotations } = meta['annotations'];
      meta['annotations'] = annotations;
    }
    for (const k of ['labels', 'annotations'])
      if (isRecord(meta[k]) && Object.keys(meta[k]).length === 0) delete meta[k];
    const cleaned = dropNulls(meta) as Record<string, unknown>;
    if (Object.keys(cleaned).length > 0) out['metadata'] = cleaned;
  }
  return out;
}

export function appliedHash(obj: Record<string, unknown>): string {
  return contentHash(appliedContent(obj));
}

/**
 * The apply configuration for a desired object: identity, the fields we set, and the hash
 * annotation. Server-owned metadata (resourceVersion, managedFields...) and status are dropped:
 * apply rejects managedFields, and a stale resourceVersion would turn into a precondition.
 */
export function applyConfiguration(desired: KubeObject): { config: KubeObject; hash: string } {
  const hash = appliedHash(desired as Record<string, unknown>);
  const content = appliedContent(desired as Record<string, unknown>);
  const meta = isRecord(content['metadata']) ? content['metadata'] : {};
  const annotations = isRecord(meta['annotations']) ? (meta['annotations'] as Record<string, string>) : {};
  const config: KubeObject = {
    ...content,
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    metadata: {
      ...meta,
      name: desired.metadata.name,
      ...(desired.metadata.namespace ? { namespace: desired.metadata.namespace } : {}),
      annotations: { ...annotations, [APPLIED_HASH_ANNOTATION]: hash },
    },
  };
  return { config, hash };
}
