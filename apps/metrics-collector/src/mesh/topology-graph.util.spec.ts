import fc from 'fast-check';
import type { EdgeStats } from '@heliomesh/metrics';
import { describe, expect, it } from 'vitest';
import type { CountRow } from '../telemetry/traffic-breakdown.types.js';
import { healthReport } from './health-report.util.js';
import { buildTopology } from './topology-graph.util.js';

const W = 60;

function edge(
  src: { ns?: string; workload: string; app?: string; version?: string },
  dst: { ns?: string; service: string; version: string },
  count: number,
  extra: Partial<EdgeStats> = {},
): EdgeStats {
  return {
    source: {
      namespace: src.ns ?? 'shop',
      workload: src.workload,
      app: src.app ?? 'unknown',
      version: src.version ?? 'unknown',
    },
    destination: { namespace: dst.ns ?? 'shop', service: dst.service, version: dst.version },
    requestRate: count / W,
    requestCount: count,
    errorCount: 0,
    errorShare: count > 0 ? 0 : null,
    responseFlags: { '-': count },
    mtlsShare: 1,
    reportedBy: 'source',
    ...extra,
  };
}

function codes(
  labels: Record<string, string>,
  byCode: Record<string, number>,
  protocol = 'http',
): CountRow[] {
  return Object.entries(byCode).map(([code, count]) => ({
    labels: { ...labels, request_protocol: protocol, response_code: code, grpc_response_status: '' },
    count,
  }));
}

const product = { workload: 'product-v1', app: 'product', version: 'v1' };
const shopper = { workload: 'shopper', app: 'shopper', version: 'unknown' };

