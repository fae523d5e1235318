import type { LabelMatcher, Measurement } from '@heliomesh/metrics';

/** One group of `sum by (...)`: the grouping labels and the requests in the window. */
export interface CountRow {
  labels: Readonly<Record<string, string>>;
  count: number;
}

/**
 * Request counts grouped by any labels: what health needs (response codes per service, version
 * and edge) and the `MetricsProvider` interface does not expose. Each metrics backend answers it
 * the way it answers everything else, so health follows the provider the collector runs.
 */
export interface TrafficBreakdown {
  readonly name: string;
  /**
   * `sum(increase(istio_requests_total{A1}[Ws])) by (BY) or sum(increase(...{A2}...)) by (BY) ...`.
   * Every label an alternative matches on must be in `by`, so a group belongs to one alternative.
   * No series with two samples in the window is `no-data`.
   */
  requestsBy(
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
