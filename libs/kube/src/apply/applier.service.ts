import { errorMessage } from '@heliomesh/util';
import type { JsonPatchOp } from '../client/object.client.js';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from '../client/retry-policy.util.js';
import type { ClusterRef, ClusterRegistry } from '../cluster/cluster-registry.service.js';
import type { KubeCluster } from '../cluster/kube-cluster.model.js';
import { KubeError, isKubeError } from '../errors/kube-error.util.js';
import {
  FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  describeRef,
  objectKey,
  refOf,
  type KubeObject,
  type ObjectRef,
} from '../kube.types.js';
import { applyConfiguration } from './applied-content.util.js';
import type {
  ApplierOptions,
  ApplyCallOptions,
  ApplyReport,
  ApplyResult,
  LiveObjectCache,
  PlanEntry,
} from './apply.types.js';
import { mapBounded } from './concurrency.util.js';
import { compareForRemoval, jsonPointer } from './field-set.util.js';
import { checkSync, type ForeignField } from './sync-check.util.js';
import { validateObject } from './object-validation.util.js';

/** A desired object ready to apply. */
interface Prepared {
  index: number;
  ref: ObjectRef;
  key: string;
  desired: KubeObject;
  config: KubeObject;
  hash: string;
}

/** Live state per key: an object, `null` (known absent), or missing from the map (unknown). */
type LiveMap = Map<string, KubeObject | null>;

/**
 * Server-side apply as field manager `heliomesh` with force (these objects are ours), skipping the
 * write when the live object already holds what we would apply (see sync-check.util.ts), with
 * bounded concurrency and retries of transient failures.
 */
