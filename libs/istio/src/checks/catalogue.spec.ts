import type { StoredPolicy } from '@heliomesh/policy';
import { describe, expect, it } from 'vitest';
import {
  foreignVirtualService,
  p,
  rollout,
  service,
  snapshot,
  type SnapshotOptions,
} from '../../test/support/snapshot.builders.js';
import { compile, type CompileSnapshot, type MeshService } from '../index.js';
import { CHECK_CATALOGUE, CHECKERS } from './catalogue.util.js';

/**
 * One failing and one passing case per catalogue code, built from object builders. Each case is
 * a whole snapshot compiled end to end, so a check is tested through the compiler that runs it.
 */
type Case = () => CompileSnapshot;
const s = (policies: StoredPolicy[], extra: SnapshotOptions = {}): CompileSnapshot =>
  snapshot({ policies, ...extra });
const header = (name: string, m: Record<string, string>) => ({ headers: { [name]: m } });
const routeOn = (match: object, version = 'v2', name?: string) =>
  p.requestRouting({ rules: [{ match, version }] }, name ? { name } : undefined);
const acl = (spec: Parameters<typeof p.accessControl>[0], name?: string) =>
  p.accessControl(spec, name ? { name } : undefined);
const plugin = (spec: Partial<Parameters<typeof p.plugin>[0]>, name?: string) =>
  p.plugin(
    { url: 'oci://ghcr.io/acme/auth:1.0', sha256: 'a'.repeat(64), ...spec },
    name ? { name } : undefined,
  );
const reviewsWith = (versions: MeshService['versions'], selector?: Record<string, string>): MeshService => ({
  ...service('reviews'),
  versions,
  ...(selector ? { selector } : {}),
});
const v = (name: string, labels: Record<string, string>, pods = 3) => ({ name, labels, pods });

