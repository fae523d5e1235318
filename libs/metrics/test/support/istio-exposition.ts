import { printPrometheusText } from '../../src/exposition/exposition.printer.js';
import type { ExpositionSample, MetricFamily } from '../../src/exposition/exposition.types.js';

/** Envoy's default latency buckets (ms), as every Istio sidecar exports them. */
export const ENVOY_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

export interface TrafficSpec {
  reporter: 'destination' | 'source';
  source?: { namespace: string; workload: string; app?: string; version?: string };
  destination: { namespace: string; service: string; version: string; workload?: string };
  mtls?: boolean;
  /** Cumulative request counts per response code (and flags). */
  responses: Array<{ code: string; flags?: string; count: number }>;
  /** Cumulative observations per bucket of `bounds`, plus the overflow last. */
  latency?: { bounds?: number[]; counts: number[]; sumMs?: number };
}

function labelsOf(t: TrafficSpec): Record<string, string> {
  const src = t.source ?? { namespace: 'unknown', workload: 'unknown' };
  const dst = t.destination;
  return {
    reporter: t.reporter,
    source_workload: src.workload,
    source_workload_namespace: src.namespace,
    source_app: src.app ?? src.workload,
    source_version: src.version ?? 'unknown',
    destination_workload: dst.workload ?? `${dst.service}-${dst.version}`,
    destination_workload_namespace: dst.namespace,
    destination_app: dst.service,
    destination_version: dst.version,
    destination_service: `${dst.service}.${dst.namespace}.svc.cluster.local`,
    destination_service_name: dst.service,
    destination_service_namespace: dst.namespace,
    request_protocol: 'http',
    connection_security_policy:
      t.reporter === 'source' ? 'unknown' : t.mtls === false ? 'none' : 'mutual_tls',
  };
}

/** Istio's standard metrics for the given traffic, as a sidecar would expose them. */
export function istioExposition(traffic: readonly TrafficSpec[]): string {
  const requests: ExpositionSample[] = [];
  const duration: ExpositionSample[] = [];
  for (const t of traffic) {
    const base = labelsOf(t);
    for (const r of t.responses) {
      requests.push({
        name: 'istio_requests_total',
        labels: { ...base, response_code: r.code, response_flags: r.flags ?? '-' },
        value: r.count,
      });
    }
    if (!t.latency) continue;
    const bounds = t.latency.bounds ?? ENVOY_BUCKETS;
    const labels = { ...base, response_code: t.responses[0]?.code ?? '200', response_flags: '-' };
    let cumulative = 0;
    bounds.forEach((le, i) => {
      cumulative += t.latency!.counts[i] ?? 0;
      duration.push({
        name: 'istio_request_duration_milliseconds_bucket',
        labels: { ...labels, le: String(le) },
        value: cumulative,
      });
    });
    cumulative += t.latency.counts[bounds.length] ?? 0;
    duration.push(
      {
        name: 'istio_request_duration_milliseconds_bucket',
        labels: { ...labels, le: '+Inf' },
        value: cumulative,
      },
      {
        name: 'istio_request_duration_milliseconds_sum',
        labels,
        value: t.latency.sumMs ?? 0,
      },
      { name: 'istio_request_duration_milliseconds_count', labels, value: cumulative },
    );
  }
  const families: MetricFamily[] = [
    { name: 'istio_requests_total', type: 'counter', help: 'Requests.', samples: requests },
    {
      name: 'istio_request_duration_milliseconds',
      type: 'histogram',
      help: 'Request duration.',
      samples: duration,
    },
  ];
  return printPrometheusText(families);
}
