import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENVOY_BUCKETS, istioExposition, type TrafficSpec } from './istio-exposition.js';

const NS = 'bookinfo';
const productpage = { namespace: NS, workload: 'productpage-v1', app: 'productpage', version: 'v1' };

/** Share of requests per Envoy bucket (index into ENVOY_BUCKETS), the rest overflow. */
function latencyCounts(shares: Record<number, number>, total: number): number[] {
  return [...ENVOY_BUCKETS.map((le) => (shares[le] ?? 0) * total), 0];
}

const V1_LATENCY = { 25: 0.4, 50: 0.3, 100: 0.2, 250: 0.08, 500: 0.02 };
const V2_LATENCY = { 50: 0.1, 100: 0.4, 250: 0.4, 1000: 0.1 };

/**
 * Istio-shaped traffic `t` seconds after start: reviews v1 at 50 ok/s + 0.5 5xx/s, reviews v2 at
 * 20 ok/s + 2 5xx/s (slower), ratings v1 idle (its counters never move). Every value is a
 * straight line in time, so any two scrapers read the same rates whatever their phase.
 */
export function demoTraffic(t: number): TrafficSpec[] {
  const v1 = { ok: 50 * t, err: 0.5 * t };
  const v2 = { ok: 20 * t, err: 2 * t };
  const reviews = (c: { ok: number; err: number }, code: string) => [
    { code: '200', count: c.ok },
    { code, flags: code === '503' ? 'UF' : '-', count: c.err },
  ];
  const spec = (
    reporter: 'source' | 'destination',
    version: string,
    c: { ok: number; err: number },
    code: string,
    shares: Record<number, number>,
  ): TrafficSpec => ({
    reporter,
    source: productpage,
    destination: { namespace: NS, service: 'reviews', version },
    responses: reviews(c, code),
    latency: { counts: latencyCounts(shares, c.ok + c.err) },
  });
  return [
    spec('destination', 'v1', v1, '503', V1_LATENCY),
    spec('destination', 'v2', v2, '500', V2_LATENCY),
    spec('source', 'v1', v1, '503', V1_LATENCY),
    spec('source', 'v2', v2, '500', V2_LATENCY),
    {
      reporter: 'destination',
      source: productpage,
      destination: { namespace: NS, service: 'ratings', version: 'v1' },
      responses: [{ code: '200', count: 10 }],
      latency: { counts: latencyCounts({ 10: 1 }, 10) },
    },
  ];
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `demoTraffic` at /metrics on an ephemeral port. */
export async function startIstioMetricsServer(): Promise<RunningServer> {
  const started = Date.now();
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(istioExposition(demoTraffic((Date.now() - started) / 1000)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
