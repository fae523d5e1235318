import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrometheusClient,
  PrometheusMetricsProvider,
  ScrapeCollector,
  ScrapeMetricsProvider,
  renderPromqlTemplate,
  type MeshSelector,
  type Measurement,
  type MetricsProvider,
} from '../src/index.js';
import { startIstioMetricsServer, type RunningServer } from './support/istio-metrics.server.js';
import {
  PROMETHEUS_BIN,
  prometheusAvailable,
  startPrometheus,
  type RunningPrometheus,
} from './support/prometheus.process.js';

const available = prometheusAvailable();
if (!available) {
  console.error(
    `\n!!! ${PROMETHEUS_BIN} not found: the real-Prometheus tests below are SKIPPED.\n` +
      '!!! Install it with `apt-get install -y prometheus` (CI does) or set PROMETHEUS_BIN.\n',
  );
}

// Rates need the window filled with samples: the setup waits for more than WINDOW scrapes.
const WINDOW = 5;
const v1: MeshSelector = { kind: 'service', namespace: 'bookinfo', service: 'reviews', version: 'v1' };
const v2: MeshSelector = { kind: 'service', namespace: 'bookinfo', service: 'reviews', version: 'v2' };
const idle: MeshSelector = { kind: 'service', namespace: 'bookinfo', service: 'ratings', version: 'v1' };

