import type { PolicyKind, StoredPolicy, StoredPolicyOf } from '@heliomesh/policy';
import type { JsonPath } from '@heliomesh/util';
import type { HostModel } from '../model/host-model.util.js';
import type { ResolvedRoute } from '../model/resolve-routes.util.js';
import type { HostUnit, SnapshotIndex } from '../snapshot/snapshot-index.util.js';
import type { CheckDefinition, FindingDraft } from './finding.types.js';

/** What a checker sees: one host's inputs, its model and its resolved routes. */
export interface CheckContext {
  unit: HostUnit;
  index: SnapshotIndex;
  /** Schema-valid policies targeting the host, sorted by id. */
  policies: readonly StoredPolicy[];
  model: HostModel;
  routes: readonly ResolvedRoute[];
  /** `policies` grouped by kind, built once per host (every checker filters by kind). */
  byKind: ReadonlyMap<PolicyKind, readonly StoredPolicy[]>;
}

export function groupByKind(policies: readonly StoredPolicy[]): Map<PolicyKind, StoredPolicy[]> {
  const out = new Map<PolicyKind, StoredPolicy[]>();
  for (const p of policies) {
    const list = out.get(p.kind);
    if (list) list.push(p);
    else out.set(p.kind, [p]);
  }
  return out;
}

/** One rule of the validation catalogue: its definition and the test that finds it. */
export interface Checker {
  definition: CheckDefinition;
  check(ctx: CheckContext): FindingDraft[];
}

export function defineChecker(
  definition: CheckDefinition,
  check: (ctx: CheckContext) => FindingDraft[],
): Checker {
  return { definition, check };
}

export function policiesOf<K extends PolicyKind>(ctx: CheckContext, kind: K): StoredPolicyOf<K>[] {
  return (ctx.byKind.get(kind) ?? []) as unknown as StoredPolicyOf<K>[];
}

/** A finding draft pointing into one policy. */
export function at(policy: StoredPolicy, path: JsonPath, message: string): FindingDraft {
  return { message, path, policyIds: [policy.id] };
}

/** Runs `fn` over the policies of one kind and collects its drafts. */
export function eachPolicy<K extends PolicyKind>(
  kind: K,
  fn: (policy: StoredPolicyOf<K>, ctx: CheckContext) => FindingDraft[],
): (ctx: CheckContext) => FindingDraft[] {
  return (ctx) => policiesOf(ctx, kind).flatMap((p) => fn(p, ctx));
}