export class Applier {
  private readonly manager: string;
  private readonly concurrency: number;
  private readonly retry: RetryPolicy;
  private readonly cache: LiveObjectCache | undefined;
  private readonly prefetchThreshold: number;
  private readonly adopt: boolean;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly options: ApplierOptions = {},
  ) {
    this.manager = options.fieldManager ?? FIELD_MANAGER;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.cache = options.cache;
    this.prefetchThreshold = options.prefetchThreshold ?? 20;
    this.adopt = options.adopt ?? false;
  }

  async apply(cluster: ClusterRef, object: KubeObject): Promise<ApplyResult> {
    const report = await this.applyAll(cluster, [object], { concurrency: 1 });
    return report.results[0]!;
  }

  /** Applies a set of objects; never throws for a single object's failure (see each result). */
  async applyAll(
    clusterRef: ClusterRef,
    objects: readonly KubeObject[],
    opts: ApplyCallOptions = {},
  ): Promise<ApplyReport> {
    const cluster = this.registry.resolve(clusterRef);
    const started = cluster.clock.now();
    const { prepared, failed } = this.prepare(objects);
    const live = await this.prefetch(cluster, prepared);
    const applied = await mapBounded(prepared, opts.concurrency ?? this.concurrency, (p) =>
      this.applyOne(cluster, p, live),
    );
    const results = new Array<ApplyResult>(objects.length);
    for (const f of failed) results[f.index] = f.result;
    prepared.forEach((p, i) => (results[p.index] = applied[i]!));
    const count = (outcome: ApplyResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    return {
      cluster: cluster.name,
      results,
      created: count('created'),
      configured: count('configured'),
      unchanged: count('unchanged'),
      failed: count('failed'),
      durationMs: Math.round(cluster.clock.now() - started),
    };
  }

  /** What applying would change, from server-side dry runs; nothing is written. One entry per object, in order. */
  async plan(clusterRef: ClusterRef, objects: readonly KubeObject[]): Promise<PlanEntry[]> {
    const cluster = this.registry.resolve(clusterRef);
    const { prepared, failed } = this.prepare(objects);
    const planned = await mapBounded(prepared, this.concurrency, (p) => this.planOne(cluster, p));
    const entries = new Array<PlanEntry>(objects.length);
    for (const { index, result } of failed)
      entries[index] = {
        ref: result.ref,
        key: result.key,
        action: 'error',
        ...(result.reason ? { reason: result.reason } : {}),
        ...(result.error ? { error: result.error } : {}),
      };
    prepared.forEach((p, i) => (entries[p.index] = planned[i]!));
    return entries;
  }

  private prepare(objects: readonly KubeObject[]): {
    prepared: Prepared[];
    failed: Array<{ index: number; key: string; result: ApplyResult }>;
  } {
    const prepared: Prepared[] = [];
    const failed: Array<{ index: number; key: string; result: ApplyResult }> = [];
    const seen = new Set<string>();
    objects.forEach((desired, index) => {
      const invalid = validateObject(desired, index);
      const key = invalid ? `invalid#${index}` : objectKey(desired);
      const error =
        invalid ??
        (seen.has(key)
          ? new KubeError({
              code: 'KUBE_OBJECT_INVALID',
              message: `${describeRef(refOf(desired))} appears more than once in the set; apply each object once`,
              path: [index],
            })
          : undefined);
      if (error) {
        const ref = {
          apiVersion: String(desired?.apiVersion ?? ''),
          kind: String(desired?.kind ?? ''),
          name: String(desired?.metadata?.name ?? ''),
        };
        failed.push({
          index,
          key,
          result: { ref, key, outcome: 'failed', writes: 0, reason: error.message, error },
        });
        return;
      }
      seen.add(key);
      const { config, hash } = applyConfiguration(desired);
      prepared.push({ index, ref: refOf(desired), key, desired, config, hash });
    });
    return { prepared, failed };
  }

  /**
   * Live state without a GET per object: from the cache when one is attached (it holds our
   * objects only, so a miss means "ask"), else one list per (kind, namespace) holding enough of
   * the set. The list has no label selector on purpose: an object it does not return is known
   * absent, not merely unlabelled, so the ownership check below never misses a foreign object.
   */
  private async prefetch(cluster: KubeCluster, prepared: Prepared[]): Promise<LiveMap> {
    const live: LiveMap = new Map();
    const groups = new Map<string, Prepared[]>();
    for (const p of prepared) {
      const cached = this.cache?.lookup(cluster.name, p.ref);
      if (cached) {
        live.set(p.key, cached);
        continue;
      }
      const group = `${p.ref.apiVersion}|${p.ref.kind}|${p.ref.namespace ?? ''}`;
      groups.set(group, [...(groups.get(group) ?? []), p]);
    }
    for (const members of groups.values()) {
      if (members.length < this.prefetchThreshold) continue;
      const first = members[0]!.ref;
      try {
        const { value } = await withRetries(
          () => cluster.objects.list(first, first.namespace ? { namespace: first.namespace } : {}),
          this.retry,
          { what: `list ${first.kind} in ${first.namespace ?? 'all namespaces'}`, clock: cluster.clock },
        );
        const found = new Map(value.items.map((o) => [objectKey(o), o] as const));
        for (const m of members) live.set(m.key, found.get(m.key) ?? null);
      } catch {
        // Each object is then read on its own; a real problem shows up there with its object named.
      }
    }
    return live;
  }

  private async readLive(cluster: KubeCluster, p: Prepared, live: LiveMap): Promise<KubeObject | null> {
    const known = live.get(p.key);
    if (known !== undefined) return known;
    const { value } = await withRetries(() => cluster.objects.get(p.ref), this.retry, {
      what: `read ${describeRef(p.ref)}`,
      clock: cluster.clock,
    });
    return value ?? null;
  }

  private async applyOne(cluster: KubeCluster, p: Prepared, live: LiveMap): Promise<ApplyResult> {
    const base = { ref: p.ref, key: p.key };
    let writes = 0;
    try {
      const current = await this.readLive(cluster, p, live);
      if (current && !this.adopt && !this.isOurs(current)) throw foreignObject(p.ref, this.manager);
      const before = current ? checkSync(current, this.manager, p.hash) : undefined;
      if (before?.inSync)
        return {
          ...base,
          outcome: 'unchanged',
          writes: 0,
          resourceVersion: current!.metadata.resourceVersion!,
        };
      const { value, attempts } = await withRetries(
        () => cluster.objects.apply(p.config, { fieldManager: this.manager, force: true }),
        this.retry,
        { what: `apply ${describeRef(p.ref)}`, clock: cluster.clock, ...this.randomOpt() },
      );
      writes += attempts;
      let object = value.object;
      const after = checkSync(object, this.manager, p.hash);
      if (after.foreign.length > 0) {
        cluster.ownWrites.markTransient(p.key, object.metadata.resourceVersion!);
        const removed = await this.removeForeign(cluster, p, object, after.foreign);
        writes += removed.writes;
        object = removed.object;
      }
      cluster.ownWrites.forgetDeleted(p.key);
      return {
        ...base,
        outcome: value.created ? 'created' : 'configured',
        writes,
        resourceVersion: object.metadata.resourceVersion!,
        ...(before?.reason ? { reason: before.reason } : {}),
      };
    } catch (err) {
      const error =
        err instanceof KubeError
          ? err
          : new KubeError({
              code: 'KUBE_SERVER_ERROR',
              message: `apply ${describeRef(p.ref)}: ${errorMessage(err)}`,
              cause: err,
            });
      return { ...base, outcome: 'failed', writes, reason: `${describeRef(p.ref)}: ${error.message}`, error };
    }
  }

  /**
   * Apply (even with force) leaves fields that others added and we never set: they stay owned by
   * their writer. A JSON patch removes exactly those, guarded by a test of the resourceVersion it
   * was computed from; an Update that removes a field takes it from every manager.
   */
  private async removeForeign(
    cluster: KubeCluster,
    p: Prepared,
    object: KubeObject,
    foreign: ForeignField[],
  ): Promise<{ object: KubeObject; writes: number }> {
    let current = object;
    let fields = foreign;
    const { value, attempts } = await withRetries(
      async (attempt) => {
        if (attempt > 0) {
          const fresh = await cluster.objects.get(p.ref);
          if (!fresh) return current;
          current = fresh;
          fields = checkSync(fresh, this.manager, p.hash).foreign;
        }
        const ops = removalOps(current, fields);
        if (ops.length === 0) return current;
        try {
          return await cluster.objects.jsonPatch(p.ref, ops, this.manager);
        } catch (err) {
          // 422 here means the object moved on (failed test, or a field already gone): re-read and recompute.
          if (isKubeError(err, 'KUBE_INVALID'))
            throw new KubeError({ code: 'KUBE_CONFLICT', message: err.message, kubeStatus: 409, cause: err });
          throw err;
        }
      },
      this.retry,
      {
        what: `remove fields others added to ${describeRef(p.ref)}`,
        clock: cluster.clock,
        ...this.randomOpt(),
      },
    );
    return { object: value, writes: attempts };
  }

  private async planOne(cluster: KubeCluster, p: Prepared): Promise<PlanEntry> {
    const base = { ref: p.ref, key: p.key };
    try {
      const { value: live } = await withRetries(() => cluster.objects.get(p.ref), this.retry, {
        what: `read ${describeRef(p.ref)}`,
        clock: cluster.clock,
      });
      if (live && !this.adopt && !this.isOurs(live)) throw foreignObject(p.ref, this.manager);
      const state = live ? checkSync(live, this.manager, p.hash) : undefined;
      if (live && state?.inSync) return { ...base, action: 'none', live };
      const { value } = await withRetries(
        () => cluster.objects.apply(p.config, { fieldManager: this.manager, force: true, dryRun: true }),
        this.retry,
        { what: `dry-run apply ${describeRef(p.ref)}`, clock: cluster.clock },
      );
      return {
        ...base,
        action: live ? 'update' : 'create',
        ...(state?.reason ? { reason: state.reason } : {}),
        ...(live ? { live } : {}),
        planned: value.object,
      };
    } catch (err) {
      const error =
        err instanceof KubeError
          ? err
          : new KubeError({ code: 'KUBE_SERVER_ERROR', message: errorMessage(err) });
      return { ...base, action: 'error', reason: error.message, error };
    }
  }

  /** Ours: labelled managed-by=heliomesh, or applied by our field manager before (someone may have removed the label). */
  private isOurs(obj: KubeObject): boolean {
    if (obj.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) return true;
    return (obj.metadata.managedFields ?? []).some(
      (m) => m.manager === this.manager && m.operation === 'Apply',
    );
  }

  private randomOpt(): { random?: () => number } {
    return this.options.random ? { random: this.options.random } : {};
  }
}

function foreignObject(ref: ObjectRef, manager: string): KubeError {
  return new KubeError({
    code: 'KUBE_FOREIGN_OBJECT',
    message: `${describeRef(ref)} already exists and is not Heliomesh's (no ${MANAGED_BY_LABEL}=${MANAGED_BY} label, never applied by "${manager}"); it is left alone: rename the generated object, or delete or label the existing one to hand it over`,
    kubeStatus: 409,
  });
}

/** JSON patch ops removing `fields` from `obj`: outermost fields only, later list items first. */
export function removalOps(obj: KubeObject, fields: ForeignField[]): JsonPatchOp[] {
  const pointers = fields
    .map((f) => jsonPointer(obj, f.path))
    .filter((p): p is string => p !== undefined && p !== '')
    .sort();
  const unique = [...new Set(pointers)];
  const outermost = unique.filter((p) => !unique.some((q) => p.startsWith(`${q}/`)));
  if (outermost.length === 0) return [];
  return [
    { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
    ...outermost.sort(compareForRemoval).map((path) => ({ op: 'remove' as const, path })),
  ];
}
