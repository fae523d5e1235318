import type {
  EdgeStats,
  HealthReport,
  HealthStatus,
  TopologyEdge,
  TopologyGraph,
  TopologyNode,
} from '@heliomesh/metrics';
import type { CountRow } from '../telemetry/traffic-breakdown.types.js';
import { isKnown, tallyOf } from './health-report.util.js';
import { requestHealth, type CodeTally } from './request-health.util.js';

/**
 * Kiali's versioned-app graph with service nodes (mesh-management-anchors §2): a caller's `app`
 * node points at the `service` it calls, which points at each version (`app` node) that served
 * it. Rates come from `EdgeStats` (the client's report where the client has a sidecar); edge
 * health from the same reporter's response codes, node health from the inbound health report.
 */

type NodeSpec = Omit<TopologyNode, 'inboundRate' | 'health'>;

const UNKNOWN_SOURCE: NodeSpec = { id: 'unknown:source', kind: 'unknown', namespace: 'unknown' };
const UNKNOWN_DESTINATION: NodeSpec = { id: 'unknown:destination', kind: 'unknown', namespace: 'unknown' };

function sourceNode(e: EdgeStats): NodeSpec {
  const { namespace, workload, app, version } = e.source;
  if (!isKnown(workload)) return UNKNOWN_SOURCE;
  if (isKnown(app))
    return { id: `app:${namespace}/${app}/${version}`, kind: 'app', namespace, app, version, workload };
  return { id: `workload:${namespace}/${workload}`, kind: 'workload', namespace, workload };
}

function serviceNode(e: EdgeStats): NodeSpec {
  const { namespace, service } = e.destination;
  if (!isKnown(namespace) || !isKnown(service)) return UNKNOWN_DESTINATION;
  return { id: `service:${namespace}/${service}`, kind: 'service', namespace, service };
}

/** The version that served the requests, when one did; the app is the service's name. */
function versionNode(e: EdgeStats): NodeSpec | undefined {
  const { namespace, service, version } = e.destination;
  if (!isKnown(namespace) || !isKnown(service) || !isKnown(version)) return undefined;
  return { id: `app:${namespace}/${service}/${version}`, kind: 'app', namespace, app: service, version };
}

interface EdgeTotals {
  source: string;
  target: string;
  count: number;
  errors: number;
  flags: Record<string, number>;
  mtlsWeighted: number;
  mtlsKnown: number;
  bySource: boolean;
  /** Raw label keys of the client-side rows behind the edge (for its response codes). */
  codeKeys: Set<string>;
}

/** Key of a raw edge in the code breakdown (`EDGE_CODE_LABELS` minus the protocol and codes). */
function codeKey(reporter: string, ns: string, workload: string, dstNs: string, dstService: string): string {
  return [reporter, ns, workload, dstNs, dstService].join('\u0000');
}

function addTo(totals: Map<string, EdgeTotals>, source: string, target: string, e: EdgeStats): EdgeTotals {
  const key = `${source}\u0000${target}`;
  let t = totals.get(key);
  if (!t) {
    t = {
      source,
      target,
      count: 0,
      errors: 0,
      flags: Object.create(null) as Record<string, number>,
      mtlsWeighted: 0,
      mtlsKnown: 0,
      bySource: false,
      codeKeys: new Set(),
    };
    totals.set(key, t);
  }
  t.count += e.requestCount;
  t.errors += e.errorCount;
  for (const [flag, n] of Object.entries(e.responseFlags)) t.flags[flag] = (t.flags[flag] ?? 0) + n;
  if (e.mtlsShare !== null) {
    t.mtlsWeighted += e.mtlsShare * e.requestCount;
    t.mtlsKnown += e.requestCount;
  }
  if (e.reportedBy === 'source') t.bySource = true;
  return t;
}

function indexCodes(rows: readonly CountRow[]): Map<string, CodeTally[]> {
  const out = new Map<string, CodeTally[]>();
  for (const r of rows) {
    const l = r.labels;
    const key = codeKey(
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

function edgeOf(t: EdgeTotals, windowSeconds: number, health: HealthStatus): TopologyEdge {
  return {
    source: t.source,
    target: t.target,
    requestRate: t.count / windowSeconds,
    requestCount: t.count,
    errorCount: t.errors,
    errorShare: t.count > 0 ? t.errors / t.count : null,
    mtlsShare: t.mtlsKnown > 0 ? t.mtlsWeighted / t.mtlsKnown : null,
    responseFlags: { ...t.flags },
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

function remember(nodes: Map<string, NodeSpec>, n: NodeSpec): void {
  const workload = n.workload ?? nodes.get(n.id)?.workload;
  nodes.set(n.id, workload === undefined ? n : { ...n, workload });
}

interface Aggregated {
  nodes: Map<string, NodeSpec>;
  toService: Map<string, EdgeTotals>;
  toVersion: Map<string, EdgeTotals>;
}

/** Folds per-version edges into caller -> service and service -> version edges. */
function aggregate(edges: readonly EdgeStats[]): Aggregated {
  const out: Aggregated = { nodes: new Map(), toService: new Map(), toVersion: new Map() };
  for (const e of edges) {
    const src = sourceNode(e);
    const svc = serviceNode(e);
    remember(out.nodes, src);
    remember(out.nodes, svc);
    const t = addTo(out.toService, src.id, svc.id, e);
    t.codeKeys.add(
      codeKey(
        e.reportedBy,
        e.source.namespace,
        e.source.workload,
        e.destination.namespace,
        e.destination.service,
      ),
    );
    const ver = versionNode(e);
    if (ver) {
      remember(out.nodes, ver);
      addTo(out.toVersion, svc.id, ver.id, e);
    }
  }
  return out;
}

export function buildTopology(
  edges: readonly EdgeStats[],
  report: HealthReport,
  edgeCodes: readonly CountRow[],
  namespace: string | null,
  windowSeconds: number,
): TopologyGraph {
  const { nodes, toService, toVersion } = aggregate(edges);
  const codes = indexCodes(edgeCodes);
  const nodeHealth = healthLookup(report);
  const outEdges: TopologyEdge[] = [];
  for (const t of toService.values()) {
    // Judge the edge on the side its rates come from: the client's report when it has one.
    const reporter = t.bySource ? 'source' : 'destination';
    const tallies = [...t.codeKeys]
      .filter((k) => k.startsWith(`${reporter}\u0000`))
      .flatMap((k) => codes.get(k) ?? []);
    outEdges.push(edgeOf(t, windowSeconds, requestHealth(tallies).status));
  }
  for (const t of toVersion.values())
    outEdges.push(edgeOf(t, windowSeconds, nodeHealth(nodes.get(t.target)!)));
  const inbound = new Map<string, number>();
  for (const e of outEdges) inbound.set(e.target, (inbound.get(e.target) ?? 0) + e.requestRate);
  const outNodes: TopologyNode[] = [...nodes.values()].map((n) => ({
    ...n,
    inboundRate: inbound.get(n.id) ?? null,
    health: nodeHealth(n),
  }));
  outNodes.sort((a, b) => a.id.localeCompare(b.id));
  outEdges.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  return { namespace, windowSeconds, nodes: outNodes, edges: outEdges };
}
