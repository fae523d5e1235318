import type { ApplyReport, PlanEntry } from '../apply/apply.types.js';
import type { Applier } from '../apply/applier.service.js';
import type { KubeObject, ObjectRef } from '../kube.types.js';
import type { PruneCallOptions, PruneReport, Pruner } from '../prune/pruner.service.js';
import type { PruneScope } from '../prune/prune-scope.util.js';
import type { ClusterTarget } from './cluster-target.types.js';

/** A registered cluster as a ClusterTarget: the Applier and the Pruner, bound to its name. */
export class KubeClusterTarget implements ClusterTarget {
  constructor(
    readonly cluster: string,
    private readonly applier: Applier,
    private readonly pruner: Pruner,
  ) {}

  applyAll(objects: readonly KubeObject[]): Promise<ApplyReport> {
    return this.applier.applyAll(this.cluster, objects);
  }

  prune(
    scope: PruneScope,
    desired: Iterable<KubeObject | ObjectRef | string>,
    opts?: PruneCallOptions,
  ): Promise<PruneReport> {
    return this.pruner.prune(this.cluster, scope, desired, opts);
  }

  plan(objects: readonly KubeObject[]): Promise<PlanEntry[]> {
    return this.applier.plan(this.cluster, objects);
  }
}
