import { describe, expect, it } from 'vitest';
import { istioExposition, type TrafficSpec } from '../../test/support/istio-exposition.js';
import type { MeshSelector } from '../mesh-query.types.js';
import { ScrapeCollector } from './scrape-collector.service.js';
import { ScrapeMetricsProvider } from './scrape-metrics.provider.js';

const T0 = 1_700_000_000_000;
const STEP = 15_000;
const NS = 'bookinfo';
const dst = (version: string) => ({ namespace: NS, service: 'reviews', version });
const productpage = { namespace: NS, workload: 'productpage-v1', app: 'productpage', version: 'v1' };

/** Scrape k (k = 0..4, 15 s apart): v1 serves 10 ok/s and 0.2 5xx/s, v2 10 ok/s and 1 429/s. */
function scrape(k: number): TrafficSpec[] {
  return [
    {
      reporter: 'destination',
      source: productpage,
      destination: dst('v1'),
      responses: [
        { code: '200', count: 150 * k },
        { code: '503', flags: 'UF', count: 3 * k },
      ],
      latency: { bounds: [10, 50, 100], counts: [50 * k, 40 * k, 10 * k, 0] },
    },
    {
      reporter: 'destination',
      source: productpage,
      destination: dst('v2'),
      mtls: false,
      responses: [
        { code: '200', count: 150 * k },
        { code: '429', flags: 'RL', count: 15 * k },
      ],
    },
    {
      reporter: 'source',
      source: productpage,
      destination: dst('v1'),
      responses: [
        { code: '200', count: 150 * k },
        { code: '503', flags: 'UF', count: 3 * k },
      ],
    },
  ];
}

function fed(scrapes: Array<(k: number) => TrafficSpec[]>, count = 5) {
  let now = T0;
  const collector = new ScrapeCollector({ clock: () => now, retentionMs: 120_000 });
  for (let k = 0; k < count; k++) {
    now = T0 + k * STEP;
    scrapes.forEach((s, i) => collector.ingest(`pod-${i}`, istioExposition(s(k)), now));
  }
  return { provider: new ScrapeMetricsProvider(collector), collector, setNow: (t: number) => (now = t) };
}

const v1: MeshSelector = { kind: 'service', namespace: NS, service: 'reviews', version: 'v1' };
const v2: MeshSelector = { kind: 'service', namespace: NS, service: 'reviews', version: 'v2' };

describe('ScrapeMetricsProvider on scrapes at chosen times', () => {
  // The window [T0, T0+60s] starts and ends on a scrape, so increases are exact (no extrapolation).
  const { provider } = fed([scrape]);

  it('computes the success rate the way Flagger defines it (only 5xx fails)', async () => {
    expect(await provider.successRate(v1, 60)).toEqual({
      kind: 'value',
      value: (600 / 612) * 100,
      requestCount: 612,
      samples: 10,
    });
    const r2 = await provider.successRate(v2, 60);
    expect(r2.kind === 'value' && r2.value).toBe(100);
  });

  it('computes rates, counts and errors', async () => {
    expect(await provider.requestRate(v1, 60)).toMatchObject({ kind: 'value', value: 10.2 });
    expect(await provider.requestCount(v1, 60)).toMatchObject({ kind: 'value', value: 612 });
    expect(await provider.errorCount(v1, 60)).toMatchObject({ kind: 'value', value: 12 });
    expect(await provider.errorCount(v2, 60)).toMatchObject({ kind: 'value', value: 0 });
  });

  it('computes latency quantiles by histogram_quantile rules', async () => {
    const q = async (p: number) => {
      const r = await provider.latencyQuantile(v1, p, 60);
      return r.kind === 'value' ? r.value : r;
    };
    expect(await q(0.5)).toBeCloseTo(10, 9);
    expect(await q(0.9)).toBeCloseTo(50, 9);
    expect(await q(0.99)).toBeCloseTo(95, 9);
    expect(await provider.latencyHistogram(v1, 60)).toMatchObject({
      kind: 'value',
      value: {
        buckets: [
          { le: 10, count: 200 },
          { le: 50, count: 360 },
          { le: 100, count: 400 },
          { le: Number.POSITIVE_INFINITY, count: 400 },
        ],
        count: 400,
      },
    });
  });

  it('counts response flags', async () => {
    expect(await provider.responseFlags(v2, 60)).toMatchObject({
      kind: 'value',
      value: { '-': 600, RL: 60 },
    });
  });

  it('sums versions for a service selector and matches a workload selector', async () => {
    const all = await provider.successRate({ kind: 'service', namespace: NS, service: 'reviews' }, 60);
    expect(all).toMatchObject({ kind: 'value', value: (1260 / 1272) * 100, requestCount: 1272 });
    const byWorkload = await provider.successRate(
      { kind: 'workload', namespace: NS, workload: 'reviews-v1' },
      60,
    );
    expect(byWorkload).toMatchObject({ value: (600 / 612) * 100 });
  });

  it('answers no-data for a service nobody called, naming the selector', async () => {
    const r = await provider.successRate({ ...v1, service: 'ratings' } as MeshSelector, 60);
    expect(r.kind).toBe('no-data');
    expect(r.kind === 'no-data' && r.reason).toContain('destination_service_name="ratings"');
  });

  it('computes per service version stats', async () => {
    const r = await provider.serviceStats({ namespace: NS }, 60);
    expect(r.kind).toBe('value');
    if (r.kind !== 'value') return;
    expect(r.value).toEqual([
      {
        namespace: NS,
        service: 'reviews',
        version: 'v1',
        requestRate: 10.2,
        requestCount: 612,
        errorCount: 12,
        successRate: (600 / 612) * 100,
        latencyMs: { p50: 10, p90: 50, p99: expect.closeTo(95, 9) as number },
        responseFlags: { '-': 600, UF: 12 },
        mtlsShare: 1,
      },
      {
        namespace: NS,
        service: 'reviews',
        version: 'v2',
        requestRate: 11,
        requestCount: 660,
        errorCount: 0,
        successRate: 100,
        latencyMs: { p50: null, p90: null, p99: null },
        responseFlags: { '-': 600, RL: 60 },
        mtlsShare: 0,
      },
    ]);
  });

  it('builds edges from the client report, mTLS from the server report', async () => {
    const r = await provider.edges({ namespace: NS }, 60);
    expect(r.kind).toBe('value');
    if (r.kind !== 'value') return;
    expect(
      r.value.map((e) => [e.destination.version, e.reportedBy, e.requestCount, e.errorShare, e.mtlsShare]),
    ).toEqual([
      ['v1', 'source', 612, 12 / 612, 1],
      ['v2', 'destination', 660, 0, 0],
    ]);
    expect(r.value[0]!.source).toEqual(productpage);
  });

  it('refuses custom PromQL with a clear provider error', async () => {
    expect(await provider.runQuery('sum(up)')).toEqual({
      kind: 'provider-error',
      error: {
        code: 'UNSUPPORTED',
        provider: 'scrape',
        query: 'sum(up)',
        message:
          'unsupported: custom PromQL needs the Prometheus provider; configure a Prometheus URL or use the built-in metrics.',
      },
    });
  });

  it('rejects a window it cannot answer and a quantile out of range', async () => {
    for (const r of [
      await provider.successRate(v1, 600),
      await provider.requestRate(v1, 0),
      await provider.latencyQuantile(v1, 1.5, 60),
    ]) {
      expect(r).toMatchObject({ kind: 'provider-error', error: { code: 'QUERY_REJECTED' } });
    }
  });
});

