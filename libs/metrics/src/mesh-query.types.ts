/**
 * What the mesh's high-level queries are about. A selector picks the requests a destination
 * received (or, with `reporter: 'source'`, the requests clients sent to it).
 *
 * - `service`: Kiali's service view: `destination_service_namespace`, `destination_service_name`
 *   and, when set, `destination_version` (the pod label `version`).
 * - `workload`: Flagger's view: `destination_workload_namespace`, `destination_workload`.
 */
export type MeshSelector =
  | {
      kind: 'service';
      namespace: string;
      service: string;
      version?: string;
      reporter?: Reporter;
    }
  | { kind: 'workload'; namespace: string; workload: string; reporter?: Reporter };

/**
 * Which Envoy reported the sample. `destination` (the default) is the server sidecar and is what
 * Flagger judges canaries on; `source` is the client sidecar or gateway, and is the only side that
 * sees client-side failures (fault aborts `FI`, circuit breaking `UO`, `NR`).
 */
export type Reporter = 'destination' | 'source';

/** Query window in whole seconds (rendered as `[60s]` in PromQL). */
export type WindowSeconds = number;

/** A latency histogram over a window: cumulative bucket counts sorted by `le`, ending at `+Inf`. */
export interface LatencyHistogram {
  buckets: Array<{ le: number; count: number }>;
  /** Requests observed (the `+Inf` bucket). Counts are extrapolated increases, so may be fractional. */
  count: number;
}

/** One destination (service and version) with everything the collector shows for it. */
export interface ServiceStats {
  namespace: string;
  service: string;
  version: string;
  /** Requests per second over the window. */
  requestRate: number;
  requestCount: number;
  /** 5xx responses in the window. */
  errorCount: number;
  /** Percent of non-5xx responses (Flagger's definition); `null` when there were no requests. */
  successRate: number | null;
  /** Latency quantiles in milliseconds; `null` when the histogram saw no requests. */
  latencyMs: { p50: number | null; p90: number | null; p99: number | null };
  /** Requests per response-flags value (`-` means none), e.g. `{ '-': 980, 'UO': 20 }`. */
  responseFlags: Record<string, number>;
  /** Share (0-1) of requests received over mutual TLS; `null` when unknown. */
  mtlsShare: number | null;
}

export interface EdgeEndpointSource {
  namespace: string;
  workload: string;
  app: string;
  version: string;
}

export interface EdgeEndpointDestination {
  namespace: string;
  service: string;
  version: string;
}

/** One edge of the topology: a source workload calling a destination service version. */
export interface EdgeStats {
  source: EdgeEndpointSource;
  destination: EdgeEndpointDestination;
  requestRate: number;
  requestCount: number;
  errorCount: number;
  /** Share (0-1) of 5xx among the edge's requests; `null` when there were none. */
  errorShare: number | null;
  responseFlags: Record<string, number>;
  /** Share (0-1) of the edge's requests the destination received over mutual TLS; `null` if unknown. */
  mtlsShare: number | null;
  /**
   * Which reporter the rates come from: `source` when the client has a sidecar, otherwise
   * `destination` (a client outside the mesh: its source labels read `unknown`).
   */
  reportedBy: Reporter;
}

/** Limits `serviceStats` and `edges` to one namespace (edges touching it on either end). */
export interface MeshScope {
  namespace?: string;
}
