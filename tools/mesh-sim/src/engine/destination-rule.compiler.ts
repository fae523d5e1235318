import type {
  ConnectionPoolSettings,
  DestinationRuleSpec,
  LoadBalancerSettings,
  OutlierDetectionSettings,
  PolicyBlocks,
  TrafficPolicy,
} from '../config/networking.schema.js';
import { parseDurationMs } from '../util/duration.util.js';
import { hostMatches, resolveShortName } from './host.util.js';
import { labelsMatch } from './registry.compiler.js';
import {
  UNLIMITED,
  type OutlierPolicy,
  type PoolLimits,
  type ResolvedPolicy,
} from './traffic-policy.types.js';

export interface CompiledDestinationRule {
  uid: string;
  name: string;
  namespace: string;
  createdMs: number;
  host: string;
  exportTo: string[];
  selector: Readonly<Record<string, string>> | undefined;
  spec: DestinationRuleSpec;
}

/** The DestinationRules that apply to one client and host, merged (istio-semantics §2.1). */
export interface MergedDestinationRule {
  rules: CompiledDestinationRule[];
  trafficPolicy: TrafficPolicy | undefined;
  subsets: Map<
    string,
    { labels: Readonly<Record<string, string>>; trafficPolicy: TrafficPolicy | undefined }
  >;
}

export function compileDestinationRule(
  spec: DestinationRuleSpec,
  meta: { uid: string; name: string; namespace: string; createdMs: number },
): CompiledDestinationRule {
  return {
    ...meta,
    host: resolveShortName(spec.host, meta.namespace),
    exportTo: spec.exportTo ?? ['*'],
    selector: spec.workloadSelector?.matchLabels,
    spec,
  };
}

/**
 * §2.1 lookup: client namespace, then the service's namespace, then the root namespace, subject to
 * exportTo. Several DRs for the host merge: the first subset definition and the first top-level
 * trafficPolicy win. A DR with a workloadSelector applies only to matching workloads of its namespace.
 */
export function findDestinationRule(
  byNamespace: ReadonlyMap<string, CompiledDestinationRule[]>,
  client: { namespace: string; labels: Readonly<Record<string, string>> },
  fqdn: string,
  serviceNamespace: string,
  rootNamespace: string,
): MergedDestinationRule | undefined {
  for (const ns of new Set([client.namespace, serviceNamespace, rootNamespace])) {
    const candidates = (byNamespace.get(ns) ?? []).filter(
      (dr) => visibleTo(dr, client.namespace) && hostMatches(dr.host, fqdn) && selects(dr, client),
    );
    if (candidates.length === 0) continue;
    const exact = candidates.filter((dr) => dr.host === fqdn);
    const chosen = exact.length > 0 ? exact : mostSpecificWildcard(candidates);
    chosen.sort(
      (a, b) =>
        Number(!!b.selector) - Number(!!a.selector) ||
        a.createdMs - b.createdMs ||
        a.name.localeCompare(b.name),
    );
    return merge(chosen);
  }
  return undefined;
}

function visibleTo(dr: CompiledDestinationRule, namespace: string): boolean {
  if (dr.selector) return dr.namespace === namespace;
  return dr.exportTo.some((e) => e === '*' || e === namespace || (e === '.' && dr.namespace === namespace));
}

function selects(
  dr: CompiledDestinationRule,
  client: { namespace: string; labels: Readonly<Record<string, string>> },
): boolean {
  return !dr.selector || (dr.namespace === client.namespace && labelsMatch(dr.selector, client.labels));
}

function mostSpecificWildcard(candidates: CompiledDestinationRule[]): CompiledDestinationRule[] {
  const longest = Math.max(...candidates.map((dr) => (dr.host === '*' ? 0 : dr.host.length)));
  return candidates.filter((dr) => (dr.host === '*' ? 0 : dr.host.length) === longest);
}

function merge(rules: CompiledDestinationRule[]): MergedDestinationRule {
  const subsets: MergedDestinationRule['subsets'] = new Map();
  let trafficPolicy: TrafficPolicy | undefined;
  for (const dr of rules) {
    trafficPolicy ??= dr.spec.trafficPolicy;
    for (const s of dr.spec.subsets ?? []) {
      if (!subsets.has(s.name))
        subsets.set(s.name, { labels: s.labels ?? {}, trafficPolicy: s.trafficPolicy });
    }
  }
  return { rules, trafficPolicy, subsets };
}

type Blocks = PolicyBlocks;

/**
 * §2.1: a port-level or subset policy replaces each block it sets as a whole; fields are not
 * merged, and fields a block omits take their defaults.
 */
