import type { ApplyReport, PlanEntry } from '../apply/apply.types.js';
import type { KubeObject, ObjectRef } from '../kube.types.js';
import type { PruneCallOptions, PruneReport } from '../prune/pruner.service.js';
import type { PruneScope } from '../prune/prune-scope.util.js';

/**
 * Where a reconcile writes: one cluster, seen as "apply this set, prune the rest". The rollout
 * worker depends on this, not on the Applier and Pruner, so its tests can run on the in-memory
 * fake. One real implementation (KubeClusterTarget) and that fake (InMemoryClusterTarget).
 */
export interface ClusterTarget {
  readonly cluster: string;
  applyAll(objects: readonly KubeObject[]): Promise<ApplyReport>;
  prune(
    scope: PruneScope,
    desired: Iterable<KubeObject | ObjectRef | string>,
    opts?: PruneCallOptions,
  ): Promise<PruneReport>;
  plan(objects: readonly KubeObject[]): Promise<PlanEntry[]>;
}
