import type {
  EdgeStats,
  HealthReport,
  HealthStatus,
  TopologyEdge,
  TopologyGraph,
  TopologyNode,
} from '@heliomesh/metrics';
import type { CountRow } from '../telemetry/traffic-breakdown.types.js';
import { edgeKey, indexEdgeLatency, type LatencyMs } from './edge-latency.util.js';
import { tallyOf } from './health-report.util.js';
import { requestHealth, type CodeTally } from './request-health.util.js';
import { aggregateTopology, type EdgeTotals, type NodeSpec } from './topology-aggregate.util.js';

/**
 * Kiali's versioned-app graph with service nodes (mesh-management-anchors §2): a caller's `app`
 * node points at the `service` it calls, which points at each version (`app` node) that served
 * it. Rates come from `EdgeStats` (the client's report where the client has a sidecar); a caller
 * edge's health and latency from the same reporter's codes and histogram, a version edge's from
 * the server's; node health from the inbound health report.
 */

export interface TopologyInput {
  edges: readonly EdgeStats[];
  health: HealthReport;
  /** Request rows grouped by `EDGE_CODE_LABELS`. */
  edgeCodes: readonly CountRow[];
  /** Latency bucket rows grouped by `EDGE_LATENCY_LABELS`. */
  edgeLatency: readonly CountRow[];
  namespace: string | null;
  windowSeconds: number;
}

function indexCodes(rows: readonly CountRow[]): Map<string, CodeTally[]> {
  const out = new Map<string, CodeTally[]>();
  for (const r of rows) {
    const l = r.labels;
    const key = edgeKey(
      l['reporter'] ?? '',
      l['source_workload_namespace'] ?? '',
      l['source_workload'] ?? '',
      l['destination_service_namespace'] ?? '',
      l['destination_service_name'] ?? '',
    );
    const list = out.get(key) ?? [];
    list.push(tallyOf(r));
    out.set(key, list);
  }
  return out;
}

function edgeOf(
  t: EdgeTotals,
  windowSeconds: number,
  health: HealthStatus,
  latencyMs: LatencyMs,
): TopologyEdge {
  return {
    source: t.source,
    target: t.target,
    requestRate: t.count / windowSeconds,
    requestCount: t.count,
    errorCount: t.errors,
    errorShare: t.count > 0 ? t.errors / t.count : null,
    mtlsShare: t.mtlsKnown > 0 ? t.mtlsWeighted / t.mtlsKnown : null,
    responseFlags: { ...t.flags },
    latencyMs,
    health,
  };
}

function healthLookup(report: HealthReport): (node: NodeSpec) => HealthStatus {
  const services = new Map(report.services.map((h) => [`${h.namespace}/${h.service}`, h.status]));
  const versions = new Map(
    report.versions.map((h) => [`${h.namespace}/${h.service}/${h.version}`, h.status]),
  );
  return (node) => {
    if (node.kind === 'service') return services.get(`${node.namespace}/${node.service}`) ?? 'no-data';
    if (node.kind === 'app')
      return versions.get(`${node.namespace}/${node.app}/${node.version}`) ?? 'no-data';
    return 'no-data';
  };
}

export function buildTopology(input: TopologyInput): TopologyGraph {
  const { windowSeconds } = input;
  const { nodes, toService, toVersion } = aggregateTopology(input.edges);
  const codes = indexCodes(input.edgeCodes);
  const latency = indexEdgeLatency(input.edgeLatency);
  const nodeHealth = healthLookup(input.health);
  const outEdges: TopologyEdge[] = [];
  for (const t of toService.values()) {
    // Judge the edge on the side its rates come from: the client's report when it has one.
    const reporter = t.bySource ? 'source' : 'destination';
    const keys = [...t.rawKeys].filter((k) => k.startsWith(`${reporter}\u0000`));
    const health = requestHealth(keys.flatMap((k) => codes.get(k) ?? [])).status;
    outEdges.push(edgeOf(t, windowSeconds, health, latency.callers.quantiles(keys)));
  }
  for (const t of toVersion.values()) {
    const health = nodeHealth(nodes.get(t.target)!);
    outEdges.push(edgeOf(t, windowSeconds, health, latency.versions.quantiles(t.rawKeys)));
  }
  const inbound = new Map<string, number>();
  for (const e of outEdges) inbound.set(e.target, (inbound.get(e.target) ?? 0) + e.requestRate);
  const outNodes: TopologyNode[] = [...nodes.values()].map((n) => ({
    ...n,
    inboundRate: inbound.get(n.id) ?? null,
    health: nodeHealth(n),
  }));
  outNodes.sort((a, b) => a.id.localeCompare(b.id));
  outEdges.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  return { namespace: input.namespace, windowSeconds, nodes: outNodes, edges: outEdges };
}
