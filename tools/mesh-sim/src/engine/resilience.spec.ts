import { describe, expect, it } from 'vitest';
import { engineFixture, istio } from '../__fixtures__/engine.fixture.js';

const sleep = (rps: number) => ({
  name: 'sleep',
  target: { service: 'reviews' },
  rps,
  arrival: 'uniform' as const,
});
const reviewsVs = (http: object) =>
  istio('VirtualService', 'reviews', {
    hosts: ['reviews'],
    http: [{ route: [{ destination: { host: 'reviews' } }], ...http }],
  });

describe('retries (istio-semantics §1.5)', () => {
  it('does not retry app 5xx by default: one destination sample per request', () => {
    const f = engineFixture({
      services: [{ name: 'reviews', versions: [{ name: 'v1', errorRate: 1, errorCode: 503 }] }],
      clients: [sleep(100)],
    });
    f.run(1000);
    expect(f.outcomes()).toEqual({ '503 -': 100 });
    expect(f.requests({ reporter: 'destination' })).toBe(100);
  });

  it('retries 5xx up to attempts, then returns the last response with URX', () => {
    const f = engineFixture(
      {
        services: [{ name: 'reviews', versions: [{ name: 'v1', errorRate: 1, errorCode: 503 }] }],
        clients: [sleep(100)],
      },
      [reviewsVs({ retries: { attempts: 3, retryOn: '5xx' } })],
    );
    f.run(1000);
    expect(f.outcomes()).toEqual({ '503 URX': 100 });
    // One reporter="destination" sample per attempt.
    expect(f.requests({ reporter: 'destination', response_code: '503' })).toBe(400);
  });

  it('recovers from intermittent failures through retries, choosing other hosts first', () => {
    const f = engineFixture(
      {
        services: [
          { name: 'reviews', versions: [{ name: 'v1', replicas: 3, errorRate: 0.3, errorCode: 502 }] },
        ],
        clients: [sleep(1000)],
      },
      [reviewsVs({ retries: { attempts: 2, retryOn: 'gateway-error' } })],
    );
    f.run(2000);
    const outcomes = f.outcomes();
    // P(three failures) = 0.3^3 = 2.7 %.
    expect(outcomes['502 URX']! / 2000).toBeLessThan(0.05);
    expect(outcomes['200 -']! / 2000).toBeGreaterThan(0.95);
    expect(f.requests({ reporter: 'destination' })).toBeGreaterThan(2500);
  });

  it('skips retries beyond maxRetries in flight', () => {
    const services = [
      { name: 'reviews', versions: [{ name: 'v1', latency: 100, errorRate: 1, errorCode: 503 }] },
    ];
    const f = engineFixture({ services, clients: [sleep(100)] }, [
      reviewsVs({ retries: { attempts: 5, retryOn: '5xx' } }),
      istio('DestinationRule', 'reviews', {
        host: 'reviews',
        trafficPolicy: { connectionPool: { http: { maxRetries: 1 } } },
      }),
    ]);
    f.run(2000);
    // Most requests find the single retry slot taken and return the 503 in hand without URX.
    expect(f.outcomes()['503 -']).toBeGreaterThan(100);
  });
});

describe('timeouts (§1.5)', () => {
  it('answers 504 UT at the route timeout; the server logs a downstream disconnect', () => {
    const f = engineFixture(
      { services: [{ name: 'reviews', versions: [{ name: 'v1', latency: 200 }] }], clients: [sleep(100)] },
      [reviewsVs({ timeout: '50ms' })],
    );
    f.run(1000);
    expect(f.outcomes()).toEqual({ '504 UT': 100 });
    expect(f.requests({ reporter: 'destination', response_code: '0', response_flags: 'DC' })).toBe(100);
    const s = f.samples();
    const le = (v: string) =>
      s
        .filter(
          (x) =>
            x.name === 'istio_request_duration_milliseconds_bucket' &&
            x.labels['reporter'] === 'source' &&
            x.labels['le'] === v,
        )
        .reduce((a, x) => a + x.value, 0);
    expect(le('25')).toBe(0);
    expect(le('50')).toBe(100);
  });

  it('retries per-try timeouts and flags UT,URX when they run out', () => {
    const f = engineFixture(
      { services: [{ name: 'reviews', versions: [{ name: 'v1', latency: 200 }] }], clients: [sleep(100)] },
      [reviewsVs({ retries: { attempts: 2, perTryTimeout: '30ms', retryOn: '5xx' } })],
    );
    f.run(1000);
    expect(f.outcomes()).toEqual({ '504 UT,URX': 100 });
    expect(f.requests({ reporter: 'destination', response_flags: 'DC' })).toBe(300);
  });

  it('does not count an injected delay against the route timeout (the delay is before the router)', () => {
    const f = engineFixture(
      { services: [{ name: 'reviews', versions: [{ name: 'v1', latency: 10 }] }], clients: [sleep(100)] },
      [reviewsVs({ timeout: '50ms', fault: { delay: { fixedDelay: '100ms', percentage: { value: 100 } } } })],
    );
    f.run(1000);
    expect(f.outcomes()).toEqual({ '200 DI': 100 });
  });

  it('never retries aborts', () => {
    const f = engineFixture(
      { services: [{ name: 'reviews', versions: [{ name: 'v1' }] }], clients: [sleep(100)] },
      [
        reviewsVs({
          retries: { attempts: 3, retryOn: '5xx' },
          fault: { abort: { httpStatus: 503, percentage: { value: 100 } } },
        }),
      ],
    );
    f.run(1000);
    expect(f.outcomes()).toEqual({ '503 FI': 100 });
    expect(f.requests({ reporter: 'destination' })).toBe(0);
  });
});

