import fc from 'fast-check';
import {
  PrometheusClient,
  ScrapeCollector,
  ScrapeMetricsProvider,
  printPrometheusText,
  type ExpositionSample,
  type LabelMatcher,
} from '@heliomesh/metrics';
import { describe, expect, it } from 'vitest';
import { breakdownPromql, PrometheusBreakdownProvider } from './prometheus-breakdown.provider.js';
import { ScrapeBreakdownProvider } from './scrape-breakdown.provider.js';
import { LATENCY_BUCKETS, REQUESTS, SERVICE_CODE_LABELS } from './traffic-breakdown.types.js';

const T0 = 1_700_000_000_000;

function requests(k: number): string {
  const sample = (labels: Record<string, string>, value: number): ExpositionSample => ({
    name: 'istio_requests_total',
    labels: {
      request_protocol: 'http',
      grpc_response_status: '',
      destination_service_namespace: 'shop',
      destination_service_name: 'reviews',
      ...labels,
    },
    value,
  });
  return printPrometheusText([
    {
      name: 'istio_requests_total',
      type: 'counter',
      samples: [
        sample({ reporter: 'destination', destination_version: 'v1', response_code: '200' }, 100 * k),
        sample({ reporter: 'destination', destination_version: 'v3', response_code: '200' }, 46 * k),
        sample({ reporter: 'destination', destination_version: 'v3', response_code: '503' }, 4 * k),
        sample({ reporter: 'source', destination_version: 'v3', response_code: '503' }, 4 * k),
        sample(
          {
            reporter: 'source',
            destination_version: 'unknown',
            response_code: '503',
            source_workload_namespace: 'edge',
          },
          k,
        ),
        sample(
          {
            reporter: 'destination',
            destination_service_namespace: 'other',
            destination_version: 'v1',
            response_code: '200',
          },
          7 * k,
        ),
      ],
    },
    {
      name: 'istio_request_duration_milliseconds',
      type: 'histogram',
      // reviews v3 at the server, twice (two pods' series): 20 of 50 under 100 ms, 45 under 250 ms.
      samples: ['pod-a', 'pod-b'].flatMap((pod) =>
        [
          ['100', 20],
          ['250', 45],
          ['+Inf', 50],
        ].map(([le, n]) => ({
          name: 'istio_request_duration_milliseconds_bucket',
          labels: { reporter: 'destination', destination_version: 'v3', pod: String(pod), le: String(le) },
          value: Number(n) * k,
        })),
      ),
    },
  ]);
}

function scraped(scrapes: number): ScrapeCollector {
  let now = T0;
  const collector = new ScrapeCollector({ clock: () => now });
  for (let k = 0; k < scrapes; k++) {
    now = T0 + k * 5_000;
    collector.ingest('mesh', requests(k), now);
  }
  return collector;
}

const inShop: LabelMatcher[] = [{ name: 'destination_service_namespace', op: '=', value: 'shop' }];

