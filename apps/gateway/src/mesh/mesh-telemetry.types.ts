import type {
  EdgeStats,
  HealthReport,
  Measurement,
  MeshScope,
  ServiceStats,
  TopologyGraph,
} from '@heliomesh/metrics';

/**
 * What the gateway reads about live traffic: the metrics collector's API. CollectorMetricsProvider
 * implements it over HTTP; tests run the real collector.
 */
export interface MeshTelemetry {
  serviceStats(scope: MeshScope, windowSeconds: number): Promise<Measurement<ServiceStats[]>>;
  edges(scope: MeshScope, windowSeconds: number): Promise<Measurement<EdgeStats[]>>;
  health(scope: MeshScope, windowSeconds: number): Promise<Measurement<HealthReport>>;
  topology(scope: MeshScope, windowSeconds: number): Promise<Measurement<TopologyGraph>>;
}

export const MESH_TELEMETRY = Symbol('MESH_TELEMETRY');
