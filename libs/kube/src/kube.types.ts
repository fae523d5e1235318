/** Labels and annotations that mark an object as Heliomesh's (shared with libs/istio's emitters). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'heliomesh';
export const TENANT_LABEL = 'heliomesh.io/tenant';
export const SERVICE_LABEL = 'heliomesh.io/service';
/** Content hash of what the Applier last applied (see applied-content.util.ts for what it covers). */
export const APPLIED_HASH_ANNOTATION = 'heliomesh.io/applied-hash';
/** The server-side apply field manager Heliomesh writes as. */
export const FIELD_MANAGER = 'heliomesh';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

/** Any Kubernetes object, built-in or custom. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Names one object. `apiVersion` picks the served version; identity does not depend on it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A kind, as the Pruner and the DriftWatcher take it. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** The kinds Heliomesh generates (libs/istio's emitters), at the versions it applies them. */
export const GENERATED_KINDS: readonly KindRef[] = [
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
  { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
  { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter' },
  { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin' },
];

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * A stable identity for an object: `group/Kind/namespace/name` (no version, so the same object
 * read at v1 and v1beta1 has one key). Cluster-scoped objects have an empty namespace part.
 */
export function objectKey(ref: ObjectRef | KubeObject): string {
  const r = 'metadata' in ref ? refOf(ref) : ref;
  return `${groupOf(r.apiVersion)}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

export function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
  };
}

/** `VirtualService bookinfo/reviews`, for messages. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
