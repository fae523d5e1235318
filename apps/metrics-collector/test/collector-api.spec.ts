import fc from 'fast-check';
import {
  createTestDatabase,
  eventually,
  freePort,
  TcpProxy,
  TEST_POSTGRES_URL,
  viaProxy,
  type TestDatabase,
} from '@heliomesh/testing';
import type { HealthReport, Measurement, RollupPage, ServiceStats, TopologyGraph } from '@heliomesh/metrics';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from './support/collector.harness.js';
import { reviewsExposition, type FixtureTraffic } from './support/istio-fixture.js';

const TRAFFIC: FixtureTraffic[] = [
  { version: 'v1', perScrape: { '200': 100 }, latency: { 10: 50, 25: 50 } },
  { version: 'v3', perScrape: { '200': 46, '503': 4 }, latency: { 100: 10, 250: 20, 500: 15, 1000: 5 } },
  // Series that exist but never move: an idle version.
  { version: 'v2', perScrape: { '200': 0 }, latency: {} },
];
const v3 = { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v3' } as const;

function valueOf<T>(m: unknown): T {
  const measurement = m as Measurement<T>;
  if (measurement.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(m)}`);
  return measurement.value;
}

describe('collector API on the scrape provider, with real Postgres', () => {
  let db: TestDatabase;
  const pg = new TcpProxy(
    new URL(TEST_POSTGRES_URL).hostname,
    Number(new URL(TEST_POSTGRES_URL).port || 5432),
  );
  let c: TestCollector;

  beforeAll(async () => {
    db = await createTestDatabase();
    await pg.start();
    c = await startTestCollector(viaProxy(db.url, pg), {
      // Nothing listens there: the configured target fails, the fixture is ingested directly.
      SCRAPE_TARGETS: `http://127.0.0.1:${await freePort()}/metrics`,
      SCRAPE_INTERVAL_MS: '60000',
    });
  });

  afterAll(async () => {
    await c?.close();
    await pg.cut();
    await db?.drop();
  });

  it('reports provider-error while no target answers, and keeps serving', async () => {
    const status = await eventually(async () => {
      const s = await c.client.status();
      return s.kind === 'value' && s.value.targets[0]?.lastError ? s.value : undefined;
    });
    expect(status).toMatchObject({ provider: 'scrape', online: false });
    const services = await c.get('/v1/services?namespace=shop');
    expect(services.status).toBe(200);
    expect(services.body).toMatchObject({
      kind: 'provider-error',
      error: {
        code: 'PROVIDER_UNREACHABLE',
        provider: 'scrape',
        message: expect.stringContaining('no scrape target answered'),
      },
    });
    expect((await c.get('/healthz')).status).toBe(200);
    // Once the fixture is in, the collector answers again.
    const now = Date.now();
    for (let k = 0; k <= 12; k++)
      c.backend.scraper!.ingest('fixture', reviewsExposition(k, TRAFFIC), now - (12 - k) * 5_000);
    expect(await c.client.isOnline()).toBe(true);
  });

  it('serves per-version request rate, success rate and latency quantiles', async () => {
    const stats = valueOf<ServiceStats[]>((await c.get('/v1/services?namespace=shop&window=60')).body);
    const byVersion = Object.fromEntries(stats.map((s) => [s.version, s]));
    expect(Object.keys(byVersion).sort()).toEqual(['v1', 'v2', 'v3']);
    expect(byVersion['v3']!.successRate).toBeCloseTo(92, 9);
    expect(byVersion['v3']!.latencyMs.p99).toBeCloseTo(950, 6);
    expect(byVersion['v3']!.latencyMs.p50).toBeCloseTo(212.5, 6);
    expect(byVersion['v1']!.requestRate).toBeCloseTo(20, 6); // 100 per 5 s scrape
    expect(byVersion['v3']!.mtlsShare).toBe(1);
    // Idle: series, no requests: a count of 0 but no success rate.
    expect(byVersion['v2']).toMatchObject({ requestCount: 0, successRate: null, latencyMs: { p99: null } });
  });

  it("flags reviews v3 (8 % 5xx) degraded by Kiali's tolerances, v1 healthy, the idle v2 no-data", async () => {
    const report = valueOf<HealthReport>((await c.get('/v1/health?namespace=shop')).body);
    expect(report.versions.map((v) => [v.version, v.status])).toEqual([
      ['v1', 'healthy'],
      ['v2', 'no-data'],
      ['v3', 'degraded'],
    ]);
    expect(report.versions[2]!.violations[0]).toMatchObject({ tolerance: '5XX', status: 'degraded' });
    expect(report.versions[2]!.violations[0]!.errorPercent).toBeCloseTo(8, 9);
    expect(report.services).toMatchObject([{ service: 'reviews', status: 'degraded' }]);
  });

  it('builds the topology with the edge from product to reviews and its versions', async () => {
    const graph = valueOf<TopologyGraph>((await c.get('/v1/topology?namespace=shop')).body);
    expect(graph.edges.map((e) => `${e.source} > ${e.target} ${e.health}`)).toEqual([
      'app:shop/product/v1 > service:shop/reviews degraded',
      'service:shop/reviews > app:shop/reviews/v1 healthy',
      'service:shop/reviews > app:shop/reviews/v2 no-data',
      'service:shop/reviews > app:shop/reviews/v3 degraded',
    ]);
    const toReviews = graph.edges[0]!;
    expect(toReviews.errorShare).toBeCloseTo(4 / 150, 9);
    expect(toReviews.mtlsShare).toBe(1);
  });

  it('answers the MetricsProvider interface through the typed client, with the three kinds kept apart', async () => {
    const p = c.client;
    expect(valueOf(await p.successRate(v3, 60))).toBeCloseTo(92, 9);
    expect(valueOf(await p.latencyQuantile(v3, 0.99, 60))).toBeCloseTo(950, 6);
    expect(valueOf(await p.requestRate(v3, 60))).toBeCloseTo(10, 6);
    expect(valueOf(await p.errorCount(v3, 60))).toBeCloseTo(48, 6);
    expect(valueOf<Record<string, number>>(await p.responseFlags(v3, 60))['-']).toBeCloseTo(600, 6);
    const histogram = valueOf<{ buckets: Array<{ le: number }>; count: number }>(
      await p.latencyHistogram(v3, 60),
    );
    expect(histogram.buckets.at(-1)!.le).toBe(Number.POSITIVE_INFINITY);
    expect(histogram.count).toBeCloseTo(600, 6);
    expect(valueOf<ServiceStats[]>(await p.serviceStats({ namespace: 'shop' }, 60))).toHaveLength(3);
    expect(await p.successRate({ ...v3, version: 'v2' }, 60)).toMatchObject({ kind: 'no-data' });
    expect(await p.requestCount({ ...v3, version: 'v2' }, 60)).toMatchObject({ kind: 'value', value: 0 });
    expect(await p.successRate({ ...v3, version: 'v9' }, 60)).toMatchObject({ kind: 'no-data' });
    expect(await p.runQuery('sum(up)')).toMatchObject({
      kind: 'provider-error',
      error: { code: 'UNSUPPORTED' },
    });
    // The scrape window is 600 s: a longer one is the caller's mistake, reported, not thrown.
    expect(await p.successRate(v3, 3600)).toMatchObject({
      kind: 'provider-error',
      error: { code: 'QUERY_REJECTED' },
    });
    // A window the API refuses outright (not whole seconds) comes back the same way.
    expect(await p.successRate(v3, 0.5)).toMatchObject({
      kind: 'provider-error',
      error: {
        code: 'QUERY_REJECTED',
        provider: 'collector',
        message: expect.stringContaining('$.windowSeconds'),
      },
    });
  });

  it('refuses bad input with a 400, a stable code and the JSON path', async () => {
    expect(await c.get('/v1/topology?window=0')).toMatchObject({
      status: 400,
      body: { error: { code: 'QUERY_INVALID', path: '$.query.window' } },
    });
    expect(
      await c.post('/v1/query', { method: 'latencyQuantile', selector: v3, windowSeconds: 60, q: 2 }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'BODY_INVALID', path: '$.q' } },
    });
    expect(await c.post('/v1/query', '{"method":')).toMatchObject({
      status: 400,
      body: { error: { code: 'BODY_INVALID' } },
    });
    expect(await c.post('/v1/query', '<query/>', 'application/xml')).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    });
    expect(await c.get('/v1/nothing')).toMatchObject({
      status: 404,
      body: { error: { code: 'ROUTE_NOT_FOUND' } },
    });
  });

  it('property: no query string makes an endpoint answer 5xx', async () => {
    const text = fc.string({ maxLength: 12 });
    const param = fc.tuple(
      fc.constantFrom('namespace', 'window', 'service', 'version', 'from', 'to', 'limit', 'zz'),
      text,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/v1/services', '/v1/edges', '/v1/topology', '/v1/health', '/v1/rollups'),
        fc.array(param, { maxLength: 4 }),
        async (path, params) => {
          const res = await c.get(`${path}?${new URLSearchParams(params).toString()}`);
          expect(res.status === 200 || res.status === 400).toBe(true);
          if (res.status === 400)
            expect(res.body).toMatchObject({ error: { path: expect.stringMatching(/^\$\.query/) } });
        },
      ),
      { numRuns: 60 },
    );
  });

  describe('rollups', () => {
    const minute = (iso: string) => Date.parse(iso);
    const page = async (query: string) => (await c.get(`/v1/rollups?namespace=shop&${query}`)).body;

    it('writes one row per service version and minute, idempotently, and serves them back', async () => {
      for (const m of ['2030-01-01T10:00:20Z', '2030-01-01T10:01:40Z', '2030-01-01T10:02:00Z']) {
        expect(await c.rollups.writeMinute(minute(m))).toMatchObject({ outcome: 'written', rows: 3 });
      }
      // A rerun of a minute replaces its rows.
      await c.rollups.writeMinute(minute('2030-01-01T10:01:59Z'));
      const all = valueOf<RollupPage>(await page('from=2030-01-01T10:00:00Z&to=2030-01-01T10:03:00Z'));
      expect(all.truncated).toBe(false);
      expect(all.items.map((r) => `${r.minute.slice(11, 16)} ${r.version}`)).toEqual([
        '10:00 v1',
        '10:00 v2',
        '10:00 v3',
        '10:01 v1',
        '10:01 v2',
        '10:01 v3',
        '10:02 v1',
        '10:02 v2',
        '10:02 v3',
      ]);
      const row = all.items.find((r) => r.version === 'v3')!;
      expect(row).toMatchObject({
        provider: 'scrape',
        windowSeconds: 60,
        health: 'degraded',
        errorCount: expect.any(Number),
      });
      expect(row.successRate).toBeCloseTo(92, 9);
      expect(row.latencyMs.p99).toBeCloseTo(950, 6);
      expect(all.items.find((r) => r.version === 'v2')).toMatchObject({
        requestCount: 0,
        successRate: null,
        health: 'no-data',
      });

      const viaClient = await c.client.rollups({
        namespace: 'shop',
        service: 'reviews',
        version: 'v3',
        from: '2030-01-01T10:00:00Z',
        to: new Date('2030-01-01T10:03:00Z'),
        limit: 2,
      });
      expect(valueOf<RollupPage>(viaClient)).toMatchObject({
        truncated: true,
        items: [{ version: 'v3' }, { version: 'v3' }],
      });
      expect(await page('from=2030-01-02T00:00:00Z&to=2030-01-02T01:00:00Z')).toMatchObject({
        kind: 'no-data',
      });
    });

    it('keeps partitions ahead of time and drops those past the retention (14 days)', async () => {
      await c.rollups.writeMinute(minute('2030-01-01T12:00:00Z'));
      const now = minute('2030-01-20T08:00:00Z');
      await c.rollups.writeMinute(now);
      const { prepared, dropped } = await c.rollups.maintain(now);
      expect(prepared.map((d) => new Date(d).toISOString().slice(0, 10))).toEqual([
        '2030-01-20',
        '2030-01-21',
        '2030-01-22',
      ]);
      // Also today's real partitions, prepared at start: seen from 2030 they are long expired.
      const droppedDays = dropped.map((d) => new Date(d).toISOString().slice(0, 10));
      expect(droppedDays).toContain('2030-01-01');
      expect(droppedDays.every((d) => d < '2030-01-06')).toBe(true);
      const left = await c.service.app.get(DataSource).query<Array<{ relname: string }>>(
        `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'metric_rollups'::regclass ORDER BY 1`,
      );
      // The scheduler may recreate today's real partition at any minute; the 2030 ones are ours.
      expect(left.map((r) => r.relname).filter((n) => n.startsWith('metric_rollups_p2030'))).toEqual([
        'metric_rollups_p20300120',
        'metric_rollups_p20300121',
        'metric_rollups_p20300122',
      ]);
      expect(await page('from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z')).toMatchObject({
        kind: 'no-data',
      });
      expect(
        valueOf<RollupPage>(await page('from=2030-01-20T07:00:00Z&to=2030-01-20T09:00:00Z')).items,
      ).toHaveLength(3);
    });

    it('reports Postgres being down as a provider error, while live figures keep flowing', async () => {
      await pg.cut();
      try {
        expect(await page('')).toMatchObject({
          kind: 'provider-error',
          error: { code: 'PROVIDER_UNREACHABLE', provider: 'postgres' },
        });
        await expect(c.rollups.writeMinute(Date.now())).rejects.toThrow();
        expect((await c.get('/v1/services?namespace=shop')).body).toMatchObject({ kind: 'value' });
      } finally {
        await pg.restore();
      }
      // The pool reconnects by itself: no restart needed.
      const recovered = await eventually(async () => {
        const m = (await page('')) as Measurement<RollupPage>;
        return m.kind !== 'provider-error' && m;
      }, 15_000);
      expect(['value', 'no-data']).toContain(recovered.kind);
    });
  });
});