describe('ScrapeBreakdownProvider', () => {
  it('sums the window per group over both reporters, like sum by (...) (increase(...))', async () => {
    const r = await new ScrapeBreakdownProvider(scraped(13)).increaseBy(
      REQUESTS,
      [inShop],
      SERVICE_CODE_LABELS,
      60,
    );
    expect(r.kind).toBe('value');
    const rows = r.kind === 'value' ? r.value : [];
    const byKey = Object.fromEntries(
      rows.map((x) => [`${x.labels['destination_version']} ${x.labels['response_code']}`, x.count]),
    );
    // 12 intervals of 5 s exactly fill 60 s: increases are exact, no extrapolation.
    expect(byKey).toEqual({ 'v1 200': 1200, 'v3 200': 552, 'v3 503': 96, 'unknown 503': 12 });
    expect(
      rows.every((x) => Object.keys(x.labels).sort().join() === [...SERVICE_CODE_LABELS].sort().join()),
    ).toBe(true);
  });

  it("agrees with the scrape provider's request count for the same selection", async () => {
    const collector = scraped(9);
    const rows = await new ScrapeBreakdownProvider(collector).increaseBy(
      REQUESTS,
      [
        [
          ...inShop,
          { name: 'reporter', op: '=', value: 'destination' },
          { name: 'destination_version', op: '=', value: 'v3' },
        ],
      ],
      ['response_code'],
      30,
    );
    const count = await new ScrapeMetricsProvider(collector).requestCount(
      { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v3' },
      30,
    );
    const total = rows.kind === 'value' ? rows.value.reduce((s, x) => s + x.count, 0) : Number.NaN;
    expect(count.kind === 'value' && count.value).toBeCloseTo(total, 9);
  });

  it('keeps the first alternative of an `or` when both produce a group, as Prometheus does', async () => {
    const first: LabelMatcher[] = [{ name: 'reporter', op: '=', value: 'destination' }];
    const second: LabelMatcher[] = [{ name: 'destination_service_namespace', op: '=', value: 'shop' }];
    const r = await new ScrapeBreakdownProvider(scraped(13)).increaseBy(
      REQUESTS,
      [first, second],
      ['destination_service_namespace'],
      60,
    );
    const rows = r.kind === 'value' ? r.value : [];
    // `shop` appears in both; the first alternative's sum (destination reporter only, not the
    // 1,860 of both reporters) wins.
    expect(Object.fromEntries(rows.map((x) => [x.labels['destination_service_namespace'], x.count]))).toEqual(
      {
        shop: 1200 + 552 + 48,
        other: 84,
      },
    );
  });

  it('sums latency buckets by le across series, like sum by (le)', async () => {
    const r = await new ScrapeBreakdownProvider(scraped(13)).increaseBy(
      LATENCY_BUCKETS,
      [[{ name: 'destination_version', op: '=', value: 'v3' }]],
      ['le'],
      60,
    );
    const rows = r.kind === 'value' ? r.value : [];
    expect(Object.fromEntries(rows.map((x) => [x.labels['le'], x.count]))).toEqual({
      '100': 480,
      '250': 1080,
      '+Inf': 1200,
    });
  });

  it('tells apart a bad window, an unreachable target and no data', async () => {
    const collector = scraped(13);
    const b = new ScrapeBreakdownProvider(collector);
    expect(await b.increaseBy(REQUESTS, [[]], ['reporter'], 0)).toMatchObject({
      kind: 'provider-error',
      error: { code: 'QUERY_REJECTED' },
    });
    expect(await b.increaseBy(REQUESTS, [[]], ['reporter'], 601)).toMatchObject({
      kind: 'provider-error',
      error: { code: 'QUERY_REJECTED' },
    });
    expect(
      await b.increaseBy(
        REQUESTS,
        [[{ name: 'destination_service_namespace', op: '=', value: 'nowhere' }]],
        ['reporter'],
        60,
      ),
    ).toMatchObject({ kind: 'no-data' });
    const down = new ScrapeCollector({
      targets: [{ name: 'gone', url: 'http://127.0.0.1:1/metrics' }],
      fetcher: () => Promise.reject(new Error('ECONNREFUSED')),
    });
    await down.scrapeOnce();
    expect(
      await new ScrapeBreakdownProvider(down).increaseBy(REQUESTS, [[]], ['reporter'], 60),
    ).toMatchObject({
      kind: 'provider-error',
      error: { code: 'PROVIDER_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') },
    });
  });
});

describe('PrometheusBreakdownProvider', () => {
  it('sums latency buckets by le as well as requests', () => {
    expect(breakdownPromql(LATENCY_BUCKETS, [[]], ['le'], 30)).toBe(
      'sum(increase(istio_request_duration_milliseconds_bucket{}[30s])) by (le)',
    );
  });

  it('sends one sum by per alternative, joined with or', () => {
    expect(
      breakdownPromql(
        REQUESTS,
        [
          [{ name: 'source_workload_namespace', op: '=', value: 'shop' }],
          [{ name: 'destination_service_namespace', op: '=', value: 'shop' }],
        ],
        ['reporter', 'response_code'],
        60,
      ),
    ).toBe(
      'sum(increase(istio_requests_total{source_workload_namespace="shop"}[60s])) by (reporter,response_code) or ' +
        'sum(increase(istio_requests_total{destination_service_namespace="shop"}[60s])) by (reporter,response_code)',
    );
  });

  it('property: no label value changes the query shape (values stay inside one quoted string)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const q = breakdownPromql(
          REQUESTS,
          [[{ name: 'destination_service_namespace', op: '=', value }]],
          ['reporter'],
          60,
        );
        expect(q).toBe(
          `sum(increase(istio_requests_total{destination_service_namespace=${JSON.stringify(value)}}[60s])) by (reporter)`,
        );
      }),
    );
  });

  it('reads the vector answer as rows and an empty one as no data', async () => {
    const answer = (result: unknown[]) =>
      new PrometheusBreakdownProvider(
        new PrometheusClient({
          baseUrl: 'http://prometheus.invalid',
          fetch: () =>
            Promise.resolve(
              new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } })),
            ),
        }),
      ).increaseBy(REQUESTS, [[]], ['response_code'], 60);
    expect(
      await answer([
        { metric: { response_code: '503' }, value: [1, '4.5'] },
        { metric: {}, value: [1, 'NaN'] },
      ]),
    ).toEqual({
      kind: 'value',
      value: [{ labels: { response_code: '503' }, count: 4.5 }],
    });
    expect(await answer([])).toMatchObject({ kind: 'no-data' });
  });
});
