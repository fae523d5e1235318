import type { KindRef, ObjectRef } from '../kube.types.js';

export type DriftChange = 'modified' | 'deleted';

/** Someone other than Heliomesh changed or deleted one of our objects. */
export interface DriftEvent {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** objectKey: `group/Kind/namespace/name`. */
  key: string;
  change: DriftChange;
  /** From the object's heliomesh.io/tenant and heliomesh.io/service labels. */
  tenant?: string;
  service?: string;
  /** What is out of sync, in words. */
  reason: string;
  /** Other field managers that own fields of the object (who edited it, as far as the server knows). */
  editors: string[];
  /** The live object's resourceVersion (the last one seen, for a delete). */
  resourceVersion?: string;
  detectedAt: string;
}

export interface DriftWatcherOptions {
  /** Kinds to watch (default: the kinds Heliomesh generates). */
  kinds?: readonly KindRef[];
  /** Default: all namespaces (one cluster-wide watch per kind). */
  namespaces?: string[];
  fieldManager?: string;
  /**
   * Whether a deleted object is still desired (a delete of an undesired object is no drift). The
   * default treats every delete as drift except the ones this process's Pruner made.
   */
  isDesired?: (cluster: string, ref: ObjectRef) => boolean | Promise<boolean>;
  /** Informer restart backoff after a list or watch error (default 500 ms doubling to 30 s). */
  restartDelayMs?: { base: number; max: number };
  /** Called when a kind cannot be listed or watched (it is retried) or is not served. */
  onError?: (cluster: string, kind: KindRef, error: unknown) => void;
}
