import { describe, expect, it } from 'vitest';
import { engineFixture, istio } from '../__fixtures__/engine.fixture.js';

const reviews = (versions = ['v1', 'v2']) => ({
  name: 'reviews',
  versions: versions.map((name) => ({ name })),
});
const subsets = (versions = ['v1', 'v2'], ns = 'shop') =>
  istio(
    'DestinationRule',
    'reviews',
    { host: 'reviews', subsets: versions.map((v) => ({ name: v, labels: { version: v } })) },
    ns,
  );
const to = (subset: string) => [{ destination: { host: 'reviews', subset } }];
const sleep = (rps = 100, extra: object = {}) => ({
  name: 'sleep',
  target: { service: 'reviews' },
  rps,
  arrival: 'uniform' as const,
  ...extra,
});

describe('virtual host and VirtualService selection (istio-semantics §1.1)', () => {
  it('uses the oldest VirtualService for a host and ignores later duplicates', () => {
    const f = engineFixture({ services: [reviews()], clients: [sleep()] }, [
      subsets(),
      istio('VirtualService', 'b-older', { hosts: ['reviews'], http: [{ route: to('v2') }] }),
      istio('VirtualService', 'a-newer', { hosts: ['reviews'], http: [{ route: to('v1') }] }),
    ]);
    f.run(1000);
    expect(f.requests({ reporter: 'destination', destination_workload: 'reviews-v2' })).toBe(100);
  });

  it('prefers a VirtualService in the client namespace, and hides exportTo "." ones from others', () => {
    const services = [
      reviews(),
      { name: 'web', namespace: 'front', versions: [{ name: 'v1', calls: [{ service: 'reviews.shop' }] }] },
    ];
    const clients = [
      { name: 'user', namespace: 'front', target: { service: 'web' }, rps: 50, arrival: 'uniform' as const },
    ];
    const shopVs = istio('VirtualService', 'shop-vs', { hosts: ['reviews'], http: [{ route: to('v2') }] });
    // Short names resolve in the VirtualService's own namespace, so a VS in `front` names the FQDN.
    const fqdn = 'reviews.shop.svc.cluster.local';
    const frontVs = istio(
      'VirtualService',
      'front-vs',
      { hosts: [fqdn], http: [{ route: [{ destination: { host: fqdn, subset: 'v1' } }] }] },
      'front',
    );
    const f = engineFixture({ services, clients }, [subsets(), shopVs, frontVs]);
    f.run(1000);
    expect(
      f.requests({ reporter: 'destination', source_workload: 'web-v1', destination_workload: 'reviews-v1' }),
    ).toBe(50);
    const hidden = engineFixture({ services, clients }, [
      subsets(),
      istio('VirtualService', 'private', {
        hosts: ['reviews'],
        exportTo: ['.'],
        http: [{ route: to('v2') }],
      }),
    ]);
    hidden.run(1000);
    // Without a visible VirtualService the default route spreads over both versions.
    expect(hidden.requests({ reporter: 'destination', destination_workload: 'reviews-v1' })).toBeGreaterThan(
      0,
    );
    expect(hidden.requests({ reporter: 'destination', destination_workload: 'reviews-v1' })).toBeLessThan(50);
  });

  it('applies sourceLabels only to matching clients (a config-time selector, §1.2)', () => {
    const f = engineFixture(
      {
        services: [reviews()],
        clients: [
          sleep(50),
          {
            name: 'canary',
            target: { service: 'reviews' },
            rps: 50,
            arrival: 'uniform',
            labels: { track: 'canary' },
          },
        ],
      },
      [
        subsets(),
        istio('VirtualService', 'reviews', {
          hosts: ['reviews'],
          http: [{ match: [{ sourceLabels: { track: 'canary' } }], route: to('v2') }, { route: to('v1') }],
        }),
      ],
    );
    f.run(1000);
    expect(
      f.requests({ reporter: 'destination', source_workload: 'canary', destination_workload: 'reviews-v2' }),
    ).toBe(50);
    expect(
      f.requests({ reporter: 'destination', source_workload: 'sleep', destination_workload: 'reviews-v1' }),
    ).toBe(50);
  });

  it('drops weight-0 destinations and splits the rest w/Σw even when Σw is not 100 (§1.3)', () => {
    const f = engineFixture({ services: [reviews(['v1', 'v2', 'v3'])], clients: [sleep(1000)] }, [
      subsets(['v1', 'v2', 'v3']),
      istio('VirtualService', 'reviews', {
        hosts: ['reviews'],
        http: [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 0 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: 3 },
              { destination: { host: 'reviews', subset: 'v3' }, weight: 1 },
            ],
          },
        ],
      }),
    ]);
    f.run(10_000);
    expect(f.requests({ reporter: 'destination', destination_workload: 'reviews-v1' })).toBe(0);
    expect(f.requests({ reporter: 'destination', destination_workload: 'reviews-v2' }) / 10_000).toBeCloseTo(
      0.75,
      1,
    );
  });
});