const CASES: Record<string, [fail: Case, pass: Case]> = {
  HM0000: [
    () => s([], { services: [{ ...service('reviews'), versions: null as unknown as [] }] }),
    () => s([]),
  ],
  HM0001: [
    () => s([{ ...p.timeout('1s'), spec: { timeout: '1s', bogus: 1 } } as unknown as StoredPolicy]),
    () => s([p.timeout('1s')]),
  ],
  HM0002: [() => s([p.timeout('1s', { service: 'nope' })]), () => s([p.timeout('1s')])],
  HM0003: [() => s([], { services: [service('reviews'), service('reviews')] }), () => s([])],
  HM0004: [
    () => s([], { foreignObjects: [foreignVirtualService(['reviews'])] }),
    () => s([], { foreignObjects: [foreignVirtualService(['other'])] }),
  ],
  HM0005: [
    () => s([], { foreignObjects: [foreignVirtualService(['elsewhere'], 'heliomesh-reviews')] }),
    () => s([], { foreignObjects: [foreignVirtualService(['elsewhere'], 'user-vs')] }),
  ],
  HM0006: [
    () =>
      s([], {
        foreignObjects: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'DestinationRule',
            metadata: { name: 'dr', namespace: 'bookinfo' },
            spec: { host: 'reviews' },
          },
        ],
      }),
    () =>
      s([], {
        foreignObjects: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'DestinationRule',
            metadata: { name: 'dr', namespace: 'bookinfo' },
            spec: { host: 'details' },
          },
        ],
      }),
  ],
  HM0007: [() => s([plugin({ priority: 2 ** 40 })]), () => s([plugin({ priority: 10 })])],
  HM0008: [() => ({ ...s([]), tenant: { id: 't', name: 'Acme Corp' } }), () => s([])],
  HM0009: [
    () =>
      s([
        acl({ action: 'DENY', from: { ipBlocks: ['10.0.0.1'] } }, 'deny-bots'),
        p.accessControl(
          { action: 'DENY', from: { ipBlocks: ['10.0.0.2'] } },
          { name: 'deny-bots', service: 'ratings', id: 'pol-other' },
        ),
      ]),
    () =>
      s([
        acl({ action: 'DENY', from: { ipBlocks: ['10.0.0.1'] } }, 'deny-bots'),
        p.accessControl(
          { action: 'DENY', from: { ipBlocks: ['10.0.0.2'] } },
          { name: 'deny-crawlers', service: 'ratings' },
        ),
      ]),
  ],
  HM0010: [
    () =>
      s([
        p.circuitBreaker(
          { connectionPool: { tcp: { maxConnections: 10 } } },
          { target: { match: { uri: { prefix: '/a' } } } },
        ),
      ]),
    () => s([p.circuitBreaker({ connectionPool: { tcp: { maxConnections: 10 } } })]),
  ],
  HM0011: [
    () => s([p.timeout('1s', { target: { port: 8080 } })]),
    () => s([p.timeout('1s', { target: { port: 9080 } })]),
  ],
  HM1001: [() => s([p.trafficSplit({ v1: -10, v2: 110 })]), () => s([p.trafficSplit({ v1: 10, v2: 90 })])],
  HM1002: [() => s([p.trafficSplit({ v1: 0, v2: 0 })]), () => s([p.trafficSplit({ v1: 0, v2: 100 })])],
  HM1003: [() => s([p.trafficSplit({ v1: 50, v9: 50 })]), () => s([p.trafficSplit({ v1: 50, v2: 50 })])],
  HM1004: [() => s([p.trafficSplit({ v1: 1, v2: 1 })]), () => s([p.trafficSplit({ v1: 50, v2: 50 })])],
  HM1005: [
    () => s([p.trafficSplit({ v1: 50, v2: 50 })], { services: [service('reviews', { v1: 3, v2: 0 })] }),
    () => s([p.trafficSplit({ v1: 100, v2: 0 })], { services: [service('reviews', { v1: 3, v2: 0 })] }),
  ],
  HM1006: [
    () => s([routeOn(header('x-user', { regex: '(?<=a)b' }))]),
    () => s([routeOn(header('x-user', { regex: '^a.*$' }))]),
  ],
  HM1007: [
    () => s([routeOn(header('x-user', { regex: 'a'.repeat(1100) }))]),
    () => s([routeOn(header('x-user', { regex: 'a{2}' }))]),
  ],
  HM1008: [() => s([p.abort(503, 150)]), () => s([p.abort(503, 50)])],
  HM1009: [() => s([p.abort(503, undefined)]), () => s([p.abort(503, 5)])],
  HM1010: [() => s([p.mirror({ version: 'v2' }, undefined)]), () => s([p.mirror({ version: 'v2' }, 10)])],
  HM1011: [
    () => s([p.trafficSplit({ v2: 100 }), p.mirror({ version: 'v2' }, 10)]),
    () => s([p.trafficSplit({ v1: 100 }), p.mirror({ version: 'v2' }, 10)]),
  ],
  HM1012: [() => s([p.abort(700, 10)]), () => s([p.abort(503, 10)])],
  HM1013: [
    () =>
      s([
        p.requestRouting({
          rules: [{ match: { uri: { exact: '/old' } }, redirect: { uri: '/new', code: 305 } }],
        }),
      ]),
    () =>
      s([
        p.requestRouting({
          rules: [{ match: { uri: { exact: '/old' } }, redirect: { uri: '/new', code: 301 } }],
        }),
      ]),
  ],
  HM1014: [
    () =>
      s([
        p.requestRouting({ rules: [{ match: { uri: { exact: '/old' } }, redirect: { uri: '/new' } }] }),
        p.abort(503, 10, { target: { match: { uri: { exact: '/old' } } } }),
      ]),
    () =>
      s([
        p.requestRouting({ rules: [{ match: { uri: { exact: '/old' } }, redirect: { uri: '/new' } }] }),
        p.abort(503, 10, { target: { match: { uri: { exact: '/other' } } } }),
      ]),
  ],
  HM1015: [
    () => s([p.retry({ attempts: 3, perTryTimeout: '2s' }), p.timeout('5s')]),
    () => s([p.retry({ attempts: 3, perTryTimeout: '2s' }), p.timeout('10s')]),
  ],
  HM1016: [
    () => s([p.retry({ attempts: 2, retryOn: ['5xx', 'bogus'] })]),
    () => s([p.retry({ attempts: 2, retryOn: ['5xx', '503'] })]),
  ],
  HM1017: [() => s([p.timeout('1.5ms')]), () => s([p.timeout('500ms')])],
  HM1018: [
    () =>
      s([
        p.requestRouting({
          rules: [
            { match: header('x', { exact: '1' }), version: 'v2' },
            { match: header('x', { exact: '1' }), version: 'v3' },
          ],
        }),
      ]),
    () =>
      s([
        p.requestRouting({
          rules: [
            { match: header('x', { exact: '1' }), version: 'v2' },
            { match: header('x', { exact: '2' }), version: 'v3' },
          ],
        }),
      ]),
  ],
  HM1019: [
    () =>
      s([
        p.requestRouting({
          rules: [
            { match: header('x', { exact: '1' }), version: 'v2' },
            { match: { uri: { prefix: '/api' } }, version: 'v3' },
          ],
        }),
      ]),
    () =>
      s([
        p.requestRouting({
          rules: [
            { match: { uri: { prefix: '/api' } }, version: 'v3' },
            { match: header('x', { exact: '1' }), version: 'v2' },
          ],
        }),
      ]),
  ],
  HM1020: [
    () => s([routeOn(header('End-User', { exact: 'jason' }))]),
    () => s([routeOn(header('end-user', { exact: 'jason' }))]),
  ],
  HM1021: [
    () =>
      s([
        p.requestRouting({
          rules: [{ match: header('x', { exact: '1' }), version: 'v2' }],
          fullLink: {
            header: { name: 'x-gray', value: 'on' },
            services: [{ service: 'nope', version: 'v2' }],
          },
        }),
      ]),
    () =>
      s([
        p.requestRouting({
          rules: [{ match: header('x', { exact: '1' }), version: 'v2' }],
          fullLink: {
            header: { name: 'x-gray', value: 'on' },
            services: [{ service: 'ratings', version: 'v2' }],
          },
        }),
      ]),
  ],
  HM1022: [() => s([routeOn(header('x', { prefix: '' }))]), () => s([routeOn(header('x', { prefix: 'a' }))])],
  HM1023: [
    () => s([p.retry({ attempts: 0, perTryTimeout: '1s' })]),
    () => s([p.retry({ attempts: 2, perTryTimeout: '1s' })]),
  ],
  HM1024: [
    () => s([p.timeout('1s', { target: { port: 9080, match: { port: 9090 } } })]),
    () => s([p.timeout('1s', { target: { port: 9080, match: { port: 9080 } } })]),
  ],
  HM1025: [
    () => s([], { rollouts: [rollout({ canaryWeight: 120 })] }),
    () => s([], { rollouts: [rollout({ canaryWeight: 20 })] }),
  ],
  HM1026: [
    () => s([routeOn({ sourceNamespace: 'Bad_NS' })]),
    () => s([routeOn({ sourceNamespace: 'frontend' })]),
  ],
  HM1027: [
    () =>
      s([
        p.policy('TrafficSplit', {
          weights: [
            { version: 'v1', weight: 50 },
            { version: 'v1', weight: 50 },
          ],
        }),
      ]),
    () =>
      s([
        p.policy('TrafficSplit', {
          weights: [
            { version: 'v1', weight: 50 },
            { version: 'v2', weight: 50 },
          ],
        }),
      ]),
  ],
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

