import { printPrometheusText, type ExpositionSample } from '@heliomesh/metrics';

/** Envoy's default latency buckets (istio-semantics §5.1). */
const BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000];

export interface FixtureTraffic {
  version: string;
  /** Requests per scrape by response code. */
  perScrape: Record<string, number>;
  /** Requests per scrape by upper latency bound (ms). */
  latency: Record<number, number>;
}

/**
 * A small Istio exposition for `shop/reviews` called by `product-v1`, both reporters, with counters
 * after `k` scrapes of the given per-scrape traffic.
 */
export function reviewsExposition(k: number, traffic: readonly FixtureTraffic[]): string {
  const requests: ExpositionSample[] = [];
  const buckets: ExpositionSample[] = [];
  for (const t of traffic) {
    const dst = {
      source_workload: 'product-v1',
      source_workload_namespace: 'shop',
      source_app: 'product',
      source_version: 'v1',
      destination_service_namespace: 'shop',
      destination_service_name: 'reviews',
      destination_version: t.version,
      destination_workload: `reviews-${t.version}`,
      destination_workload_namespace: 'shop',
      request_protocol: 'http',
      grpc_response_status: '',
    };
    for (const reporter of ['source', 'destination']) {
      for (const [code, n] of Object.entries(t.perScrape)) {
        requests.push({
          name: 'istio_requests_total',
          labels: {
            reporter,
            ...dst,
            response_code: code,
            response_flags: '-',
            connection_security_policy: reporter === 'source' ? 'unknown' : 'mutual_tls',
          },
          value: n * k,
        });
      }
    }
    let cumulative = 0;
    for (const le of [...BUCKETS, Number.POSITIVE_INFINITY]) {
      cumulative += (t.latency[le] ?? 0) * k;
      buckets.push({
        name: 'istio_request_duration_milliseconds_bucket',
        labels: {
          reporter: 'destination',
          ...dst,
          le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le),
        },
        value: cumulative,
      });
    }
  }
  return printPrometheusText([
    { name: 'istio_requests_total', type: 'counter', samples: requests },
    { name: 'istio_request_duration_milliseconds', type: 'histogram', samples: buckets },
  ]);
}
