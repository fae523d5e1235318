import type { StoredPolicy } from '@heliomesh/policy';
import { COMPILER_DEFINITIONS } from '../checks/catalogue.util.js';
import type { Finding } from '../checks/finding.types.js';
import type { ExplainEntry } from '../emit/explain.types.js';
import type { IstioObject } from '../emit/istio-objects.types.js';
import { compareObjects } from '../emit/yaml.util.js';
import { indexSnapshot, resolveServiceRef, type SnapshotIndex } from '../snapshot/snapshot-index.util.js';
import type { CompileSnapshot, ServiceRef } from '../snapshot/snapshot.types.js';
import {
  compareFindings,
  compileUnit,
  toFinding,
  type CompileOptions,
  type HostResult,
} from './host.compiler.js';

export interface CompileResult {
  /** Every emitted object, sorted by kind, namespace and name. */
  objects: IstioObject[];
  /** Every finding: per host, plus those of policies that reach no host. */
  findings: Finding[];
  /** Per host, in host order. */
  hosts: Map<string, HostResult>;
  index: SnapshotIndex;
}

function isIndex(input: CompileSnapshot | SnapshotIndex): input is SnapshotIndex {
  return (input as SnapshotIndex).units instanceof Map;
}

/** Findings of policies that target no service of the snapshot. */
function orphanFindings(index: SnapshotIndex): Finding[] {
  const out: Finding[] = [];
  for (const { entry, host } of index.orphans) {
    const id = (entry.policy as { id?: unknown } | null | undefined)?.id;
    const policyIds = [typeof id === 'string' ? id : `policies[${entry.index}]`];
    for (const issue of entry.issues)
      out.push(
        toFinding(COMPILER_DEFINITIONS.schema, { message: issue.message, path: issue.path, policyIds }, host),
      );
    out.push(
      toFinding(
        COMPILER_DEFINITIONS.orphan,
        {
          message: host
            ? `no service ${host} in the mesh; the policy applies to nothing`
            : 'the target names no namespace and service',
          path: ['target'],
          policyIds,
        },
        host,
      ),
    );
  }
  return out;
}

/**
 * Compiles a snapshot (one cluster of one tenant) into Istio objects: one VirtualService and one
 * DestinationRule per service host, plus one AuthorizationPolicy, EnvoyFilter or WasmPlugin per
 * AccessControl, RateLimit or Plugin. Deterministic: the same snapshot in any input order gives
 * the same objects (and the same bytes through `toYaml`). Never throws on bad input.
 */
export function compile(input: CompileSnapshot | SnapshotIndex, options: CompileOptions = {}): CompileResult {
  const index = isIndex(input) ? input : indexSnapshot(input);
  const hosts = new Map<string, HostResult>();
  const findings: Finding[] = orphanFindings(index);
  const objects: IstioObject[] = [];
  for (const host of [...index.units.keys()].sort()) {
    const result = compileUnit(index.units.get(host)!, index, options);
    hosts.set(host, result);
    findings.push(...result.findings);
    objects.push(...result.objects);
  }
  return { objects: objects.sort(compareObjects), findings: findings.sort(compareFindings), hosts, index };
}

/**
 * Recompiles one host for the reconcile worker, reading only that host's unit. Pass an index
 * (`indexSnapshot`, built once) to keep the cost independent of the mesh size. Undefined when the
 * snapshot has no such service (the worker prunes its objects).
 */
export function compileHost(
  input: CompileSnapshot | SnapshotIndex,
  ref: ServiceRef,
  options: CompileOptions = {},
): HostResult | undefined {
  const index = isIndex(input) ? input : indexSnapshot(input);
  const unit = index.units.get(resolveServiceRef(ref, index.domainSuffix));
  return unit ? compileUnit(unit, index, options) : undefined;
}

/** For each generated field of a host's objects, which policy (id, revision) or rollout produced it. */
export function explain(result: CompileResult, host: string): ExplainEntry[] {
  return result.hosts.get(host)?.explain ?? [];
}

/**
 * What a policy write would do, for write-time validation: the snapshot with `candidate`
 * added (or replacing the policy with its id), compiled for every host the candidate touches.
 * Reject the write when any returned finding is an error.
 */
export function previewPolicy(
  snapshot: CompileSnapshot,
  candidate: StoredPolicy,
  options: CompileOptions = {},
): { findings: Finding[]; hosts: HostResult[] } {
  const policies = [...snapshot.policies.filter((p) => p.id !== candidate.id), candidate];
  const index = indexSnapshot({ ...snapshot, policies });
  const touched = new Set<string>();
  for (const [host, unit] of index.units)
    if (
      unit.policies.some((e) => e.policy.id === candidate.id) ||
      unit.fullLinks.some((f) => f.policy.id === candidate.id)
    )
      touched.add(host);
  const hosts = [...touched].sort().map((h) => compileUnit(index.units.get(h)!, index, options));
  const orphans = orphanFindings(index).filter((f) => f.policyIds?.includes(candidate.id));
  return { findings: [...orphans, ...hosts.flatMap((h) => h.findings)].sort(compareFindings), hosts };
}
