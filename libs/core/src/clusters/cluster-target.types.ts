import type { ForeignObject, IstioObject, MeshService } from '@heliomesh/istio';

/**
 * The one interface between the platform and a Kubernetes cluster (Flagger's small-interface
 * style): the Kubernetes implementation lives in cluster-targets.kube.ts, an in-memory fake in
 * the tests. Everything that writes to a cluster goes through `apply` and `prune`.
 */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface ConnectionReport {
  ok: boolean;
  version?: string;
  /** Istio kinds Heliomesh generates that the cluster does not serve. */
  missingKinds: string[];
  error?: { code: string; message: string };
}

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface ApplyReport {
  applied: Array<ObjectRef & { outcome: ApplyOutcome }>;
  failed: Array<ObjectRef & { code: string; message: string }>;
}

export interface DriftEvent {
  ref: ObjectRef;
  change: 'modified' | 'deleted';
  tenant?: string;
  service?: string;
}

export interface ClusterTarget {
  testConnection(): Promise<ConnectionReport>;
  /** Services in these namespaces with the versions (pods grouped by `version` label) behind each. */
  discover(namespaces: string[]): Promise<MeshService[]>;
  apply(objects: IstioObject[]): Promise<ApplyReport>;
  /** Deletes our objects of `tenant` (and `service`, when given) that are not in `keep`; returns what it deleted. */
  prune(scope: { tenant: string; service?: string }, keep: ObjectRef[]): Promise<ObjectRef[]>;
  /** Istio objects in a namespace that Heliomesh does not manage (for the foreign-host check). */
  foreignObjects(namespace: string): Promise<ForeignObject[]>;
  /** Reports edits and deletions of our objects made by anyone else; returns a stop function. */
  watchDrift(onDrift: (event: DriftEvent) => void): Promise<() => Promise<void>>;
}

export interface ClusterRecord {
  id: string;
  name: string;
  connection: 'kubeconfig' | 'in-cluster' | 'sandbox';
  context: string | null;
  /** Decrypted kubeconfig, for kubeconfig and sandbox connections. */
  kubeconfig: string | null;
}

/** Hands out one (cached) target per cluster. */
export interface ClusterTargets {
  target(cluster: ClusterRecord): ClusterTarget;
  /** Drops the cached client of a cluster whose credentials changed or which was deleted. */
  forget(clusterId: string): void;
  close(): Promise<void>;
}

export function refOf(object: {
  apiVersion: string;
  kind: string;
  metadata: { namespace?: string; name: string };
}): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
  };
}

export function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}
