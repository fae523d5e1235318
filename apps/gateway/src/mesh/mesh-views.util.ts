import type {
  EdgeStats,
  HealthEntry,
  HealthReport,
  Measurement,
  ServiceStats,
  TopologyEdge,
  TopologyGraph,
  TopologyNode,
} from '@heliomesh/metrics';
import { HeliomeshError } from '@heliomesh/util';
import type { TelemetryError } from '../graphql/common.models.js';
import {
  type HealthEntryModel,
  HealthStatus,
  type NamespaceHealthModel,
  type ServiceHealthModel,
  type ServiceMetricsModel,
  type TopologyModel,
  type TrafficEdgeModel,
  type TrafficEdgesModel,
} from './mesh.models.js';

export const DEFAULT_WINDOW_SECONDS = 60;
const MAX_WINDOW_SECONDS = 86_400;

/** A query window in whole seconds, or a 400 naming the `window` argument. */
export function windowOf(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WINDOW_SECONDS)
    throw new HeliomeshError({
      code: 'WINDOW_INVALID',
      status: 400,
      message: `window is in whole seconds, from 1 to ${MAX_WINDOW_SECONDS} (e.g. 60).`,
      path: ['window'],
    });
  return seconds;
}

export function telemetryError(m: Measurement<unknown>): TelemetryError | null {
  return m.kind === 'provider-error'
    ? { code: m.error.code, message: m.error.message, provider: m.error.provider }
    : null;
}

const valueOf = <T>(m: Measurement<T>, empty: T): T => (m.kind === 'value' ? m.value : empty);

interface ServiceRef {
  namespace: string;
  name: string;
}

export function serviceMetrics(
  m: Measurement<ServiceStats[]>,
  service: ServiceRef,
  windowSeconds: number,
): ServiceMetricsModel {
  const versions = valueOf(m, [])
    .filter((s) => s.namespace === service.namespace && s.service === service.name)
    .sort((a, b) => a.version.localeCompare(b.version))
    .map((s) => ({
      version: s.version,
      requestRate: s.requestRate,
      requestCount: s.requestCount,
      errorCount: s.errorCount,
      successRate: s.successRate,
      latencyMs: s.latencyMs,
      mtlsShare: s.mtlsShare,
      responseFlags: s.responseFlags,
    }));
  return { windowSeconds, error: telemetryError(m), versions };
}

const entryModel = (e: HealthEntry): HealthEntryModel => ({
  namespace: e.namespace,
  service: e.service,
  version: e.version ?? null,
  status: e.status as HealthStatus,
  requestCount: e.requestCount,
  violations: e.violations.map((v) => ({ ...v, status: v.status as HealthStatus })),
});

export function serviceHealth(
  m: Measurement<HealthReport>,
  service: ServiceRef,
  windowSeconds: number,
): ServiceHealthModel {
  const report = valueOf(m, { windowSeconds, services: [], versions: [] });
  const mine = (e: HealthEntry) => e.namespace === service.namespace && e.service === service.name;
  const whole = report.services.find(mine);
  return {
    windowSeconds,
    error: telemetryError(m),
    status: (whole?.status as HealthStatus | undefined) ?? HealthStatus.NO_DATA,
    requestCount: whole?.requestCount ?? 0,
    violations: whole ? entryModel(whole).violations : [],
    versions: report.versions.filter(mine).map(entryModel),
  };
}

export function namespaceHealth(
  m: Measurement<HealthReport>,
  namespace: string,
  windowSeconds: number,
  observedAt: Date,
): NamespaceHealthModel {
  const report = valueOf(m, { windowSeconds, services: [], versions: [] });
  const inNs = (e: HealthEntry) => e.namespace === namespace;
  return {
    namespace,
    windowSeconds,
    observedAt: observedAt.toISOString(),
    error: telemetryError(m),
    services: report.services.filter(inNs).map(entryModel),
    versions: report.versions.filter(inNs).map(entryModel),
  };
}

/** Statuses and violated tolerances: what a health subscriber wants to hear about (not every request). */
export function healthFingerprint(h: NamespaceHealthModel): string {
  const entry = (e: HealthEntryModel) =>
    `${e.service}/${e.version ?? ''}=${e.status}:${e.violations.map((v) => `${v.tolerance}>${v.status}`).join(',')}`;
  return [h.error?.code ?? '', ...h.services.map(entry), ...h.versions.map(entry)].join('|');
}