describe('ScrapeMetricsProvider edge cases', () => {
  it('handles a counter reset (a restarted pod) inside the window', async () => {
    // Counts grow 150 per scrape but the pod restarts before scrape 3: 0,150,300 | 100,250.
    const restarted = (k: number): TrafficSpec[] => [
      {
        reporter: 'destination',
        destination: dst('v1'),
        responses: [{ code: '200', count: k < 3 ? 150 * k : 100 + 150 * (k - 3) }],
      },
    ];
    const { provider } = fed([restarted]);
    // 0->150->300, reset to 100 (counted from 0), ->250: 300 + 250 = 550.
    expect(await provider.requestCount(v1, 60)).toMatchObject({ kind: 'value', value: 550 });
  });

  it('sums the same series from two pods', async () => {
    const { provider } = fed([scrape, scrape]);
    expect(await provider.requestCount(v1, 60)).toMatchObject({ kind: 'value', value: 1224 });
  });

  it('an idle service has a rate of 0 but no success rate or latency', async () => {
    const idle = (): TrafficSpec[] => [
      {
        reporter: 'destination',
        destination: dst('v1'),
        responses: [{ code: '200', count: 42 }],
        latency: { bounds: [10], counts: [42, 0] },
      },
    ];
    const { provider } = fed([idle]);
    expect(await provider.requestRate(v1, 60)).toMatchObject({ kind: 'value', value: 0 });
    expect(await provider.successRate(v1, 60)).toEqual({
      kind: 'no-data',
      reason: 'no requests in the last 60s',
    });
    expect((await provider.latencyQuantile(v1, 0.99, 60)).kind).toBe('no-data');
    expect((await provider.latencyHistogram(v1, 60)).kind).toBe('no-data');
  });

  it('needs two samples in the window', async () => {
    const { provider } = fed([scrape], 1);
    expect((await provider.requestRate(v1, 60)).kind).toBe('no-data');
  });

  it('is a provider error, never no-data, when no target answers', async () => {
    const collector = new ScrapeCollector({
      targets: [{ name: 'mesh', url: 'http://127.0.0.1:9/metrics' }],
      fetcher: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')),
    });
    await collector.scrapeOnce();
    const provider = new ScrapeMetricsProvider(collector);
    expect(await provider.isOnline()).toBe(false);
    expect(await provider.successRate(v1, 60)).toEqual({
      kind: 'provider-error',
      error: {
        code: 'PROVIDER_UNREACHABLE',
        provider: 'scrape',
        message: 'no scrape target answered: mesh: connect ECONNREFUSED 127.0.0.1:9',
      },
    });
  });
});
