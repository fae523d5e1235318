import type { RetryPolicy } from '../client/retry-policy.util.js';
import type { KubeError } from '../errors/kube-error.util.js';
import type { KubeObject, ObjectRef } from '../kube.types.js';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged' | 'failed';

export interface ApplyResult {
  ref: ObjectRef;
  /** objectKey(ref): `group/Kind/namespace/name`. */
  key: string;
  outcome: ApplyOutcome;
  /** Why the object was written (what was out of sync), or why it failed. */
  reason?: string;
  /** Write requests sent, retries included (0 for unchanged). */
  writes: number;
  resourceVersion?: string;
  error?: KubeError;
}

export interface ApplyReport {
  cluster: string;
  results: ApplyResult[];
  created: number;
  configured: number;
  unchanged: number;
  failed: number;
  durationMs: number;
}

/** One planned change, from a server-side dry run (nothing is stored). */
export interface PlanEntry {
  ref: ObjectRef;
  key: string;
  action: 'create' | 'update' | 'none' | 'error';
  reason?: string;
  /** The live object, when there is one. */
  live?: KubeObject;
  /** What the object would look like after the apply (the server's dry-run answer). */
  planned?: KubeObject;
  error?: KubeError;
}

/**
 * Where the Applier may read live objects without a request: the DriftWatcher's informer caches
 * implement it. They hold our (labelled) objects only, so `undefined` means "not known here" and
 * the Applier asks the server.
 */
export interface LiveObjectCache {
  lookup(cluster: string, ref: ObjectRef): KubeObject | undefined;
}

export interface ApplierOptions {
  /** Field manager of every apply (default `heliomesh`). */
  fieldManager?: string;
  /** Objects applied at once (default 8). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  cache?: LiveObjectCache;
  /**
   * When a set holds at least this many objects of one kind in one namespace, their live state is
   * read with one labelled list instead of one GET each (default 20).
   */
  prefetchThreshold?: number;
  random?: () => number;
  /**
   * Take over objects that exist but are not ours (no managed-by label, never applied by our
   * field manager). Default false: such an object fails with KUBE_FOREIGN_OBJECT and is not touched.
   */
  adopt?: boolean;
}

export interface ApplyCallOptions {
  concurrency?: number;
}