describe('local replies of the client sidecar', () => {
  it('answers 503 NC for an undefined subset or unknown host, and 503 UH without endpoints (§1.3, §2.4)', () => {
    const f = engineFixture(
      {
        services: [reviews(['v1']), { name: 'empty', versions: [{ name: 'v1', replicas: 0 }] }],
        clients: [sleep(10), { name: 'e', target: { service: 'empty' }, rps: 10, arrival: 'uniform' }],
      },
      [
        subsets(['v1']),
        istio('VirtualService', 'reviews', {
          hosts: ['reviews'],
          http: [
            { match: [{ headers: { x: {} } }], route: [{ destination: { host: 'ghost' } }] },
            { route: to('v9') },
          ],
        }),
      ],
    );
    f.run(1000);
    expect(f.outcomes()).toEqual({ '503 NC': 10, '503 UH': 10 });
    expect(f.requests({ reporter: 'destination' })).toBe(0);
  });

  it('answers redirects, direct responses and CORS preflights itself', () => {
    const f = engineFixture(
      {
        services: [reviews(['v1'])],
        clients: [
          sleep(10, { requests: [{ path: '/old' }] }),
          {
            name: 'direct',
            target: { service: 'reviews' },
            rps: 10,
            arrival: 'uniform',
            requests: [{ path: '/health' }],
          },
          {
            name: 'browser',
            target: { service: 'reviews' },
            rps: 10,
            arrival: 'uniform',
            requests: [
              {
                method: 'OPTIONS',
                path: '/api',
                headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
              },
            ],
          },
        ],
      },
      [
        istio('VirtualService', 'reviews', {
          hosts: ['reviews'],
          http: [
            { match: [{ uri: { exact: '/old' } }], redirect: { uri: '/new', redirectCode: 308 } },
            { match: [{ uri: { exact: '/health' } }], directResponse: { status: 204 } },
            {
              route: [{ destination: { host: 'reviews' } }],
              corsPolicy: { allowOrigins: [{ exact: 'https://shop.example' }], allowMethods: ['POST'] },
            },
          ],
        }),
      ],
    );
    f.run(1000);
    expect(f.outcomes()).toEqual({ '308 -': 10, '204 -': 10, '200 -': 10 });
    expect(f.requests({ reporter: 'destination' })).toBe(0);
  });
});

describe('request changes and header propagation', () => {
  it('routes a propagated header on a downstream hop (full-link gray release)', () => {
    const services = [
      {
        name: 'frontend',
        propagateHeaders: ['x-gray'],
        versions: [{ name: 'v1', calls: [{ service: 'reviews' }] }],
      },
      { name: 'legacy', propagateHeaders: [], versions: [{ name: 'v1', calls: [{ service: 'reviews' }] }] },
      reviews(),
    ];
    const gray = { 'x-gray': 'canary' };
    const f = engineFixture(
      {
        services,
        clients: [
          {
            name: 'shopper',
            target: { service: 'frontend' },
            rps: 100,
            arrival: 'uniform',
            requests: [{ weight: 1, headers: gray }, { weight: 3 }],
          },
          {
            name: 'old',
            target: { service: 'legacy' },
            rps: 50,
            arrival: 'uniform',
            requests: [{ headers: gray }],
          },
        ],
      },
      [
        subsets(),
        istio('VirtualService', 'reviews', {
          hosts: ['reviews'],
          http: [
            { match: [{ headers: { 'x-gray': { exact: 'canary' } } }], route: to('v2') },
            { route: to('v1') },
          ],
        }),
      ],
    );
    f.run(10_000);
    const v2 = f.requests({
      reporter: 'destination',
      source_workload: 'frontend-v1',
      destination_workload: 'reviews-v2',
    });
    expect(v2 / 1000).toBeCloseTo(0.25, 1);
    // An app that does not propagate the header loses the gray route on the next hop.
    expect(
      f.requests({
        reporter: 'destination',
        source_workload: 'legacy-v1',
        destination_workload: 'reviews-v2',
      }),
    ).toBe(0);
  });

  it('applies rewrite before the server sees the request', () => {
    const f = engineFixture(
      { services: [reviews(['v1'])], clients: [sleep(10, { requests: [{ path: '/v1/items?x=1' }] })] },
      [
        istio('VirtualService', 'reviews', {
          hosts: ['reviews'],
          http: [
            {
              match: [{ uri: { prefix: '/v1/' } }],
              rewrite: { uri: '/v2/' },
              route: [{ destination: { host: 'reviews' } }],
            },
          ],
        }),
        istio('AuthorizationPolicy', 'only-v2', {
          selector: { matchLabels: { app: 'reviews' } },
          rules: [{ to: [{ operation: { paths: ['/v2/*'] } }] }],
        }),
      ],
    );
    f.run(1000);
    expect(f.outcomes()).toEqual({ '200 -': 10 });
  });

  it('sets headers with per-destination operations applied last', () => {
    const f = engineFixture({ services: [reviews()], clients: [sleep(10)] }, [
      subsets(),
      istio('VirtualService', 'reviews', {
        hosts: ['reviews'],
        http: [
          {
            headers: { request: { set: { 'x-env': 'rule' } } },
            route: [
              {
                destination: { host: 'reviews', subset: 'v1' },
                headers: { request: { set: { 'x-env': 'dest' } } },
              },
            ],
          },
        ],
      }),
      istio('AuthorizationPolicy', 'need-dest', {
        selector: { matchLabels: { app: 'reviews' } },
        rules: [{ when: [{ key: 'request.headers[x-env]', values: ['dest'] }] }],
      }),
    ]);
    f.run(1000);
    expect(f.outcomes()).toEqual({ '200 -': 10 });
  });
});

