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
    const rows = await this.backend.breakdown.requestsBy(
      destinationScope(scope),
      SERVICE_CODE_LABELS,
      windowSeconds,
    );
    return mapMeasurement(rows, (r) => healthReport(r, windowSeconds));
  }

  async topology(scope: MeshScope, windowSeconds: number): Promise<Measurement<TopologyGraph>> {
    const edges = await this.edges(scope, windowSeconds);
    if (edges.kind !== 'value') return edges;
    // Nodes outside the namespace get their health too: ask for every namespace the edges reach.
    const namespaces = [...new Set(edges.value.map((e) => e.destination.namespace).filter(isKnown))];
    const health: Promise<Measurement<CountRow[]>> = namespaces.length
      ? this.backend.breakdown.requestsBy(
          [
            [
              {
                name: 'destination_service_namespace',
                op: '=~',
                value: namespaces.map(quoteRegex).join('|'),
              },
            ],
          ],
          SERVICE_CODE_LABELS,
          windowSeconds,
        )
      : Promise.resolve(measured([]));
    const [serviceRows, edgeRows] = await Promise.all([
      health,
      this.backend.breakdown.requestsBy(edgeScope(scope), EDGE_CODE_LABELS, windowSeconds),
    ]);
    if (serviceRows.kind === 'provider-error') return serviceRows;
    if (edgeRows.kind === 'provider-error') return edgeRows;
    const report = healthReport(rowsOf(serviceRows), windowSeconds);
    return measured(
      buildTopology(edges.value, report, rowsOf(edgeRows), scope.namespace ?? null, windowSeconds),
    );
  }
}
