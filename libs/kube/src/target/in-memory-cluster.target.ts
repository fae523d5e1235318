import { appliedHash, applyConfiguration } from '../apply/applied-content.util.js';
import type { ApplyReport, ApplyResult, PlanEntry } from '../apply/apply.types.js';
import { validateObject } from '../apply/object-validation.util.js';
import { KubeError } from '../errors/kube-error.util.js';
import {
  APPLIED_HASH_ANNOTATION,
  GENERATED_KINDS,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  describeRef,
  groupOf,
  objectKey,
  refOf,
  type KubeObject,
  type ObjectRef,
} from '../kube.types.js';
import type { PruneCallOptions, PruneReport } from '../prune/pruner.service.js';
import { isOurs, validateScope, type PruneScope } from '../prune/prune-scope.util.js';
import type { ClusterTarget } from './cluster-target.types.js';

/**
 * The in-memory fake of a cluster target for tests of code that reconciles: it keeps objects in a
 * map and follows the real target's rules (unchanged when the applied hash matches, never touches
 * objects that are not ours, prunes only by both labels) without an API server. It does not
 * validate objects against schemas, default fields or run watches.
 */
export class InMemoryClusterTarget implements ClusterTarget {
  private readonly store = new Map<string, KubeObject>();
  private version = 0;
  /** Write operations performed, as a test would count API writes. */
  writes = 0;

  constructor(readonly cluster = 'memory') {}

  /** Puts an object in place as someone else would (no hash, no ownership), e.g. to simulate drift. */
  put(obj: KubeObject): void {
    this.store.set(objectKey(obj), this.stamp(structuredClone(obj)));
  }

  get(ref: ObjectRef): KubeObject | undefined {
    const obj = this.store.get(objectKey(ref));
    return obj ? structuredClone(obj) : undefined;
  }

  list(): KubeObject[] {
    return [...this.store.values()].map((o) => structuredClone(o));
  }

  async applyAll(objects: readonly KubeObject[]): Promise<ApplyReport> {
    const results = objects.map((o, i) => this.applyOne(o, i, objects));
    const count = (outcome: ApplyResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    return {
      cluster: this.cluster,
      results,
      created: count('created'),
      configured: count('configured'),
      unchanged: count('unchanged'),
      failed: count('failed'),
      durationMs: 0,
    };
  }

  async plan(objects: readonly KubeObject[]): Promise<PlanEntry[]> {
    return objects.map((o, i) => {
      const invalid = validateObject(o, i);
      const ref = invalid ? { apiVersion: '', kind: '', name: '' } : refOf(o);
      const key = invalid ? `invalid#${i}` : objectKey(o);
      if (invalid) return { ref, key, action: 'error', reason: invalid.message, error: invalid };
      const live = this.get(ref);
      const { config, hash } = applyConfiguration(o);
      if (live && !this.ours(live)) {
        const error = foreign(ref);
        return { ref, key, action: 'error', reason: error.message, error };
      }
      if (live && this.inSync(live, hash)) return { ref, key, action: 'none', live };
      return { ref, key, action: live ? 'update' : 'create', ...(live ? { live } : {}), planned: config };
    });
  }

  async prune(
    scope: PruneScope,
    desired: Iterable<KubeObject | ObjectRef | string>,
    opts: PruneCallOptions = {},
  ): Promise<PruneReport> {
    validateScope(scope);
    const keep = new Set([...desired].map((d) => (typeof d === 'string' ? d : objectKey(d))));
    const kinds = new Set((scope.kinds ?? GENERATED_KINDS).map((k) => `${groupOf(k.apiVersion)}/${k.kind}`));
    const report: PruneReport = { cluster: this.cluster, deleted: [], kept: 0, failed: [], skippedKinds: [] };
    for (const [key, obj] of [...this.store].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!kinds.has(`${groupOf(obj.apiVersion)}/${obj.kind}`) || !isOurs(obj, scope)) continue;
      if (scope.namespaces?.length && !scope.namespaces.includes(obj.metadata.namespace ?? '')) continue;
      if (keep.has(key)) {
        report.kept++;
        continue;
      }
      report.deleted.push(refOf(obj));
      if (!opts.dryRun) {
        this.store.delete(key);
        this.writes++;
      }
    }
    return report;
  }

  private applyOne(o: KubeObject, index: number, all: readonly KubeObject[]): ApplyResult {
    const invalid = validateObject(o, index);
    if (invalid) {
      const ref = { apiVersion: '', kind: '', name: '' };
      return {
        ref,
        key: `invalid#${index}`,
        outcome: 'failed',
        writes: 0,
        reason: invalid.message,
        error: invalid,
      };
    }
    const ref = refOf(o);
    const key = objectKey(o);
    if (all.findIndex((x) => validateObject(x, 0) === undefined && objectKey(x) === key) !== index) {
      const error = new KubeError({
        code: 'KUBE_OBJECT_INVALID',
        message: `${describeRef(ref)} appears more than once in the set`,
        path: [index],
      });
      return { ref, key, outcome: 'failed', writes: 0, reason: error.message, error };
    }
    const live = this.store.get(key);
    if (live && !this.ours(live)) {
      const error = foreign(ref);
      return { ref, key, outcome: 'failed', writes: 0, reason: error.message, error };
    }
    const { config, hash } = applyConfiguration(o);
    if (live && this.inSync(live, hash))
      return { ref, key, outcome: 'unchanged', writes: 0, resourceVersion: live.metadata.resourceVersion! };
    const stored = this.stamp({
      ...structuredClone(config),
      metadata: {
        ...structuredClone(config.metadata),
        managedFields: [{ manager: 'heliomesh', operation: 'Apply' }],
      },
    });
    this.store.set(key, stored);
    this.writes++;
    return {
      ref,
      key,
      outcome: live ? 'configured' : 'created',
      writes: 1,
      resourceVersion: stored.metadata.resourceVersion!,
    };
  }

  /** The annotation names the content and the content still hashes to it (a put() edit does not). */
  private inSync(live: KubeObject, hash: string): boolean {
    return live.metadata.annotations?.[APPLIED_HASH_ANNOTATION] === hash && appliedHash(live) === hash;
  }

  private ours(obj: KubeObject): boolean {
    return (
      obj.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ||
      (obj.metadata.managedFields ?? []).some((m) => m.manager === 'heliomesh' && m.operation === 'Apply')
    );
  }

  private stamp(obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = String(++this.version);
    return obj;
  }
}

function foreign(ref: ObjectRef): KubeError {
  return new KubeError({
    code: 'KUBE_FOREIGN_OBJECT',
    message: `${describeRef(ref)} already exists and is not Heliomesh's; it is left alone`,
    kubeStatus: 409,
  });
}