function valueOf(m: Measurement): number {
  if (m.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(m)}`);
  return m.value;
}

function relativeDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

describe.skipIf(!available)('PrometheusMetricsProvider against a real Prometheus', () => {
  let server: RunningServer;
  let prometheus: RunningPrometheus | undefined;
  let collector: ScrapeCollector;
  let prom: PrometheusMetricsProvider;
  let scrape: ScrapeMetricsProvider;

  beforeAll(async () => {
    server = await startIstioMetricsServer();
    collector = new ScrapeCollector({ targets: [{ name: 'mesh', url: server.url }], intervalMs: 500 });
    collector.start();
    prometheus = await startPrometheus([`127.0.0.1:${server.port}`]);
    prom = new PrometheusMetricsProvider({ baseUrl: prometheus.url, timeoutMs: 5_000 });
    scrape = new ScrapeMetricsProvider(collector);
    // Wait until Prometheus holds a few scrapes of the demo series.
    const client = new PrometheusClient({ baseUrl: prometheus.url });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = await client.query(
        'count_over_time(istio_requests_total{destination_version="v1",reporter="destination",response_code="200"}[1m])',
      );
      if (
        r.kind === 'value' &&
        r.value.resultType === 'vector' &&
        (r.value.samples[0]?.value ?? 0) >= WINDOW + 2
      )
        break;
      if (Date.now() > deadline)
        throw new Error(`Prometheus never scraped the demo:\n${prometheus.output()}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  }, 40_000);

  afterAll(async () => {
    await collector?.stop();
    await prometheus?.stop();
    await server?.close();
  });

  it('is online', async () => {
    expect(await prom.isOnline()).toBe(true);
  });

  it('agrees with the scrape provider: success rate within 1 %, p99 within 5 %', async () => {
    for (const sel of [v1, v2]) {
      const [pSuccess, sSuccess, pP99, sP99] = await Promise.all([
        prom.successRate(sel, WINDOW),
        scrape.successRate(sel, WINDOW),
        prom.latencyQuantile(sel, 0.99, WINDOW),
        scrape.latencyQuantile(sel, 0.99, WINDOW),
      ]);
      expect(relativeDiff(valueOf(pSuccess), valueOf(sSuccess))).toBeLessThan(0.01);
      expect(relativeDiff(valueOf(pP99), valueOf(sP99))).toBeLessThan(0.05);
      expect(pSuccess.kind === 'value' && pSuccess.requestCount).toBeGreaterThan(0);
    }
    // And both match the traffic the server generates.
    expect(valueOf(await prom.successRate(v1, WINDOW))).toBeCloseTo((50 / 50.5) * 100, 6);
    expect(valueOf(await prom.latencyQuantile(v1, 0.99, WINDOW))).toBeCloseTo(375, 6);
  });

  it('agrees on rates, histograms, flags, per-service stats and edges', async () => {
    const pair = async <T>(f: (p: MetricsProvider) => Promise<Measurement<T>>) => {
      const [a, b] = await Promise.all([f(prom), f(scrape)]);
      if (a.kind !== 'value' || b.kind !== 'value') throw new Error(JSON.stringify([a, b]));
      return [a.value, b.value] as const;
    };
    const [pRate, sRate] = await pair((p) => p.requestRate(v1, WINDOW));
    expect(relativeDiff(pRate, sRate)).toBeLessThan(0.1);
    expect(relativeDiff(pRate, 50.5)).toBeLessThan(0.1);

    const [pErr, pTotal] = await Promise.all([prom.errorCount(v2, WINDOW), prom.requestCount(v2, WINDOW)]);
    expect(valueOf(pErr) / valueOf(pTotal)).toBeCloseTo(2 / 22, 6);

    const [pHist, sHist] = await pair((p) => p.latencyHistogram(v2, WINDOW));
    expect(pHist.buckets.map((b) => b.le)).toEqual(sHist.buckets.map((b) => b.le));
    const share = (h: typeof pHist, le: number) => h.buckets.find((b) => b.le === le)!.count / h.count;
    expect(share(pHist, 100)).toBeCloseTo(0.5, 6);
    expect(share(sHist, 100)).toBeCloseTo(0.5, 6);

    const [pFlags] = await pair((p) => p.responseFlags(v1, WINDOW));
    expect(pFlags['UF']! / (pFlags['UF']! + pFlags['-']!)).toBeCloseTo(0.5 / 50.5, 6);

    const [pStats, sStats] = await pair((p) => p.serviceStats({ namespace: 'bookinfo' }, WINDOW));
    expect(pStats.map((s) => `${s.service}/${s.version}`)).toEqual([
      'ratings/v1',
      'reviews/v1',
      'reviews/v2',
    ]);
    expect(sStats.map((s) => `${s.service}/${s.version}`)).toEqual([
      'ratings/v1',
      'reviews/v1',
      'reviews/v2',
    ]);
    for (let i = 1; i < 3; i++) {
      expect(relativeDiff(pStats[i]!.successRate!, sStats[i]!.successRate!)).toBeLessThan(0.01);
      expect(relativeDiff(pStats[i]!.latencyMs.p99!, sStats[i]!.latencyMs.p99!)).toBeLessThan(0.05);
      expect(pStats[i]!.mtlsShare).toBe(1);
    }
    expect(pStats[0]!.successRate).toBeNull();

    const [pEdges, sEdges] = await pair((p) => p.edges({ namespace: 'bookinfo' }, WINDOW));
    const summary = (edges: typeof pEdges) =>
      edges.map((e) => [e.source.workload, e.destination.service, e.destination.version, e.reportedBy]);
    expect(summary(pEdges)).toEqual(summary(sEdges));
    expect(summary(pEdges)).toEqual([
      ['productpage-v1', 'ratings', 'v1', 'destination'],
      ['productpage-v1', 'reviews', 'v1', 'source'],
      ['productpage-v1', 'reviews', 'v2', 'source'],
    ]);
    expect(pEdges[2]!.errorShare).toBeCloseTo(2 / 22, 6);
  });

  it('runs a rendered custom template and a range query', async () => {
    const promql = renderPromqlTemplate(
      'sum(rate(istio_requests_total{reporter="destination",destination_service_name="{{ service }}",destination_version=~"{{ version }}"}[{{ interval }}]))',
      { service: 'reviews', version: 'v1', interval: `${WINDOW}s` },
    );
    expect(relativeDiff(valueOf(await prom.runQuery(promql)), 50.5)).toBeLessThan(0.1);
    const now = Date.now() / 1000;
    const range = await prom.client.queryRange(promql, now - 4, now, 1);
    expect(range.kind).toBe('value');
    if (range.kind === 'value') {
      expect(range.value).toHaveLength(1);
      expect(range.value[0]!.values.length).toBeGreaterThanOrEqual(4);
    }
  });

  it('answers no-data for an idle service and for one that does not exist', async () => {
    expect(await prom.successRate(idle, WINDOW)).toEqual({
      kind: 'no-data',
      reason: `no requests in the last ${WINDOW}s`,
    });
    expect((await prom.latencyQuantile(idle, 0.99, WINDOW)).kind).toBe('no-data');
    expect(await scrape.successRate(idle, WINDOW)).toEqual({
      kind: 'no-data',
      reason: `no requests in the last ${WINDOW}s`,
    });
    expect(valueOf(await prom.requestRate(idle, WINDOW))).toBe(0);
    expect((await prom.successRate({ ...v1, service: 'nope' } as MeshSelector, WINDOW)).kind).toBe('no-data');
  });

  it('reports a query Prometheus rejects, and one that returns several series', async () => {
    expect(await prom.runQuery('sum(rate(')).toMatchObject({
      kind: 'provider-error',
      error: { code: 'QUERY_REJECTED', query: 'sum(rate(' },
    });
    expect(await prom.runQuery('istio_requests_total')).toMatchObject({
      kind: 'provider-error',
      error: { code: 'QUERY_REJECTED' },
    });
  });

  it('answers provider-error, never no-data, once Prometheus is down', async () => {
    await prometheus!.stop();
    prometheus = undefined;
    expect(await prom.isOnline()).toBe(false);
    expect(await prom.successRate(v1, WINDOW)).toMatchObject({
      kind: 'provider-error',
      error: { code: 'PROVIDER_UNREACHABLE', provider: 'prometheus' },
    });
  });
});