describe('buildTopology', () => {
  const edges = [
    edge(shopper, { service: 'frontend', version: 'v1' }, 600),
    edge(product, { service: 'reviews', version: 'v1' }, 300),
    edge(product, { service: 'reviews', version: 'v3' }, 100, { errorCount: 8, errorShare: 0.08 }),
    edge(
      { workload: 'reviews-v3', app: 'reviews', version: 'v3' },
      { service: 'ratings', version: 'v1' },
      100,
    ),
  ];
  const serviceRows = [
    ...codes(
      {
        destination_service_namespace: 'shop',
        destination_service_name: 'reviews',
        destination_version: 'v1',
      },
      { '200': 600 },
    ),
    ...codes(
      {
        destination_service_namespace: 'shop',
        destination_service_name: 'reviews',
        destination_version: 'v3',
      },
      { '200': 184, '503': 16 },
    ),
    ...codes(
      {
        destination_service_namespace: 'shop',
        destination_service_name: 'ratings',
        destination_version: 'v1',
      },
      { '200': 200 },
    ),
  ];
  const edgeRows = [
    ...codes(
      {
        reporter: 'source',
        source_workload_namespace: 'shop',
        source_workload: 'product-v1',
        destination_service_namespace: 'shop',
        destination_service_name: 'reviews',
      },
      { '200': 392, '503': 8 },
    ),
    // The server's view of the same edge must not be counted twice.
    ...codes(
      {
        reporter: 'destination',
        source_workload_namespace: 'shop',
        source_workload: 'product-v1',
        destination_service_namespace: 'shop',
        destination_service_name: 'reviews',
      },
      { '503': 400 },
    ),
  ];
  // Latency buckets (cumulative counts by le): product's client side sees reviews at 10-250 ms,
  // the v3 server at 100-1000 ms; a server-side row of the caller edge must not be used for it.
  const bucket = (labels: Record<string, string>, byLe: Record<string, number>): CountRow[] =>
    Object.entries(byLe).map(([le, count]) => ({ labels: { ...labels, le }, count }));
  const productToReviews = {
    source_workload_namespace: 'shop',
    source_workload: 'product-v1',
    destination_service_namespace: 'shop',
    destination_service_name: 'reviews',
  };
  const latencyRows = [
    ...bucket(
      { reporter: 'source', ...productToReviews, destination_version: 'v1' },
      { '10': 0, '25': 300, '250': 300, '+Inf': 300 },
    ),
    ...bucket(
      { reporter: 'source', ...productToReviews, destination_version: 'v3' },
      { '10': 0, '25': 0, '250': 100, '+Inf': 100 },
    ),
    ...bucket(
      { reporter: 'destination', ...productToReviews, destination_version: 'v3' },
      { '100': 0, '1000': 100, '+Inf': 100 },
    ),
  ];
  const graph = buildTopology({
    edges,
    health: healthReport(serviceRows, W),
    edgeCodes: edgeRows,
    edgeLatency: latencyRows,
    namespace: 'shop',
    windowSeconds: W,
  });

  it("builds Kiali's versioned-app graph: caller app -> service -> version app", () => {
    expect(graph.nodes.map((n) => `${n.kind} ${n.id}`)).toEqual([
      'app app:shop/frontend/v1',
      'app app:shop/product/v1',
      'app app:shop/ratings/v1',
      'app app:shop/reviews/v1',
      'app app:shop/reviews/v3',
      'app app:shop/shopper/unknown',
      'service service:shop/frontend',
      'service service:shop/ratings',
      'service service:shop/reviews',
    ]);
    expect(graph.edges.map((e) => `${e.source} > ${e.target}`)).toEqual([
      'app:shop/product/v1 > service:shop/reviews',
      'app:shop/reviews/v3 > service:shop/ratings',
      'app:shop/shopper/unknown > service:shop/frontend',
      'service:shop/frontend > app:shop/frontend/v1',
      'service:shop/ratings > app:shop/ratings/v1',
      'service:shop/reviews > app:shop/reviews/v1',
      'service:shop/reviews > app:shop/reviews/v3',
    ]);
  });

  it('merges a version that both serves and calls into one node, keeping its workload', () => {
    const v3 = graph.nodes.find((n) => n.id === 'app:shop/reviews/v3')!;
    expect(v3).toMatchObject({ workload: 'reviews-v3', app: 'reviews', version: 'v3' });
  });

  it('sums versions into the caller -> service edge with rates, error share and mTLS', () => {
    const e = graph.edges.find((x) => x.source === 'app:shop/product/v1')!;
    expect(e).toMatchObject({ requestCount: 400, errorCount: 8, errorShare: 0.02, mtlsShare: 1 });
    expect(e.requestRate).toBeCloseTo(400 / W, 9);
    expect(e.responseFlags).toEqual({ '-': 400 });
  });

  it("judges an edge on its reporter's codes and a version edge on the version's health", () => {
    expect(graph.edges.find((x) => x.source === 'app:shop/product/v1')!.health).toBe('degraded');
    expect(graph.edges.find((x) => x.target === 'app:shop/reviews/v3')!.health).toBe('degraded');
    expect(graph.edges.find((x) => x.target === 'app:shop/reviews/v1')!.health).toBe('healthy');
    // No code rows for frontend: no data, not healthy.
    expect(graph.edges.find((x) => x.target === 'service:shop/frontend')!.health).toBe('no-data');
  });

  it("takes a caller edge's latency from its client's histogram and a version edge's from the server's", () => {
    const toReviews = graph.edges.find((x) => x.source === 'app:shop/product/v1')!;
    // 400 requests: rank 200 of the merged client buckets {10: 0, 25: 300, 250: 400}.
    expect(toReviews.latencyMs.p50).toBeCloseTo(10 + (15 * 200) / 300, 9);
    expect(toReviews.latencyMs.p99).toBeCloseTo(25 + (225 * (396 - 300)) / 100, 9);
    const toV3 = graph.edges.find((x) => x.target === 'app:shop/reviews/v3')!;
    expect(toV3.latencyMs.p50).toBeCloseTo(100 + 900 * 0.5, 9);
    // No histogram for v1 at the server: no latency, not zero.
    expect(graph.edges.find((x) => x.target === 'app:shop/reviews/v1')!.latencyMs).toEqual({
      p50: null,
      p90: null,
      p99: null,
    });
  });

  it('gives nodes their inbound rate and health; pure callers have neither', () => {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    expect(byId.get('service:shop/reviews')!.inboundRate).toBeCloseTo(400 / W, 9);
    expect(byId.get('app:shop/reviews/v3')).toMatchObject({ health: 'degraded' });
    expect(byId.get('app:shop/shopper/unknown')).toMatchObject({ inboundRate: null, health: 'no-data' });
  });

  it('maps callers without app label to workload nodes and outside traffic to unknown', () => {
    const g = buildTopology({
      edges: [
        edge({ workload: 'batch-job' }, { service: 'reviews', version: 'v1' }, 10),
        edge({ ns: 'unknown', workload: 'unknown' }, { service: 'reviews', version: 'v1' }, 5, {
          reportedBy: 'destination',
        }),
        edge(product, { ns: 'unknown', service: 'unknown', version: 'unknown' }, 3),
      ],
      health: healthReport([], W),
      edgeCodes: [],
      edgeLatency: [],
      namespace: null,
      windowSeconds: W,
    });
    expect(g.nodes.map((n) => n.id)).toEqual([
      'app:shop/product/v1',
      'app:shop/reviews/v1',
      'service:shop/reviews',
      'unknown:destination',
      'unknown:source',
      'workload:shop/batch-job',
    ]);
    expect(g.namespace).toBeNull();
  });

  it("property: every edge joins two nodes, and version edges carry exactly the service edges' traffic", () => {
    const services = ['a', 'b', 'c'];
    const arbEdge = fc
      .record({
        caller: fc.constantFrom('a', 'b', 'c', 'ext'),
        callerVersion: fc.constantFrom('v1', 'v2'),
        service: fc.constantFrom(...services),
        version: fc.constantFrom('v1', 'v2', 'unknown'),
        count: fc.integer({ min: 0, max: 1000 }),
        errors: fc.integer({ min: 0, max: 1000 }),
        mtls: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      })
      .map((r) =>
        edge(
          { workload: `${r.caller}-${r.callerVersion}`, app: r.caller, version: r.callerVersion },
          { service: r.service, version: r.version },
          r.count,
          { errorCount: Math.min(r.errors, r.count), mtlsShare: r.mtls },
        ),
      );
    fc.assert(
      fc.property(fc.array(arbEdge, { maxLength: 25 }), (input) => {
        const g = buildTopology({
          edges: input,
          health: healthReport([], W),
          edgeCodes: [],
          edgeLatency: [],
          namespace: 'shop',
          windowSeconds: W,
        });
        const ids = new Set(g.nodes.map((n) => n.id));
        expect(ids.size).toBe(g.nodes.length);
        for (const e of g.edges) {
          expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
          if (e.errorShare !== null) expect(e.errorShare).toBeLessThanOrEqual(1);
          if (e.mtlsShare !== null) expect(e.mtlsShare).toBeLessThanOrEqual(1 + 1e-12);
        }
        for (const s of services) {
          const id = `service:shop/${s}`;
          const into = g.edges.filter((e) => e.target === id).reduce((n, e) => n + e.requestCount, 0);
          const outOf = g.edges.filter((e) => e.source === id).reduce((n, e) => n + e.requestCount, 0);
          const reachedNoVersion = input
            .filter((e) => e.destination.service === s && e.destination.version === 'unknown')
            .reduce((n, e) => n + e.requestCount, 0);
          expect(outOf).toBe(into - reachedNoVersion);
        }
      }),
    );
  });
});

describe('healthReport', () => {
  it('rolls versions up into services, counts requests that reached no version for the service only', () => {
    const labels = (version: string) => ({
      destination_service_namespace: 'shop',
      destination_service_name: 'reviews',
      destination_version: version,
    });
    const report = healthReport(
      [
        ...codes(labels('v1'), { '200': 90 }),
        ...codes(labels('unknown'), { '503': 10 }),
        ...codes(
          {
            destination_service_namespace: 'unknown',
            destination_service_name: 'unknown',
            destination_version: 'unknown',
          },
          { '404': 50 },
        ),
      ],
      30,
    );
    expect(report.windowSeconds).toBe(30);
    expect(report.services).toEqual([
      {
        namespace: 'shop',
        service: 'reviews',
        status: 'failure',
        requestCount: 100,
        violations: [{ tolerance: '5XX', errorPercent: 10, degradedAt: 0, failureAt: 10, status: 'failure' }],
      },
    ]);
    expect(report.versions).toEqual([
      {
        namespace: 'shop',
        service: 'reviews',
        version: 'v1',
        status: 'healthy',
        requestCount: 90,
        violations: [],
      },
    ]);
  });
});
