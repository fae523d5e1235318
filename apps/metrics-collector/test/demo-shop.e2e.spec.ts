import { createTestDatabase, type TestDatabase } from '@heliomesh/testing';
import type { HealthReport, Measurement, RollupPage, ServiceStats, TopologyGraph } from '@heliomesh/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from './support/collector.harness.js';
import {
  promScrapedTwiceSince,
  scrapedTwiceSince,
  startDemoMesh,
  type DemoMesh,
} from './support/mesh.harness.js';
import {
  PROMETHEUS_BIN,
  prometheusAvailable,
  startPrometheus,
  type RunningPrometheus,
} from './support/prometheus.process.js';

const SCRAPE_MS = 500;
const DEMO_VERSIONS = [
  'cart/v1',
  'checkout/v1',
  'frontend/v1',
  'inventory/v1',
  'payment/v1',
  'product/v1',
  'ratings/v1',
  'recommendation/v1',
  'reviews/v1',
  'reviews/v2',
  'reviews/v3',
  'shipping/v1',
];
const reviewsV3 = { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v3' } as const;

function valueOf<T>(m: Measurement<T>): T {
  if (m.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(m)}`);
  return m.value;
}

function relativeDiff(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The demo shop on kube-sim and mesh-sim, read by two collectors at once: one on the embedded
 * scraper, one on a real Prometheus scraping the same mesh-sim. Traffic moves in two jumps of
 * simulated time with quiet periods around them, so both see the same counter increases.
 */
describe('collector on the demo shop (kube-sim, mesh-sim, real Prometheus)', () => {
  let mesh: DemoMesh;
  let prometheus: RunningPrometheus | undefined;
  const dbs: TestDatabase[] = [];
  let scrape: TestCollector;
  let prom: TestCollector;
  let jumpAt = 0;
  /** A window reaching from just before the measured jump to now, however long the tests take. */
  const win = () => Math.ceil((Date.now() - jumpAt) / 1000) + 2;

  async function quietAfter(jumpAt: number): Promise<void> {
    await Promise.all([
      scrapedTwiceSince(scrape, jumpAt, SCRAPE_MS),
      promScrapedTwiceSince(prometheus!.url, jumpAt),
    ]);
  }

  beforeAll(async () => {
    if (!prometheusAvailable()) {
      throw new Error(
        `${PROMETHEUS_BIN} not found: install the Debian package prometheus (.ci/run does) or set PROMETHEUS_BIN`,
      );
    }
    mesh = await startDemoMesh();
    prometheus = await startPrometheus(`127.0.0.1:${mesh.sim.port}`);
    for (let i = 0; i < 2; i++) dbs.push(await createTestDatabase());
    scrape = await startTestCollector(dbs[0]!.url, {
      SCRAPE_TARGETS: `${mesh.sim.url}/metrics`,
      SCRAPE_INTERVAL_MS: String(SCRAPE_MS),
      SCRAPE_MAX_SAMPLES_PER_SERIES: '1200',
    });
    prom = await startTestCollector(dbs[1]!.url, {
      METRICS_PROVIDER: 'prometheus',
      PROMETHEUS_URL: prometheus.url,
    });
    // Warm up so every common series exists before the measured traffic, then measure a minute.
    const warmAt = Date.now();
    mesh.sim.advance(60_000);
    await quietAfter(warmAt);
    jumpAt = Date.now();
    mesh.sim.advance(60_000);
    await quietAfter(jumpAt);
  }, 90_000);

  afterAll(async () => {
    await scrape?.close();
    await prom?.close();
    await prometheus?.stop();
    await mesh?.stop();
    for (const db of dbs) await db.drop();
  });

  it('reports every service version of the demo with rates, success rates and latencies', async () => {
    const stats = valueOf(await scrape.client.serviceStats({ namespace: 'shop' }, win()));
    expect(stats.map((s) => `${s.service}/${s.version}`)).toEqual(DEMO_VERSIONS);
    for (const s of stats) {
      expect(s.requestRate).toBeGreaterThan(0);
      expect(s.successRate).not.toBeNull();
      expect(s.latencyMs.p50).not.toBeNull();
      expect(s.mtlsShare).toBe(1);
    }
    const v3 = stats.find((s) => s.service === 'reviews' && s.version === 'v3')!;
    // reviews v3 fails 8 % and is slow (lognormal p50 180 ms, p99 900 ms, plus its call to ratings).
    expect(v3.successRate!).toBeGreaterThan(88);
    expect(v3.successRate!).toBeLessThan(96);
    expect(v3.latencyMs.p99!).toBeGreaterThan(500);
    const ratings = stats.find((s) => s.service === 'ratings')!;
    expect(ratings.successRate).toBe(100);
    expect(ratings.latencyMs.p99!).toBeLessThan(25);
  });

  it('agrees between the scrape and Prometheus providers: success rate within 1 %, p99 within 5 %', async () => {
    const [fromScrape, fromProm] = await Promise.all([
      scrape.client.serviceStats({ namespace: 'shop' }, win()),
      prom.client.serviceStats({ namespace: 'shop' }, win()),
    ]);
    const s = valueOf(fromScrape);
    const p = new Map(valueOf(fromProm).map((x) => [`${x.service}/${x.version}`, x] as const));
    expect([...p.keys()].sort()).toEqual(DEMO_VERSIONS);
    for (const a of s) {
      const b = p.get(`${a.service}/${a.version}`)!;
      expect(
        relativeDiff(a.successRate!, b.successRate!),
        `${a.service}/${a.version} success rate`,
      ).toBeLessThan(0.01);
      expect(relativeDiff(a.latencyMs.p99!, b.latencyMs.p99!), `${a.service}/${a.version} p99`).toBeLessThan(
        0.05,
      );
      expect(relativeDiff(a.requestCount, b.requestCount), `${a.service}/${a.version} requests`).toBeLessThan(
        0.25,
      );
    }
  });

  it('agrees on the topology: the same edges, error shares and edge p99 (within 5 %)', async () => {
    const [a, b] = await Promise.all([
      scrape.client.topology({ namespace: 'shop' }, win()),
      prom.client.topology({ namespace: 'shop' }, win()),
    ]);
    const fromProm = new Map(valueOf(b).edges.map((e) => [`${e.source} > ${e.target}`, e] as const));
    const fromScrape = valueOf(a).edges;
    expect(fromScrape.map((e) => `${e.source} > ${e.target}`)).toEqual([...fromProm.keys()]);
    for (const e of fromScrape) {
      const p = fromProm.get(`${e.source} > ${e.target}`)!;
      expect(Math.abs(e.errorShare! - p.errorShare!), `${e.target} error share`).toBeLessThan(0.01);
      expect(relativeDiff(e.latencyMs.p99!, p.latencyMs.p99!), `${e.target} p99`).toBeLessThan(0.05);
      expect(e.health).toBe(p.health);
    }
  });

  it("answers Flagger's PromQL through the collector's query API on both providers", async () => {
    const [sScrape, sProm, qScrape, qProm] = await Promise.all([
      scrape.client.successRate(reviewsV3, win()),
      prom.client.successRate(reviewsV3, win()),
      scrape.client.latencyQuantile(reviewsV3, 0.99, win()),
      prom.client.latencyQuantile(reviewsV3, 0.99, win()),
    ]);
    expect(relativeDiff(valueOf(sScrape), valueOf(sProm))).toBeLessThan(0.01);
    expect(relativeDiff(valueOf(qScrape), valueOf(qProm))).toBeLessThan(0.05);
    expect(sProm.kind === 'value' && sProm.requestCount).toBeGreaterThan(100);
    // Custom PromQL needs Prometheus: the scrape collector says so, the Prometheus one runs it.
    const promql = 'sum(istio_requests_total{reporter="destination",destination_service_name="ratings"})';
    expect(await scrape.client.runQuery(promql)).toMatchObject({
      kind: 'provider-error',
      error: { code: 'UNSUPPORTED' },
    });
    expect(valueOf(await prom.client.runQuery(promql))).toBeGreaterThan(100);
  });

  it('flags reviews v3 as degraded or failing by Kiali tolerances, on both providers', async () => {
    for (const c of [scrape, prom]) {
      const report: HealthReport = valueOf(await c.client.health({ namespace: 'shop' }, win()));
      const status = (service: string, version: string) =>
        report.versions.find((v) => v.service === service && v.version === version)?.status;
      expect(['degraded', 'failure']).toContain(status('reviews', 'v3'));
      expect(status('reviews', 'v1')).toBe('healthy');
      expect(status('ratings', 'v1')).toBe('healthy');
      expect(status('inventory', 'v1')).toBe('healthy');
    }
  });

  it('builds the demo topology: callers, services and versions, with rates, error share and mTLS', async () => {
    const graph: TopologyGraph = valueOf(await scrape.client.topology({ namespace: 'shop' }, win()));
    const callerEdges = graph.edges
      .filter((e) => e.target.startsWith('service:'))
      .map((e) => `${e.source} > ${e.target}`);
    expect(callerEdges).toEqual([
      'app:shop/cart/v1 > service:shop/product',
      'app:shop/checkout/v1 > service:shop/cart',
      'app:shop/checkout/v1 > service:shop/inventory',
      'app:shop/checkout/v1 > service:shop/payment',
      'app:shop/checkout/v1 > service:shop/shipping',
      'app:shop/frontend/v1 > service:shop/cart',
      'app:shop/frontend/v1 > service:shop/checkout',
      'app:shop/frontend/v1 > service:shop/product',
      'app:shop/frontend/v1 > service:shop/recommendation',
      'app:shop/product/v1 > service:shop/inventory',
      'app:shop/product/v1 > service:shop/reviews',
      'app:shop/recommendation/v1 > service:shop/product',
      'app:shop/reviews/v2 > service:shop/ratings',
      'app:shop/reviews/v3 > service:shop/ratings',
      'app:shop/shopper/unknown > service:shop/frontend',
    ]);
    const versionEdges = graph.edges.filter((e) => e.source.startsWith('service:')).map((e) => e.target);
    expect(versionEdges.map((id) => id.replace('app:shop/', ''))).toEqual(DEMO_VERSIONS);
    const toV3 = graph.edges.find((e) => e.target === 'app:shop/reviews/v3')!;
    expect(toV3.errorShare!).toBeGreaterThan(0.04);
    expect(toV3.errorShare!).toBeLessThan(0.12);
    expect(['degraded', 'failure']).toContain(toV3.health);
    // Edge latency: the slow v3 against the fast ratings, as their servers measured them.
    expect(toV3.latencyMs.p99!).toBeGreaterThan(500);
    expect(graph.edges.find((e) => e.target === 'app:shop/ratings/v1')!.latencyMs.p99!).toBeLessThan(25);
    for (const e of graph.edges) {
      expect(e.requestRate).toBeGreaterThan(0);
      expect(e.mtlsShare).toBe(1);
      expect(e.latencyMs.p50).not.toBeNull();
    }
    const entry = graph.edges.find((e) => e.source === 'app:shop/shopper/unknown')!;
    // A simulated minute at 60 requests/s, of which scrapers see at least the half one frontend
    // replica exports (mesh-sim prints one series per replica under identical labels; the second is
    // dropped as a duplicate, by Prometheus and the scrape provider alike).
    expect(entry.requestCount).toBeGreaterThan(1_500);
    expect(graph.nodes.find((n) => n.id === 'app:shop/reviews/v3')).toMatchObject({ workload: 'reviews-v3' });
  });

  it('writes a rollup row per service version from either provider and serves it back', async () => {
    for (const c of [scrape, prom]) {
      const outcome = await c.rollups.writeMinute(Date.now());
      expect(outcome).toMatchObject({ outcome: 'written', rows: DEMO_VERSIONS.length });
      // The scheduler may have written the previous real minute meanwhile: ask for this one.
      const minute = (outcome as { minute: string }).minute;
      const page: RollupPage = valueOf(
        await c.client.rollups({
          namespace: 'shop',
          service: 'reviews',
          from: minute,
          to: new Date(Date.parse(minute) + 60_000),
        }),
      );
      expect(page.items.map((r) => `${r.version} ${r.provider}`)).toEqual(
        ['v1', 'v2', 'v3'].map((v) => `${v} ${c.backend.provider.name}`),
      );
    }
  });

  it('tells an idle service (no requests in the window) and an unknown one apart from a value', async () => {
    // Nothing has moved since the jump: a window that ends before it holds samples but no requests.
    // Wide enough (>= 4 s) that a loaded machine's late scrapes still leave two samples in it.
    await new Promise((r) => setTimeout(r, Math.max(0, jumpAt + 6_500 - Date.now())));
    const idleWindow = Math.floor((Date.now() - jumpAt) / 1000) - 2;
    for (const c of [scrape, prom]) {
      expect(await c.client.successRate(reviewsV3, idleWindow)).toMatchObject({ kind: 'no-data' });
      expect(await c.client.latencyQuantile(reviewsV3, 0.99, idleWindow)).toMatchObject({ kind: 'no-data' });
      expect(await c.client.requestRate(reviewsV3, idleWindow)).toMatchObject({ kind: 'value', value: 0 });
      const idle: ServiceStats[] = valueOf(await c.client.serviceStats({ namespace: 'shop' }, idleWindow));
      expect(idle.every((s) => s.requestCount === 0 && s.successRate === null)).toBe(true);
      const health: HealthReport = valueOf(await c.client.health({ namespace: 'shop' }, idleWindow));
      expect(health.versions.every((v) => v.status === 'no-data')).toBe(true);
      expect(await c.client.successRate({ ...reviewsV3, service: 'wishlist' }, win())).toMatchObject({
        kind: 'no-data',
      });
    }
  });

  it('answers provider-error once Prometheus is down', async () => {
    await prometheus!.stop();
    prometheus = undefined;
    for (const m of [
      await prom.client.successRate(reviewsV3, 60),
      await prom.client.serviceStats({ namespace: 'shop' }, 60),
      await prom.client.topology({ namespace: 'shop' }, 60),
    ]) {
      expect(m).toMatchObject({
        kind: 'provider-error',
        error: { code: 'PROVIDER_UNREACHABLE', provider: 'prometheus' },
      });
    }
    expect(await prom.rollups.writeMinute(Date.now())).toMatchObject({ outcome: 'provider-error', rows: 0 });
  });
});