describe('mTLS and protocols', () => {
  it('refuses plaintext towards STRICT (503 UC) and labels the connection security policy', () => {
    const strict = istio('PeerAuthentication', 'strict', { mtls: { mode: 'STRICT' } });
    const plain = istio('DestinationRule', 'plain', {
      host: 'reviews',
      trafficPolicy: { tls: { mode: 'DISABLE' } },
    });
    const f = engineFixture({ services: [reviews(['v1'])], clients: [sleep(10)] }, [strict, plain]);
    f.run(1000);
    expect(f.outcomes()).toEqual({ '503 UC': 10 });
    const auto = engineFixture({ services: [reviews(['v1'])], clients: [sleep(10)] }, [strict]);
    auto.run(1000);
    expect(auto.requests({ reporter: 'destination', connection_security_policy: 'mutual_tls' })).toBe(10);
    const disabled = engineFixture({ services: [reviews(['v1'])], clients: [sleep(10)] }, [
      istio('PeerAuthentication', 'off', { mtls: { mode: 'DISABLE' } }),
    ]);
    disabled.run(1000);
    expect(
      disabled.requests({
        reporter: 'destination',
        connection_security_policy: 'none',
        source_principal: 'unknown',
      }),
    ).toBe(10);
  });

  it('refuses a client without a sidecar under STRICT and reports only the server side otherwise', () => {
    const f = engineFixture({ services: [reviews(['v1'])], clients: [sleep(10, { sidecar: false })] }, []);
    f.run(1000);
    expect(f.requests({ reporter: 'source' })).toBe(0);
    expect(
      f.requests({ reporter: 'destination', source_workload: 'unknown', connection_security_policy: 'none' }),
    ).toBe(10);
    const strict = engineFixture({ services: [reviews(['v1'])], clients: [sleep(10, { sidecar: false })] }, [
      istio('PeerAuthentication', 'strict', { mtls: { mode: 'STRICT' } }),
    ]);
    strict.run(1000);
    expect(strict.engine.counters.refusedConnections).toBe(10);
    expect(strict.requests({})).toBe(0);
  });

  it('reports gRPC local replies as HTTP 200 with a grpc-status', () => {
    const f = engineFixture(
      {
        services: [{ name: 'reviews', protocol: 'grpc', versions: [{ name: 'v1' }] }],
        clients: [sleep(100)],
      },
      [
        istio('VirtualService', 'reviews', {
          hosts: ['reviews'],
          http: [
            {
              fault: { abort: { httpStatus: 503, percentage: { value: 100 } } },
              route: [{ destination: { host: 'reviews' } }],
            },
          ],
        }),
      ],
    );
    f.run(1000);
    expect(
      f.requests({
        reporter: 'source',
        response_code: '200',
        grpc_response_status: '14',
        request_protocol: 'grpc',
        response_flags: 'FI',
      }),
    ).toBe(100);
  });
});

describe('config problems', () => {
  it('skips an object istiod would reject and reports why', () => {
    const f = engineFixture({ services: [reviews()], clients: [sleep(10)] }, [
      subsets(),
      istio('VirtualService', 'broken', {
        hosts: ['reviews'],
        http: [{ route: to('v2'), timeout: '0.5ms' }],
      }),
    ]);
    f.run(1000);
    expect(f.engine.index.config.problems).toEqual([
      {
        kind: 'VirtualService',
        namespace: 'shop',
        name: 'broken',
        path: '$.spec.http[0].timeout',
        message: 'duration must be at least 1ms',
      },
    ]);
    expect(f.requests({ reporter: 'destination', destination_workload: 'reviews-v1' })).toBeGreaterThan(0);
  });

  it('picks up config changes on the next request', () => {
    const f = engineFixture({ services: [reviews()], clients: [sleep(10)] }, [subsets()]);
    f.source.apply(istio('VirtualService', 'reviews', { hosts: ['reviews'], http: [{ route: to('v1') }] }));
    f.run(1000);
    f.source.apply(istio('VirtualService', 'reviews', { hosts: ['reviews'], http: [{ route: to('v2') }] }));
    f.run(1000);
    expect(f.requests({ reporter: 'destination', destination_workload: 'reviews-v1' })).toBe(10);
    expect(f.requests({ reporter: 'destination', destination_workload: 'reviews-v2' })).toBe(10);
  });
});