/** Workloads outside the tenant's namespaces are shown as `external`: who else calls in is not theirs to see. */
function redactSource(source: EdgeStats['source'], owned: Set<string>): EdgeStats['source'] {
  return owned.has(source.namespace) || source.namespace === 'unknown'
    ? source
    : { namespace: 'external', workload: 'external', app: 'external', version: 'external' };
}

function redactDestination(d: EdgeStats['destination'], owned: Set<string>): EdgeStats['destination'] {
  return owned.has(d.namespace) || d.namespace === 'unknown'
    ? d
    : { namespace: 'external', service: 'external', version: 'external' };
}

export function serviceEdges(
  m: Measurement<EdgeStats[]>,
  service: ServiceRef,
  direction: 'inbound' | 'outbound',
  owned: Set<string>,
  windowSeconds: number,
): TrafficEdgesModel {
  const edges = valueOf(m, []).filter((e) =>
    direction === 'inbound'
      ? e.destination.namespace === service.namespace && e.destination.service === service.name
      : e.source.namespace === service.namespace && e.source.app === service.name,
  );
  return {
    windowSeconds,
    error: telemetryError(m),
    edges: edges.map((e): TrafficEdgeModel => ({
      ...e,
      source: redactSource(e.source, owned),
      destination: redactDestination(e.destination, owned),
    })),
  };
}

const EXTERNAL_NODE: TopologyNode = {
  id: 'external',
  kind: 'unknown',
  namespace: 'external',
  inboundRate: null,
  health: 'no-data',
};

export function topologyView(
  m: Measurement<TopologyGraph>,
  namespace: string,
  owned: Set<string>,
  windowSeconds: number,
): TopologyModel {
  const graph = valueOf(m, { namespace, windowSeconds, nodes: [], edges: [] });
  // Istio labels traffic from or to outside the mesh with the namespace "unknown"; that stays.
  const foreign = new Set(
    graph.nodes.filter((n) => n.namespace !== 'unknown' && !owned.has(n.namespace)).map((n) => n.id),
  );
  const nodes = graph.nodes.filter((n) => !foreign.has(n.id));
  const relabel = (id: string) => (foreign.has(id) ? EXTERNAL_NODE.id : id);
  const edges = mergeEdges(
    graph.edges.map((e) => ({ ...e, source: relabel(e.source), target: relabel(e.target) })),
  );
  return {
    namespace,
    windowSeconds,
    error: telemetryError(m),
    nodes: [...nodes, ...(foreign.size ? [{ ...EXTERNAL_NODE, kind: 'external' }] : [])].map((n) => ({
      ...n,
      health: n.health as HealthStatus,
    })),
    edges: edges.map((e) => ({ ...e, health: e.health as HealthStatus })),
  };
}

const SEVERITY: Record<string, number> = { 'no-data': 0, healthy: 1, degraded: 2, failure: 3 };

/** Edges that became parallel when foreign nodes merged into `external`, summed into one. */
function mergeEdges(edges: TopologyEdge[]): TopologyEdge[] {
  const merged = new Map<string, TopologyEdge>();
  for (const e of edges) {
    const key = `${e.source}\n${e.target}`;
    const prev = merged.get(key);
    if (!prev) {
      merged.set(key, e);
      continue;
    }
    const requestCount = prev.requestCount + e.requestCount;
    const errorCount = prev.errorCount + e.errorCount;
    const flags = { ...prev.responseFlags };
    for (const [flag, n] of Object.entries(e.responseFlags)) flags[flag] = (flags[flag] ?? 0) + n;
    // Quantiles cannot be summed: the merged edge keeps those of its busier part.
    const busier = e.requestCount > prev.requestCount ? e : prev;
    merged.set(key, {
      ...busier,
      source: e.source,
      target: e.target,
      requestRate: prev.requestRate + e.requestRate,
      requestCount,
      errorCount,
      errorShare: requestCount > 0 ? errorCount / requestCount : null,
      mtlsShare:
        prev.mtlsShare === null || e.mtlsShare === null || requestCount === 0
          ? null
          : (prev.mtlsShare * prev.requestCount + e.mtlsShare * e.requestCount) / requestCount,
      responseFlags: flags,
      health: (SEVERITY[e.health] ?? 0) > (SEVERITY[prev.health] ?? 0) ? e.health : prev.health,
    });
  }
  return [...merged.values()];
}
