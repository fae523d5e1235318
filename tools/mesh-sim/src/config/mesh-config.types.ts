/**
 * What the simulator reads from a cluster. Objects are kept raw (as the API server returns them):
 * they are validated when the engine compiles them, like istiod does, so a bad object is reported
 * and skipped instead of breaking the source.
 */
export interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** A string from JSON, or a Date from client-node's typed core APIs. */
  creationTimestamp?: string | Date;
  resourceVersion?: string;
  generateName?: string;
  deletionTimestamp?: string | Date;
  ownerReferences?: Array<{ kind?: string; name?: string }>;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
  spec?: unknown;
  status?: unknown;
}

export const MESH_KINDS = [
  'Service',
  'Pod',
  'VirtualService',
  'DestinationRule',
  'AuthorizationPolicy',
  'PeerAuthentication',
  'EnvoyFilter',
  'WasmPlugin',
] as const;
export type MeshKind = (typeof MESH_KINDS)[number];

export type MeshSnapshot = Readonly<Record<MeshKind, readonly KubeObject[]>>;

/**
 * Plugin point: where the simulator's view of the cluster comes from. One real implementation
 * (`KubeConfigSource`, informers against any API server) and one in-memory fake for unit tests.
 */
export interface MeshConfigSource {
  /** Increments on every observed change; the engine recompiles when it moves. */
  readonly version: number;
  /** The current objects. The same object is returned until `version` changes. */
  snapshot(): MeshSnapshot;
  /** Resolves once every kind has been listed at least once. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function emptySnapshot(): Record<MeshKind, KubeObject[]> {
  return {
    Service: [],
    Pod: [],
    VirtualService: [],
    DestinationRule: [],
    AuthorizationPolicy: [],
    PeerAuthentication: [],
    EnvoyFilter: [],
    WasmPlugin: [],
  };
}

export function objectKey(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}
