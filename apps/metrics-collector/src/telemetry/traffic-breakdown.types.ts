import { DURATION, REQUESTS_TOTAL, type LabelMatcher, type Measurement } from '@heliomesh/metrics';

/** The counters a breakdown sums: requests, or the latency histogram's buckets (with `le`). */
export const BREAKDOWN_METRICS = [REQUESTS_TOTAL, `${DURATION}_bucket`] as const;
export type BreakdownMetric = (typeof BREAKDOWN_METRICS)[number];
export const [REQUESTS, LATENCY_BUCKETS] = BREAKDOWN_METRICS;

/** One group of `sum by (...)`: the grouping labels and the increase over the window. */
export interface CountRow {
  labels: Readonly<Record<string, string>>;
  count: number;
}

/**
 * Istio counters grouped by any labels: what health (response codes per service, version and
 * edge) and edge latency need and the `MetricsProvider` interface does not expose. Each metrics
 * backend answers it the way it answers everything else, so these follow the collector's provider.
 */
export interface TrafficBreakdown {
  readonly name: string;
  /**
   * `sum(increase(METRIC{A1}[Ws])) by (BY) or sum(increase(METRIC{A2}[Ws])) by (BY) ...`.
   * Every label an alternative matches on must be in `by`, so a group belongs to one alternative.
   * No series with two samples in the window is `no-data`.
   */
  increaseBy(
    metric: BreakdownMetric,
    alternatives: ReadonlyArray<readonly LabelMatcher[]>,
    by: readonly string[],
    windowSeconds: number,
  ): Promise<Measurement<CountRow[]>>;
}

/** The labels health groups destination traffic by. */
export const SERVICE_CODE_LABELS = [
  'destination_service_namespace',
  'destination_service_name',
  'destination_version',
  'request_protocol',
  'response_code',
  'grpc_response_status',
] as const;

/** The labels health groups edges by: the reporter, so each edge is judged on the side that measured it. */
export const EDGE_CODE_LABELS = [
  'reporter',
  'source_workload_namespace',
  'source_workload',
  'destination_service_namespace',
  'destination_service_name',
  'request_protocol',
  'response_code',
  'grpc_response_status',
] as const;

export function groupKey(labels: Readonly<Record<string, string>>, by: readonly string[]): string {
  let key = '';
  for (const name of by) key += (labels[name] ?? '') + '\u0000';
  return key;
}

/** The labels edge latency groups buckets by: both reporters, each edge's callers and versions. */
export const EDGE_LATENCY_LABELS = [
  'reporter',
  'source_workload_namespace',
  'source_workload',
  'destination_service_namespace',
  'destination_service_name',
  'destination_version',
  'le',
] as const;