const codesOf = (snap: CompileSnapshot) => compile(snap).findings.map((f) => f.code);

describe('validation catalogue', () => {
  it('has a failing and a passing case for every code, and codes are unique', () => {
    const codes = CHECK_CATALOGUE.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(CASES).sort()).toEqual([...codes].sort());
    expect(codes.length).toBeGreaterThanOrEqual(30);
  });

  it('keeps every checker small and self-described', () => {
    for (const checker of CHECKERS) {
      expect(checker.definition.code).toMatch(/^HM\d{4}$/);
      expect(checker.definition.meaning.length).toBeGreaterThan(20);
    }
  });

  it.each(Object.entries(CASES))(
    '%s fires on its failing case and not on its passing case',
    (code, [fail, pass]) => {
      const failing = codesOf(fail());
      expect(failing).toContain(code);
      expect(codesOf(pass())).not.toContain(code);
      if (code !== 'HM0000') expect(failing).not.toContain('HM0000');
    },
  );

  it('reports policy findings with the policy id, host and the JSON path of the field', () => {
    const finding = compile(s([p.trafficSplit({ v1: -10, v2: 110 })])).findings.find(
      (f) => f.code === 'HM1001',
    );
    expect(finding).toMatchObject({
      severity: 'error',
      host: 'reviews.bookinfo.svc.cluster.local',
      policyIds: ['pol-reviews-split'],
      path: '$.spec.weights[0].weight',
    });
  });

  it('reports generated-object schema failures with the object and its path', () => {
    const finding = compile(s([plugin({ priority: 2 ** 40 })])).findings.find((f) => f.code === 'HM0007');
    expect(finding).toMatchObject({
      object: 'WasmPlugin bookinfo/heliomesh-reviews-plugin',
      path: '$.spec.priority',
    });
  });
});
