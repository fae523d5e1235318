import type { Measurement } from './measurement.types.js';
import type {
  EdgeStats,
  LatencyHistogram,
  MeshScope,
  MeshSelector,
  ServiceStats,
  WindowSeconds,
} from './mesh-query.types.js';

/**
 * The mesh's built-in queries, one interface over every metrics backend (Flagger's observer).
 *
 * Every method resolves, never rejects: failures come back as `provider-error` and missing
 * traffic as `no-data`. Count and rate queries answer `0` when the matching series exist but did
 * not move, and `no-data` when no series matched; ratio and quantile queries answer `no-data`
 * when the window holds no requests (0/0 is not a success rate).
 */
export interface MetricsProvider {
  /** `prometheus`, `scrape` or `in-memory`: shown in errors and explanations. */
  readonly name: string;
  /** Whether the backend answers at all right now. */
  isOnline(): Promise<boolean>;
  /** Requests per second. */
  requestRate(selector: MeshSelector, window: WindowSeconds): Promise<Measurement>;
  /** Requests in the window (Prometheus `increase`, so extrapolated and possibly fractional). */
  requestCount(selector: MeshSelector, window: WindowSeconds): Promise<Measurement>;
  /** 5xx responses in the window. */
  errorCount(selector: MeshSelector, window: WindowSeconds): Promise<Measurement>;
  /** Percent (0-100) of non-5xx responses; `requestCount` on the value says how many requests. */
  successRate(selector: MeshSelector, window: WindowSeconds): Promise<Measurement>;
  /** Latency quantile `q` (0-1) in milliseconds, by Prometheus' `histogram_quantile` rules. */
  latencyQuantile(selector: MeshSelector, q: number, window: WindowSeconds): Promise<Measurement>;
  /** The latency histogram's bucket increases over the window (for rank tests against a baseline). */
  latencyHistogram(selector: MeshSelector, window: WindowSeconds): Promise<Measurement<LatencyHistogram>>;
  /** Requests per `response_flags` value (`-` is no flag; combined flags stay joined: `UF,URX`). */
  responseFlags(selector: MeshSelector, window: WindowSeconds): Promise<Measurement<Record<string, number>>>;
  /** Per destination service and version (reporter `destination`), sorted by namespace/service/version. */
  serviceStats(scope: MeshScope, window: WindowSeconds): Promise<Measurement<ServiceStats[]>>;
  /** The topology's edges, sorted by source then destination. */
  edges(scope: MeshScope, window: WindowSeconds): Promise<Measurement<EdgeStats[]>>;
  /**
   * Runs custom PromQL that must yield one number (a scalar or a one-series vector). Only the
   * Prometheus provider can; others answer `provider-error` with code `UNSUPPORTED`.
   */
  runQuery(promql: string): Promise<Measurement>;
}
