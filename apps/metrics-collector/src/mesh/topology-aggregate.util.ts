import type { EdgeStats, TopologyNode } from '@heliomesh/metrics';
import { edgeKey, versionKey } from './edge-latency.util.js';
import { isKnown } from './health-report.util.js';

/**
 * Folds the providers' per-version edges (source workload -> destination service version) into
 * Kiali's versioned-app graph: caller -> service edges and service -> version edges.
 */

export type NodeSpec = Omit<TopologyNode, 'inboundRate' | 'health'>;

const UNKNOWN_SOURCE: NodeSpec = { id: 'unknown:source', kind: 'unknown', namespace: 'unknown' };
const UNKNOWN_DESTINATION: NodeSpec = { id: 'unknown:destination', kind: 'unknown', namespace: 'unknown' };

function sourceNode(e: EdgeStats): NodeSpec {
  const { namespace, workload, app, version } = e.source;
  if (!isKnown(workload)) return UNKNOWN_SOURCE;
  if (isKnown(app)) {
    return { id: `app:${namespace}/${app}/${version}`, kind: 'app', namespace, app, version, workload };
  }
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

export interface EdgeTotals {
  source: string;
  target: string;
  count: number;
  errors: number;
  flags: Record<string, number>;
  mtlsWeighted: number;
  mtlsKnown: number;
  /** At least one part was measured by the client (it has a sidecar). */
  bySource: boolean;
  /** `edgeKey`s of the raw edges behind a caller edge; the `versionKey` of a version edge. */
  rawKeys: Set<string>;
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
      rawKeys: new Set(),
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

function remember(nodes: Map<string, NodeSpec>, n: NodeSpec): void {
  const workload = n.workload ?? nodes.get(n.id)?.workload;
  nodes.set(n.id, workload === undefined ? n : { ...n, workload });
}

export interface Aggregated {
  nodes: Map<string, NodeSpec>;
  toService: Map<string, EdgeTotals>;
  toVersion: Map<string, EdgeTotals>;
}

export function aggregateTopology(edges: readonly EdgeStats[]): Aggregated {
  const out: Aggregated = { nodes: new Map(), toService: new Map(), toVersion: new Map() };
  for (const e of edges) {
    const src = sourceNode(e);
    const svc = serviceNode(e);
    remember(out.nodes, src);
    remember(out.nodes, svc);
    const { namespace, service, version } = e.destination;
    const t = addTo(out.toService, src.id, svc.id, e);
    t.rawKeys.add(edgeKey(e.reportedBy, e.source.namespace, e.source.workload, namespace, service));
    const ver = versionNode(e);
    if (ver) {
      remember(out.nodes, ver);
      addTo(out.toVersion, svc.id, ver.id, e).rawKeys.add(versionKey(namespace, service, version));
    }
  }
  return out;
}