describe('connection pool (§2.3)', () => {
  it('overflows with 503 UO once active requests reach http2MaxRequests', () => {
    const f = engineFixture(
      { services: [{ name: 'reviews', versions: [{ name: 'v1', latency: 1000 }] }], clients: [sleep(10)] },
      [
        istio('DestinationRule', 'reviews', {
          host: 'reviews',
          trafficPolicy: { connectionPool: { http: { http2MaxRequests: 1 } } },
        }),
      ],
    );
    f.run(10_000);
    const out = f.outcomes();
    // One request every 100 ms against a 1 s service with one slot: one in ten gets through.
    expect(out['200 -']).toBeGreaterThanOrEqual(9);
    expect(out['200 -']).toBeLessThanOrEqual(11);
    expect(out['503 UO']).toBe(100 - out['200 -']!);
    expect(f.requests({ reporter: 'destination' })).toBe(out['200 -']);
    // UO has a chosen host, so the destination labels are known.
    expect(f.requests({ reporter: 'source', response_flags: 'UO', destination_workload: 'reviews-v1' })).toBe(
      out['503 UO'],
    );
  });

  it('queues HTTP/1.1 requests for a free connection, adding wait time', () => {
    const f = engineFixture(
      { services: [{ name: 'reviews', versions: [{ name: 'v1', latency: 50 }] }], clients: [sleep(40)] },
      [
        istio('DestinationRule', 'reviews', {
          host: 'reviews',
          trafficPolicy: {
            connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1000 } },
          },
        }),
      ],
    );
    f.run(5000);
    // Arrivals every 25 ms, service 50 ms on one connection: the queue grows, nothing overflows.
    expect(f.outcomes()).toEqual({ '200 -': 200 });
    expect(f.engine.counters.entryLatencyMsSum / 200).toBeGreaterThan(1000);
  });
});

describe('load balancing (§2.2)', () => {
  const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
  const fixture = (lb: object) =>
    engineFixture(
      {
        // One pod per version so the metrics tell the pods apart.
        services: [{ name: 'reviews', versions: ['v1', 'v2', 'v3', 'v4'].map((name) => ({ name })) }],
        clients: users.map((u) => ({
          name: u,
          target: { service: 'reviews' },
          rps: 50,
          arrival: 'uniform' as const,
          requests: [{ headers: { 'x-user': u } }],
        })),
      },
      [istio('DestinationRule', 'reviews', { host: 'reviews', trafficPolicy: { loadBalancer: lb } })],
    );
  const podsPerUser = (f: ReturnType<typeof fixture>) =>
    users.map(
      (u) =>
        f
          .samples()
          .filter(
            (s) =>
              s.name === 'istio_requests_total' &&
              s.labels['reporter'] === 'destination' &&
              s.labels['source_workload'] === u,
          ).length,
    );

  it('keeps a consistent-hash key on one pod', () => {
    const f = fixture({ consistentHash: { httpHeaderName: 'x-user' } });
    f.run(2000);
    expect(podsPerUser(f)).toEqual(users.map(() => 1));
  });

  it('spreads the same users over every pod without a hash', () => {
    const f = fixture({ simple: 'ROUND_ROBIN' });
    f.run(2000);
    expect(podsPerUser(f)).toEqual(users.map(() => 4));
  });
});