describe('collector API on the Prometheus provider, Prometheus down', () => {
  let db: TestDatabase;
  let c: TestCollector;

  beforeAll(async () => {
    db = await createTestDatabase();
    c = await startTestCollector(db.url, {
      METRICS_PROVIDER: 'prometheus',
      PROMETHEUS_URL: `http://127.0.0.1:${await freePort()}`,
      PROMETHEUS_TIMEOUT_MS: '2000',
    });
  });

  afterAll(async () => {
    await c?.close();
    await db?.drop();
  });

  it('answers every endpoint with provider-error, never no-data or a 5xx', async () => {
    for (const path of ['/v1/services', '/v1/edges', '/v1/topology?namespace=shop', '/v1/health']) {
      const res = await c.get(path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        kind: 'provider-error',
        error: { code: 'PROVIDER_UNREACHABLE', provider: 'prometheus' },
      });
    }
    expect(await c.client.successRate(v3, 60)).toMatchObject({
      kind: 'provider-error',
      error: {
        code: 'PROVIDER_UNREACHABLE',
        provider: 'prometheus',
        query: expect.stringContaining('istio_requests_total'),
      },
    });
    expect(await c.client.status()).toMatchObject({
      kind: 'value',
      value: { provider: 'prometheus', online: false },
    });
    expect(await c.client.isOnline()).toBe(false);
  });
});
