import { errorMessage } from '@heliomesh/util';
import type { ResourceType } from '../client/resource-catalog.service.js';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from '../client/retry-policy.util.js';
import type { ClusterRef, ClusterRegistry } from '../cluster/cluster-registry.service.js';
import type { KubeCluster } from '../cluster/kube-cluster.model.js';
import { mapBounded } from '../apply/concurrency.util.js';
import { KubeError, isKubeError } from '../errors/kube-error.util.js';
import {
  GENERATED_KINDS,
  describeRef,
  objectKey,
  refOf,
  type KindRef,
  type KubeObject,
  type ObjectRef,
} from '../kube.types.js';
import { isOurs, scopeSelector, validateScope, type PruneScope } from './prune-scope.util.js';

export interface PruneOptions {
  /** Deletes at once (default 8). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
}

export interface PruneCallOptions {
  /** Report what would be deleted; delete nothing. */
  dryRun?: boolean;
}

export interface PruneReport {
  cluster: string;
  /** Objects deleted (or, in a dry run, that would be). */
  deleted: ObjectRef[];
  /** Objects of ours in scope that are still desired. */
  kept: number;
  failed: Array<{ ref: ObjectRef; error: KubeError }>;
  /** Kinds the cluster does not serve: nothing of ours can exist there. */
  skippedKinds: KindRef[];
}

type DeleteOutcome = 'deleted' | 'gone' | 'skipped';

/**
 * Deletes our objects that are no longer desired. Candidates come from a server-side label
 * selector (managed-by=heliomesh, tenant, optionally service) and are checked again client-side
 * before each delete, which carries the uid and resourceVersion the check saw as preconditions:
 * an object someone relabelled or recreated in between is re-read, never deleted blind.
 */
export class Pruner {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly options: PruneOptions = {},
  ) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /**
   * `desired` are objects or objectKey()s that must stay. Objects in scope without both our
   * labels are never touched, whatever `desired` says.
   */
  async prune(
    clusterRef: ClusterRef,
    scope: PruneScope,
    desired: Iterable<KubeObject | ObjectRef | string>,
    opts: PruneCallOptions = {},
  ): Promise<PruneReport> {
    validateScope(scope);
    const cluster = this.registry.resolve(clusterRef);
    const keep = new Set<string>();
    for (const d of desired) keep.add(typeof d === 'string' ? d : objectKey(d));
    const report: PruneReport = { cluster: cluster.name, deleted: [], kept: 0, failed: [], skippedKinds: [] };
    const candidates: Array<{ rt: ResourceType; obj: KubeObject }> = [];
    for (const kind of scope.kinds ?? GENERATED_KINDS) {
      const rt = await cluster.objects.catalog.find(kind.apiVersion, kind.kind);
      if (!rt) {
        report.skippedKinds.push(kind);
        continue;
      }
      for (const obj of await this.listOurs(cluster, rt, scope)) {
        if (!isOurs(obj, scope)) continue;
        if (keep.has(objectKey(obj))) report.kept++;
        else candidates.push({ rt, obj });
      }
    }
    await mapBounded(candidates, this.options.concurrency ?? 8, async ({ obj }) => {
      const ref = refOf(obj);
      try {
        const outcome = opts.dryRun ? 'deleted' : await this.deleteOne(cluster, obj, scope, keep);
        if (outcome !== 'skipped') report.deleted.push(ref);
      } catch (err) {
        const error =
          err instanceof KubeError
            ? err
            : new KubeError({ code: 'KUBE_SERVER_ERROR', message: errorMessage(err) });
        report.failed.push({ ref, error });
      }
    });
    report.deleted.sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
    return report;
  }

  private async listOurs(cluster: KubeCluster, rt: ResourceType, scope: PruneScope): Promise<KubeObject[]> {
    const namespaces = scope.namespaces?.length ? scope.namespaces : [undefined];
    const out: KubeObject[] = [];
    for (const namespace of namespaces) {
      const { value } = await withRetries(
        () =>
          cluster.objects.listType(rt, {
            ...(namespace ? { namespace } : {}),
            labelSelector: scopeSelector(scope),
          }),
        this.retry,
        { what: `list ${rt.kind} of tenant ${scope.tenant}`, clock: cluster.clock },
      );
      out.push(...value.items);
    }
    return out;
  }

  /** Deletes one object with preconditions; a 409 means it changed, so it is re-read and re-checked. */
  private async deleteOne(
    cluster: KubeCluster,
    seen: KubeObject,
    scope: PruneScope,
    keep: Set<string>,
  ): Promise<DeleteOutcome> {
    const ref = refOf(seen);
    const key = objectKey(seen);
    let current: KubeObject | undefined = seen;
    const { value } = await withRetries(
      async (attempt): Promise<DeleteOutcome> => {
        if (attempt > 0) current = await cluster.objects.get(ref);
        if (!current) return 'gone';
        if (!isOurs(current, scope) || keep.has(key)) return 'skipped';
        cluster.ownWrites.markDeleted(key);
        const deleted = await cluster.objects.delete(ref, {
          preconditions: { uid: current.metadata.uid!, resourceVersion: current.metadata.resourceVersion! },
          propagationPolicy: 'Background',
        });
        return deleted ? 'deleted' : 'gone';
      },
      this.retry,
      { what: `delete ${describeRef(ref)}`, clock: cluster.clock },
    ).catch((err: unknown) => {
      if (!isKubeError(err, 'KUBE_RETRIES_EXHAUSTED')) cluster.ownWrites.forgetDeleted(key);
      throw err;
    });
    return value;
  }
}
