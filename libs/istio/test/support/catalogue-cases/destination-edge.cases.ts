import { acl, p, plugin, reviewsWith, rollout, s, service, v, type Cases } from './case.util.js';

/** Failing and passing cases: HM2xxx (DestinationRule), HM3xxx (security), HM4xxx (edge), HM5xxx (conflicts). */
export const DESTINATION_AND_EDGE_CASES: Cases = {
  HM2001: [() => s([], { services: [service('reviews', { v1: 3, v2: 0 })] }), () => s([])],
  HM2002: [
    () => s([], { services: [reviewsWith([v('v1', { app: 'reviews', version: 'v1' }), v('v2', {})])] }),
    () => s([]),
  ],
  HM2003: [
    () =>
      s([], {
        services: [
          reviewsWith([
            v('v1', { app: 'reviews', version: 'v1' }),
            v('v2', { app: 'reviews', version: 'v1' }),
          ]),
        ],
      }),
    () => s([]),
  ],
  HM2004: [
    () => s([p.circuitBreaker({ outlierDetection: { consecutive5xxErrors: 5 } })]),
    () => s([p.circuitBreaker({ outlierDetection: { consecutive5xxErrors: 5, maxEjectionPercent: 100 } })]),
  ],
  HM2005: [
    () => s([p.circuitBreaker({ connectionPool: { tcp: { maxConnections: 0 } } })]),
    () => s([p.circuitBreaker({ connectionPool: { tcp: { maxConnections: 10 } } })]),
  ],
  HM2006: [
    () => s([p.circuitBreaker({ outlierDetection: { maxEjectionPercent: 150 } })]),
    () => s([p.circuitBreaker({ outlierDetection: { maxEjectionPercent: 50 } })]),
  ],
  HM2007: [
    () => s([p.loadBalancer({ localityFailover: [{ from: 'us-east', to: 'us-west' }] })]),
    () =>
      s([
        p.loadBalancer({ localityFailover: [{ from: 'us-east', to: 'us-west' }] }),
        p.circuitBreaker({ outlierDetection: { consecutive5xxErrors: 5, maxEjectionPercent: 100 } }),
      ]),
  ],
  HM2008: [
    () => s([p.loadBalancer({ consistentHash: { httpHeaderName: 'x-user', maglevTableSize: 65536 } })]),
    () => s([p.loadBalancer({ consistentHash: { httpHeaderName: 'x-user', maglevTableSize: 65537 } })]),
  ],
  HM2009: [
    () => s([], { services: [reviewsWith([v('v1', { app: 'other', version: 'v1' })], { app: 'reviews' })] }),
    () =>
      s([], { services: [reviewsWith([v('v1', { app: 'reviews', version: 'v1' })], { app: 'reviews' })] }),
  ],
  HM2010: [
    () => s([p.circuitBreaker({ outlierDetection: { consecutive5xxErrors: 0, maxEjectionPercent: 100 } })]),
    () => s([p.circuitBreaker({ outlierDetection: { consecutive5xxErrors: 5, maxEjectionPercent: 100 } })]),
  ],
  HM3001: [
    () => s([acl({ action: 'DENY', from: { ipBlocks: ['10.0.0.0/33'] } })]),
    () => s([acl({ action: 'DENY', from: { ipBlocks: ['10.0.0.0/8'] } })]),
  ],
  HM3002: [
    () => s([acl({ action: 'DENY', from: { namespaces: ['evil'] } })], { mtls: { bookinfo: 'PERMISSIVE' } }),
    () => s([acl({ action: 'DENY', from: { namespaces: ['evil'] } })], { mtls: { bookinfo: 'STRICT' } }),
  ],
  HM3003: [
    () => s([acl({ action: 'ALLOW', from: { principals: ['cluster.local/ns/a/sa/b'] } })]),
    () =>
      s([acl({ action: 'ALLOW', from: { principals: ['cluster.local/ns/a/sa/b'] } })], {
        mtls: { bookinfo: 'STRICT' },
      }),
  ],
  HM3004: [
    () =>
      s([
        acl({ action: 'ALLOW', from: { ipBlocks: ['10.1.0.0/16'] } }, 'allow-office'),
        acl({ action: 'DENY', from: { ipBlocks: ['10.0.0.0/8'] } }, 'deny-internal'),
      ]),
    () =>
      s([
        acl({ action: 'ALLOW', from: { ipBlocks: ['10.1.0.0/16'] } }, 'allow-office'),
        acl({ action: 'DENY', from: { ipBlocks: ['192.168.0.0/16'] } }, 'deny-internal'),
      ]),
  ],
  HM3005: [
    () =>
      s([acl({ action: 'ALLOW', from: { principals: ['spiffe://cluster.local/ns/a/sa/b'] } })], {
        mtls: { bookinfo: 'STRICT' },
      }),
    () =>
      s([acl({ action: 'ALLOW', from: { principals: ['cluster.local/ns/a/sa/b'] } })], {
        mtls: { bookinfo: 'STRICT' },
      }),
  ],
  HM3006: [
    () => s([acl({ action: 'DENY', from: { remoteIpBlocks: ['1.2.3.4'] } })]),
    () => s([acl({ action: 'DENY', from: { ipBlocks: ['1.2.3.4'] } })]),
  ],
  HM3007: [
    () => s([acl({ action: 'DENY' })]),
    () => s([acl({ action: 'DENY', to: { paths: ['/admin*'] } })]),
  ],
  HM3008: [
    () => s([acl({ action: 'DENY', to: { methods: ['get'] } })]),
    () => s([acl({ action: 'DENY', to: { methods: ['GET'] } })]),
  ],
  HM3009: [
    () => s([acl({ action: 'DENY', to: { paths: ['/a*b'] } })]),
    () => s([acl({ action: 'DENY', to: { paths: ['/a*'] } })]),
  ],
  HM3010: [
    () => s([acl({ action: 'DENY', from: { namespaces: ['Bad'] } })], { mtls: { bookinfo: 'STRICT' } }),
    () => s([acl({ action: 'DENY', from: { namespaces: ['good'] } })], { mtls: { bookinfo: 'STRICT' } }),
  ],
  HM4001: [
    () => s([p.rateLimit({ requests: 100, unit: 'second', burst: 50 })]),
    () => s([p.rateLimit({ requests: 100, unit: 'second', burst: 200 })]),
  ],
  HM4002: [() => s([p.rateLimit({ requests: 100, unit: 'second' })]), () => s([])],
  HM4003: [
    () => s([p.rateLimit({ requests: 0, unit: 'second' })]),
    () => s([p.rateLimit({ requests: 10, unit: 'second' })]),
  ],
  HM4004: [
    () =>
      s([
        p.rateLimit(
          { requests: 10, unit: 'second' },
          { target: { match: { queryParams: { a: { exact: '1' } } } } },
        ),
      ]),
    () =>
      s([p.rateLimit({ requests: 10, unit: 'second' }, { target: { match: { uri: { prefix: '/api' } } } })]),
  ],
  HM4005: [
    () =>
      s([acl({ action: 'DENY', from: { ipBlocks: ['1.2.3.4'] } })], {
        services: [reviewsWith([v('v1', { version: 'v1' }), v('v2', { track: 'canary' })])],
      }),
    () => s([acl({ action: 'DENY', from: { ipBlocks: ['1.2.3.4'] } })]),
  ],
  HM4101: [() => s([p.plugin({ url: 'oci://ghcr.io/acme/auth:1.0' })]), () => s([plugin({})])],
  HM4102: [
    () => s([plugin({ url: 'http://example.com/auth.wasm' })]),
    () => s([plugin({ url: 'https://example.com/auth.wasm' })]),
  ],
  HM4103: [() => s([plugin({ sha256: 'abc' })]), () => s([plugin({})])],
  HM4104: [
    () => s([plugin({ config: { upstream: { apiKey: 'sk-123' } } })]),
    () => s([plugin({ config: { mode: 'strict' }, env: [{ name: 'API_KEY', fromHost: true }] })]),
  ],
  HM4105: [
    () =>
      s([
        plugin({ phase: 'AUTHN', priority: 10 }, 'auth-a'),
        plugin({ phase: 'AUTHN', priority: 10 }, 'auth-b'),
      ]),
    () =>
      s([
        plugin({ phase: 'AUTHN', priority: 10 }, 'auth-a'),
        plugin({ phase: 'AUTHN', priority: 20 }, 'auth-b'),
      ]),
  ],
  HM4106: [
    () => s([plugin({ phase: 'AUTHN', failStrategy: 'FAIL_OPEN' })]),
    () => s([plugin({ phase: 'AUTHN', failStrategy: 'FAIL_CLOSE' })]),
  ],
  HM5001: [
    () =>
      s([
        p.trafficSplit({ v1: 90, v2: 10 }, { name: 'split-a' }),
        p.trafficSplit({ v1: 50, v3: 50 }, { name: 'split-b' }),
      ]),
    () => s([p.trafficSplit({ v1: 90, v2: 10 }, { name: 'split-a' })]),
  ],
  HM5002: [
    () =>
      s([
        p.circuitBreaker({ connectionPool: { tcp: { maxConnections: 10 } } }, { name: 'cb-a' }),
        p.circuitBreaker({ connectionPool: { tcp: { maxConnections: 20 } } }, { name: 'cb-b' }),
      ]),
    () =>
      s([
        p.circuitBreaker({ connectionPool: { tcp: { maxConnections: 10 } } }, { name: 'cb-a' }),
        p.circuitBreaker({ connectionPool: { http: { maxRetries: 3 } } }, { name: 'cb-b' }),
      ]),
  ],
  HM5003: [
    () =>
      s([
        p.rateLimit({ requests: 10, unit: 'second' }, { name: 'rl-a' }),
        p.rateLimit({ requests: 20, unit: 'second' }, { name: 'rl-b' }),
      ]),
    () =>
      s([
        p.rateLimit({ requests: 10, unit: 'second' }, { name: 'rl-a' }),
        p.rateLimit({ requests: 20, unit: 'second' }, { name: 'rl-b', service: 'ratings' }),
      ]),
  ],
  HM5004: [
    () => s([], { rollouts: [rollout(), rollout({ rolloutId: 'ro-2' })] }),
    () => s([], { rollouts: [rollout()] }),
  ],
  HM5005: [
    () => s([p.trafficSplit({ v1: 50, v2: 50 })], { rollouts: [rollout()] }),
    () => s([], { rollouts: [rollout()] }),
  ],
};
