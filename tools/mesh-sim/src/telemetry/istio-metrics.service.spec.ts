import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodInfo } from '../engine/engine.types.js';
import { Flag } from '../engine/response-flags.util.js';
import { IstioMetrics, Reporter, SecurityPolicy } from './istio-metrics.service.js';
import { parsePromText, sumSamples } from './prom-text.parser.js';

const pod = (over: Partial<PodInfo>): PodInfo =>
  ({
    uid: 'u1',
    workload: 'reviews-v1',
    namespace: 'shop',
    principal: 'cluster.local/ns/shop/sa/reviews',
    app: 'reviews',
    version: 'v1',
    canonicalService: 'reviews',
    canonicalRevision: 'v1',
    ...over,
  }) as PodInfo;

const LABELS = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
];

describe('Istio standard metrics (istio-semantics §5)', () => {
  const m = new IstioMetrics();
  const src = m.peer(
    pod({
      uid: 'c',
      workload: 'productpage-v1',
      app: 'productpage',
      principal: 'cluster.local/ns/shop/sa/pp',
    }),
    true,
  );
  const dst = m.peer(pod({}), true);
  const svc = m.service('reviews.shop.svc.cluster.local', 'reviews', 'shop');
  m.record(Reporter.Destination, src, dst, svc, 200, -1, 0, SecurityPolicy.MutualTls, 7, 300, 900);
  m.record(Reporter.Destination, src, dst, svc, 200, -1, 0, SecurityPolicy.MutualTls, 3_000_000, 300, 900);
  m.record(
    Reporter.Source,
    src,
    m.unknownPeer,
    svc,
    503,
    -1,
    Flag.DI | Flag.FI,
    SecurityPolicy.Unknown,
    0.2,
    300,
    40,
  );
  const samples = parsePromText(m.render());

  it('exports the four HTTP metrics with every standard label', () => {
    const names = new Set(samples.map((s) => s.name));
    for (const base of [
      'istio_request_duration_milliseconds',
      'istio_request_bytes',
      'istio_response_bytes',
    ]) {
      for (const suffix of ['_bucket', '_sum', '_count']) expect(names.has(base + suffix)).toBe(true);
    }
    const counter = samples.find((s) => s.name === 'istio_requests_total')!;
    expect(Object.keys(counter.labels).sort()).toEqual([...LABELS].sort());
    expect(counter.labels).toMatchObject({
      source_principal: 'spiffe://cluster.local/ns/shop/sa/pp',
      destination_service: 'reviews.shop.svc.cluster.local',
      destination_cluster: 'Kubernetes',
      request_protocol: 'http',
      grpc_response_status: '',
      connection_security_policy: 'mutual_tls',
    });
  });

  it("uses Envoy's default buckets, printed the way Envoy prints them", () => {
    const les = samples
      .filter(
        (s) => s.name === 'istio_request_duration_milliseconds_bucket' && s.labels['response_code'] === '200',
      )
      .map((s) => s.labels['le']);
    expect(les).toEqual([
      '0.5',
      '1',
      '5',
      '10',
      '25',
      '50',
      '100',
      '250',
      '500',
      '1000',
      '2500',
      '5000',
      '10000',
      '30000',
      '60000',
      '300000',
      '600000',
      '1.8e+06',
      '3.6e+06',
      '+Inf',
    ]);
    const bucket = (le: string) =>
      sumSamples(samples, 'istio_request_duration_milliseconds_bucket', { reporter: 'destination', le });
    expect(bucket('5')).toBe(0);
    expect(bucket('10')).toBe(1);
    expect(bucket('3.6e+06')).toBe(2);
    expect(sumSamples(samples, 'istio_request_duration_milliseconds_sum', { reporter: 'destination' })).toBe(
      3_000_007,
    );
  });

  it('labels local replies with unknown destinations and comma-joined flags', () => {
    const local = samples.find(
      (s) => s.name === 'istio_requests_total' && s.labels['reporter'] === 'source',
    )!;
    expect(local.labels).toMatchObject({
      destination_workload: 'unknown',
      destination_canonical_revision: 'latest',
      response_flags: 'DI,FI',
      response_code: '503',
      connection_security_policy: 'unknown',
    });
  });

  it('sums the replicas of a workload into one series, as Prometheus sees them', () => {
    const metrics = new IstioMetrics();
    const svc = metrics.service('reviews.shop.svc.cluster.local', 'reviews', 'shop');
    const caller = metrics.peer(pod({ uid: 'pp', workload: 'productpage-v1', app: 'productpage' }), true);
    for (const uid of ['r1', 'r2']) {
      const replica = metrics.peer(pod({ uid }), true);
      metrics.record(
        Reporter.Destination,
        caller,
        replica,
        svc,
        200,
        -1,
        0,
        SecurityPolicy.MutualTls,
        5,
        100,
        100,
      );
    }
    const totals = parsePromText(metrics.render()).filter((x) => x.name === 'istio_requests_total');
    expect(totals).toHaveLength(1);
    expect(totals[0]!.value).toBe(2);
  });

  it('keeps counters monotonic and series stable', () => {
    const before = sumSamples(parsePromText(m.render()), 'istio_requests_total');
    m.record(Reporter.Destination, src, dst, svc, 200, -1, 0, SecurityPolicy.MutualTls, 1, 1, 1);
    expect(sumSamples(parsePromText(m.render()), 'istio_requests_total')).toBe(before + 1);
    expect(m.seriesCount).toBe(2);
  });

  it('escapes label values so they parse back unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (workload, app) => {
        const metrics = new IstioMetrics();
        const p = metrics.peer(pod({ workload, app }), false);
        metrics.record(
          Reporter.Source,
          p,
          p,
          metrics.service('s', 's', 'n'),
          200,
          0,
          0,
          SecurityPolicy.Unknown,
          1,
          1,
          1,
        );
        const parsed = parsePromText(metrics.render()).find((s) => s.name === 'istio_requests_total')!;
        expect(parsed.labels['source_workload']).toBe(workload);
        expect(parsed.labels['destination_app']).toBe(app);
        expect(parsed.labels['request_protocol']).toBe('grpc');
      }),
    );
  });
});

describe('parsePromText', () => {
  it('reads comments, labels, escapes, +Inf and timestamps', () => {
    const text = '# HELP x y\n# TYPE x counter\nx{a="1",b="q\\"uote\\\\"} 3 1700000000\ny +Inf\n';
    expect(parsePromText(text)).toEqual([
      { name: 'x', labels: { a: '1', b: 'q"uote\\' }, value: 3 },
      { name: 'y', labels: {}, value: Number.POSITIVE_INFINITY },
    ]);
  });

  it('rejects malformed lines', () => {
    expect(() => parsePromText('x{a=1} 2')).toThrow(/bad label set/);
    expect(() => parsePromText('x two')).toThrow(/not a sample value/);
  });
});