function overlay(base: Blocks, policy: TrafficPolicy | undefined, port: number): Blocks {
  if (!policy) return base;
  const out: Blocks = { ...base };
  const apply = (b: Blocks): void => {
    if (b.loadBalancer) out.loadBalancer = b.loadBalancer;
    if (b.connectionPool) out.connectionPool = b.connectionPool;
    if (b.outlierDetection) out.outlierDetection = b.outlierDetection;
    if (b.tls) out.tls = b.tls;
  };
  apply(policy);
  const pls = policy.portLevelSettings?.find((p) => p.port?.number === port);
  if (pls) apply(pls);
  return out;
}

export function resolvePolicy(
  merged: MergedDestinationRule | undefined,
  port: number,
  subset: string | undefined,
): ResolvedPolicy {
  let blocks = overlay({}, merged?.trafficPolicy, port);
  if (subset) blocks = overlay(blocks, merged?.subsets.get(subset)?.trafficPolicy, port);
  const hash = blocks.loadBalancer?.consistentHash;
  return {
    lb: hash ? 'HASH' : simpleLb(blocks.loadBalancer?.simple),
    hashKey: hash
      ? hash.httpHeaderName
        ? { kind: 'header', name: hash.httpHeaderName.toLowerCase() }
        : hash.httpCookie?.name
          ? { kind: 'cookie', name: hash.httpCookie.name }
          : hash.httpQueryParameterName
            ? { kind: 'query', name: hash.httpQueryParameterName }
            : hash.useSourceIp
              ? { kind: 'sourceIp' }
              : undefined
      : undefined,
    // §2.2: ringHash minimumRingSize defaults to 1024.
    ringSize: hash?.ringHash?.minimumRingSize ?? hash?.minimumRingSize ?? 1024,
    pool: poolLimits(blocks.connectionPool),
    outlier: blocks.outlierDetection ? outlierPolicy(blocks.outlierDetection) : undefined,
    tlsMode: blocks.tls?.mode,
    upgradeH2: blocks.connectionPool?.http?.h2UpgradePolicy === 'UPGRADE',
  };
}

/** §2.2: unspecified is LEAST_REQUEST; LEAST_CONN is an alias; PASSTHROUGH has no endpoints to pick, so it acts as RANDOM. */
function simpleLb(simple: LoadBalancerSettings['simple']): ResolvedPolicy['lb'] {
  if (simple === 'ROUND_ROBIN') return 'ROUND_ROBIN';
  if (simple === 'RANDOM' || simple === 'PASSTHROUGH') return 'RANDOM';
  return 'LEAST_REQUEST';
}

/** §2.3: every limit defaults to 2^32-1 and 0 means unset. */
function poolLimits(pool: ConnectionPoolSettings | undefined): PoolLimits {
  const limit = (v: number | undefined): number => (v === undefined || v <= 0 ? UNLIMITED : v);
  return {
    maxConnections: limit(pool?.tcp?.maxConnections),
    http1MaxPendingRequests: limit(pool?.http?.http1MaxPendingRequests),
    http2MaxRequests: limit(pool?.http?.http2MaxRequests),
    maxRetries: limit(pool?.http?.maxRetries),
  };
}

/**
 * §2.4: consecutive5xxErrors defaults to Envoy's 5 (enforced); 0 disables. The gateway check is
 * enforced only when set above 0. The deprecated consecutiveErrors means gateway errors only.
 * Defaults: interval 10s, baseEjectionTime 30s, maxEjectionPercent 10, minHealthPercent 0.
 */
function outlierPolicy(od: OutlierDetectionSettings): OutlierPolicy {
  const legacy = od.consecutiveErrors !== undefined && od.consecutiveErrors > 0;
  return {
    consecutive5xx: od.consecutive5xxErrors ?? (legacy ? 0 : 5),
    consecutiveGateway: od.consecutiveGatewayErrors ?? (legacy ? od.consecutiveErrors! : 0),
    consecutiveLocalOrigin: od.consecutiveLocalOriginFailures ?? 5,
    splitLocalOrigin: od.splitExternalLocalOriginErrors === true,
    intervalMs: (od.interval ? parseDurationMs(od.interval) : undefined) ?? 10_000,
    baseEjectionMs: (od.baseEjectionTime ? parseDurationMs(od.baseEjectionTime) : undefined) ?? 30_000,
    maxEjectionPercent: od.maxEjectionPercent ?? 10,
    minHealthPercent: od.minHealthPercent ?? 0,
  };
}
