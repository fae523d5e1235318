import { Inject, Injectable } from '@nestjs/common';
import {
  mapMeasurement,
  measured,
  quoteRegex,
  type EdgeStats,
  type HealthReport,
  type LabelMatcher,
  type Measurement,
  type MeshScope,
  type ServiceStats,
  type TopologyGraph,
} from '@heliomesh/metrics';
import { METRICS_BACKEND, type MetricsBackend } from '../telemetry/metrics-backend.factory.js';
import {
  EDGE_CODE_LABELS,
  EDGE_LATENCY_LABELS,
  LATENCY_BUCKETS,
  REQUESTS,
  SERVICE_CODE_LABELS,
  type CountRow,
} from '../telemetry/traffic-breakdown.types.js';
import { healthReport, isKnown } from './health-report.util.js';
import { buildTopology } from './topology-graph.util.js';

/** Health rates carry no reporter filter (istio-semantics §6.2): Kiali computes the ratios itself. */
function destinationScope(scope: MeshScope): LabelMatcher[][] {
  return scope.namespace === undefined
    ? [[]]
    : [[{ name: 'destination_service_namespace', op: '=', value: scope.namespace }]];
}

/** Edges leaving or entering the namespace, like the provider's `edges`. */
function edgeScope(scope: MeshScope): LabelMatcher[][] {
  if (scope.namespace === undefined) return [[]];
  return [
    [{ name: 'source_workload_namespace', op: '=', value: scope.namespace }],
    [{ name: 'destination_service_namespace', op: '=', value: scope.namespace }],
  ];
}

function rowsOf(m: Measurement<CountRow[]>): CountRow[] {
  return m.kind === 'value' ? m.value : [];
}

/** The mesh as the collector shows it: per-version stats, edges, health and the topology graph. */
@Injectable()
export class MeshViewService {
  constructor(@Inject(METRICS_BACKEND) private readonly backend: MetricsBackend) {}

  services(scope: MeshScope, windowSeconds: number): Promise<Measurement<ServiceStats[]>> {
    return this.backend.provider.serviceStats(scope, windowSeconds);
  }

  edges(scope: MeshScope, windowSeconds: number): Promise<Measurement<EdgeStats[]>> {
    return this.backend.provider.edges(scope, windowSeconds);
  }

  async health(scope: MeshScope, windowSeconds: number): Promise<Measurement<HealthReport>> {
    const rows = await this.backend.breakdown.increaseBy(
      REQUESTS,
      destinationScope(scope),
      SERVICE_CODE_LABELS,
      windowSeconds,
    );
    return mapMeasurement(rows, (r) => healthReport(r, windowSeconds));
  }

  async topology(scope: MeshScope, windowSeconds: number): Promise<Measurement<TopologyGraph>> {
    const edges = await this.edges(scope, windowSeconds);
    if (edges.kind !== 'value') return edges;
    const breakdown = this.backend.breakdown;
    const [serviceRows, edgeCodes, edgeLatency] = await Promise.all([
      this.reachedServiceCodes(edges.value, windowSeconds),
      breakdown.increaseBy(REQUESTS, edgeScope(scope), EDGE_CODE_LABELS, windowSeconds),
      breakdown.increaseBy(LATENCY_BUCKETS, edgeScope(scope), EDGE_LATENCY_LABELS, windowSeconds),
    ]);
    for (const m of [serviceRows, edgeCodes, edgeLatency]) if (m.kind === 'provider-error') return m;
    return measured(
      buildTopology({
        edges: edges.value,
        health: healthReport(rowsOf(serviceRows), windowSeconds),
        edgeCodes: rowsOf(edgeCodes),
        edgeLatency: rowsOf(edgeLatency),
        namespace: scope.namespace ?? null,
        windowSeconds,
      }),
    );
  }

  /** Nodes outside the namespace get their health too: codes for every namespace the edges reach. */
  private reachedServiceCodes(
    edges: readonly EdgeStats[],
    windowSeconds: number,
  ): Promise<Measurement<CountRow[]>> {
    const namespaces = [...new Set(edges.map((e) => e.destination.namespace).filter(isKnown))];
    if (namespaces.length === 0) return Promise.resolve(measured([]));
    const matcher: LabelMatcher = {
      name: 'destination_service_namespace',
      op: '=~',
      value: namespaces.map(quoteRegex).join('|'),
    };
    return this.backend.breakdown.increaseBy(REQUESTS, [[matcher]], SERVICE_CODE_LABELS, windowSeconds);
  }
}
