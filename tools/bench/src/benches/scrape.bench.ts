/**
 * Scrape provider cost for 10,000 series: parse one scrape body, update the bounded window, and
 * compute every per-service/version figure (request rate, success rate, p50/p90/p99, flags, mTLS)
 * plus the topology's edges over a 60 s window. Usage: npm run bench -- scrape [runs]
 */
import {
  ScrapeCollector,
  ScrapeMetricsProvider,
  parsePrometheusText,
  printPrometheusText,
  type ExpositionSample,
} from '@heliomesh/metrics';
import { loadavg } from 'node:os';
import { formatTable, measure } from '../bench.util.js';

const ENVOY_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];
const CODES = ['200', '404', '429', '503'];
const SERVICES = 147;
const VERSIONS = ['v1', 'v2'];
const CALLERS = ['frontend', 'gateway'];
const SCRAPE_MS = 5_000;
const WINDOW_SCRAPES = 60;

/**
 * Istio-shaped series: per service version, 4 destination request counters, a 22-series latency
 * histogram and 8 client-side counters (2 callers x 4 codes): 34 x 294 = 9,996, plus 4 process
 * series = 10,000. Counter values grow with the scrape number `k`.
 */
function body(k: number): string {
  const requests: ExpositionSample[] = [];
  const buckets: ExpositionSample[] = [];
  for (let s = 0; s < SERVICES; s++) {
    for (const version of VERSIONS) {
      const dst = {
        destination_service_namespace: `ns-${s % 12}`,
        destination_service_name: `svc-${s}`,
        destination_version: version,
        destination_workload: `svc-${s}-${version}`,
        destination_workload_namespace: `ns-${s % 12}`,
        request_protocol: 'http',
      };
      const rate = 1 + ((s * 7) % 13);
      CODES.forEach((code, i) => {
        const labels = {
          reporter: 'destination',
          source_workload: CALLERS[i % 2]!,
          source_workload_namespace: 'edge',
          source_app: CALLERS[i % 2]!,
          source_version: 'v1',
          ...dst,
          response_code: code,
          response_flags: code === '503' ? 'UF' : code === '429' ? 'RL' : '-',
          connection_security_policy: 'mutual_tls',
        };
        requests.push({ name: 'istio_requests_total', labels, value: (k * rate * 100) / (i + 1) ** 3 });
      });
      for (const caller of CALLERS) {
        for (const code of CODES) {
          requests.push({
            name: 'istio_requests_total',
            labels: {
              reporter: 'source',
              source_workload: caller,
              source_workload_namespace: 'edge',
              source_app: caller,
              source_version: 'v1',
              ...dst,
              response_code: code,
              response_flags: '-',
              connection_security_policy: 'unknown',
            },
            value: k * rate * 10,
          });
        }
      }
      const base = { reporter: 'destination', ...dst, response_code: '200', response_flags: '-' };
      let cumulative = 0;
      for (const le of [...ENVOY_BUCKETS, Number.POSITIVE_INFINITY]) {
        cumulative += le <= 250 ? k * rate * 10 : k;
        buckets.push({
          name: 'istio_request_duration_milliseconds_bucket',
          labels: { ...base, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) },
          value: cumulative,
        });
      }
      buckets.push(
        { name: 'istio_request_duration_milliseconds_sum', labels: base, value: k * rate * 900 },
        { name: 'istio_request_duration_milliseconds_count', labels: base, value: cumulative },
      );
    }
  }
  const process: ExpositionSample[] = ['a', 'b', 'c', 'd'].map((x) => ({
    name: 'process_cpu_seconds_total',
    labels: { pod: x },
    value: k,
  }));
  return printPrometheusText([
    { name: 'istio_requests_total', type: 'counter', samples: requests },
    { name: 'istio_request_duration_milliseconds', type: 'histogram', samples: buckets },
    { name: 'process_cpu_seconds_total', type: 'counter', samples: process },
  ]);
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 20);
  let now = 1_700_000_000_000;
  const collector = new ScrapeCollector({ clock: () => now });
  const provider = new ScrapeMetricsProvider(collector);
  // Pre-render the bodies: the benchmark measures our work, not the fixture's printing.
  const bodies = Array.from({ length: WINDOW_SCRAPES + runs + 2 }, (_, k) => body(k));
  const series = parsePrometheusText(bodies[1]!).sampleCount;
  for (let k = 0; k < WINDOW_SCRAPES; k++) {
    now += SCRAPE_MS;
    collector.ingest('mesh', bodies[k]!, now);
  }
  let next = WINDOW_SCRAPES;
  const parse = await measure(runs, () => parsePrometheusText(bodies[1]!));
  const ingest = await measure(runs, () => {
    now += SCRAPE_MS;
    collector.ingest('mesh', bodies[next++ % bodies.length]!, now);
    collector.store.prune(now);
  });
  let services = 0;
  let edges = 0;
  const compute = await measure(runs, async () => {
    const s = await provider.serviceStats({}, 60);
    const e = await provider.edges({}, 60);
    if (s.kind !== 'value' || e.kind !== 'value') throw new Error('benchmark produced no data');
    services = s.value.length;
    edges = e.value.length;
  });
  const bytes = Buffer.byteLength(bodies[1]!);
  // Heap with the window full and the pre-rendered bodies released (run with --expose-gc).
  bodies.length = 0;
  global.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(
    `scrape: ${series} series per scrape (${(bytes / 1024 / 1024).toFixed(1)} MiB of text), window of ${WINDOW_SCRAPES} scrapes, ${runs} runs after one warm-up\n`,
  );
  console.log(
    formatTable([
      { step: 'parse (baseline)', 'median ms': parse.median, 'x parse': 1 },
      {
        step: 'parse + window update + prune',
        'median ms': ingest.median,
        'x parse': ingest.median / parse.median,
      },
      {
        step: `serviceStats (${services}) + edges (${edges}), 60 s`,
        'median ms': compute.median,
        'x parse': compute.median / parse.median,
      },
      {
        step: 'full cycle (update + compute)',
        'median ms': ingest.median + compute.median,
        'x parse': (ingest.median + compute.median) / parse.median,
      },
    ]),
  );
  console.log(
    `\nwindow: ${collector.store.seriesCount} series, ${collector.store.sampleCount} samples, heap ${heapMb.toFixed(0)} MiB; load average ${loadavg()[0]!.toFixed(1)}`,
  );
}

await main();
