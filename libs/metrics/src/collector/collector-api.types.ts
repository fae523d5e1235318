import type { MeshSelector, WindowSeconds } from '../mesh-query.types.js';
import type { TargetHealth } from '../scrape/scrape-collector.service.js';

/**
 * The metrics collector's internal HTTP API, as types shared by the server (apps/metrics-collector)
 * and its client (`CollectorMetricsProvider`). Every answer about the mesh is a `Measurement`, so
 * "no data", "provider error" and a value stay apart across the wire.
 */

/** Kiali's request health: no traffic in the window is `no-data`, never `healthy`. */
export type HealthStatus = 'healthy' | 'degraded' | 'failure' | 'no-data';

/** One of Kiali's default tolerances (config.go `AddHealthDefault`). */
export type ToleranceCode = '5XX' | '4XX' | 'GRPC_ERROR' | 'NO_RESPONSE';

export interface ToleranceResult {
  /** `5XX`, `4XX` (HTTP codes), `GRPC_ERROR` (gRPC status 1-16) or `NO_RESPONSE` (code 0, Kiali's `-`). */
  tolerance: ToleranceCode;
  /** Matching requests as a percent of the requests of the tolerance's protocols. */
  errorPercent: number;
  /** Thresholds in percent: degraded at `>= degradedAt` (any error when 0), failure at `>= failureAt`. */
  degradedAt: number;
  failureAt: number;
  status: Exclude<HealthStatus, 'no-data'>;
}

export interface HealthEntry {
  namespace: string;
  service: string;
  /** Absent for a whole service (every version). */
  version?: string;
  status: HealthStatus;
  /** Requests seen by either reporter in the window (Kiali's health rates have no reporter filter). */
  requestCount: number;
  /** Tolerances with at least one matching request, worst first. */
  violations: ToleranceResult[];
}

export interface HealthReport {
  windowSeconds: WindowSeconds;
  services: HealthEntry[];
  versions: HealthEntry[];
}

/**
 * Kiali's versioned-app graph: `app` nodes are pod `app`/`version` pairs (a service's versions are
 * the app's, as Istio's conventions have it), `service` nodes sit between callers and versions,
 * `workload` nodes are callers without an `app` label, `unknown` is traffic from or to outside the mesh.
 */
export type TopologyNodeKind = 'service' | 'app' | 'workload' | 'unknown';

export interface TopologyNode {
  /** `service:NS/NAME`, `app:NS/APP/VERSION`, `workload:NS/NAME`, `unknown:source` or `unknown:destination`. */
  id: string;
  kind: TopologyNodeKind;
  namespace: string;
  service?: string;
  app?: string;
  version?: string;
  workload?: string;
  /** Requests per second received; `null` for nodes that only send. */
  inboundRate: number | null;
  /** Inbound request health; `no-data` for nodes that only send. */
  health: HealthStatus;
}

export interface TopologyEdge {
  source: string;
  target: string;
  requestRate: number;
  requestCount: number;
  errorCount: number;
  /** Share (0-1) of 5xx; `null` when the edge saw no requests in the window. */
  errorShare: number | null;
  /** Share (0-1) received over mutual TLS; `null` when unknown. */
  mtlsShare: number | null;
  responseFlags: Record<string, number>;
  /**
   * Latency quantiles in ms (Prometheus' histogram_quantile), from the reporter the rates come
   * from (caller -> service: the client's, which includes retries; service -> version: the
   * server's); `null` where the histogram saw no requests.
   */
  latencyMs: { p50: number | null; p90: number | null; p99: number | null };
  health: HealthStatus;
}

export interface TopologyGraph {
  namespace: string | null;
  windowSeconds: WindowSeconds;
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

/** One minute of one service version, as stored in Postgres. */
export interface RollupRow {
  /** Start of the minute, ISO 8601 UTC. */
  minute: string;
  namespace: string;
  service: string;
  version: string;
  /** The provider the figures came from (`scrape` or `prometheus`). */
  provider: string;
  windowSeconds: number;
  requestCount: number;
  errorCount: number;
  requestRate: number;
  successRate: number | null;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null };
  responseFlags: Record<string, number>;
  mtlsShare: number | null;
  health: HealthStatus;
}

export interface RollupQuery {
  namespace: string;
  service?: string;
  version?: string;
  /** Inclusive; default one hour before `to`. */
  from?: Date | string;
  /** Exclusive; default now. */
  to?: Date | string;
  /** At most this many rows (default 1,000, at most 10,000). */
  limit?: number;
}

export interface RollupPage {
  items: RollupRow[];
  /** More rows matched than `limit`; narrow the range or continue from the last row's minute. */
  truncated: boolean;
}

/** Methods of `POST /v1/query`: the `MetricsProvider` methods that take a selector, and `runQuery`. */
export const SELECTOR_QUERY_METHODS = [
  'requestRate',
  'requestCount',
  'errorCount',
  'successRate',
  'latencyHistogram',
  'responseFlags',
] as const;
export type SelectorQueryMethod = (typeof SELECTOR_QUERY_METHODS)[number];

export type CollectorQuery =
  | { method: SelectorQueryMethod; selector: MeshSelector; windowSeconds: WindowSeconds }
  | { method: 'latencyQuantile'; selector: MeshSelector; windowSeconds: WindowSeconds; q: number }
  | { method: 'runQuery'; promql: string };

export type CollectorQueryMethod = CollectorQuery['method'];

/** `GET /v1/status`: which provider the collector runs and whether it answers. */
export interface CollectorStatus {
  provider: 'scrape' | 'prometheus';
  online: boolean;
  /** Scrape targets and their last scrape (scrape provider only). */
  targets: TargetHealth[];
  /** Series and samples held in the scrape window (scrape provider only). */
  window?: { series: number; samples: number; retentionSeconds: number };
  prometheusUrl?: string;
}

/** The API's error body for 4xx answers. */
export interface CollectorErrorBody {
  error: { code: string; message: string; path: string; requestId?: string };
}
