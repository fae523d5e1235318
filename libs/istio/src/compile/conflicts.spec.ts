import type { StoredPolicy } from '@heliomesh/policy';
import { describe, expect, it } from 'vitest';
import { p, REVIEWS, rollout, snapshot } from '../../test/support/snapshot.builders.js';
import { compile, type RolloutRoute } from '../index.js';

const api = { uri: { prefix: '/api' } };
const onApi = (name: string) => ({ name, target: { match: api } });
const fullLink = (name: string, header = 'x-gray') =>
  p.requestRouting(
    {
      rules: [{ match: { headers: { 'end-user': { exact: 'qa' } } }, version: 'v2' }],
      fullLink: { header: { name: header, value: 'on' }, services: [{ service: 'ratings', version: 'v2' }] },
    },
    { name },
  );

interface ConflictCase {
  name: string;
  policies: StoredPolicy[];
  rollouts?: RolloutRoute[];
  code: string;
  /** Both sides named in the finding (policy ids, or the rollout id). */
  ids: string[];
  host?: string;
}

/** Every pair of kinds that can write the same field, with the finding that names both. */
const CONFLICTS: ConflictCase[] = [
  {
    name: 'TrafficSplit x TrafficSplit (one service)',
    policies: [
      p.trafficSplit({ v1: 90, v2: 10 }, { name: 'a' }),
      p.trafficSplit({ v1: 10, v2: 90 }, { name: 'b' }),
    ],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'TrafficSplit x FaultInjection with version',
    policies: [
      p.trafficSplit({ v1: 90, v2: 10 }, { name: 'a' }),
      p.fault({ abort: { httpStatus: 500, percentage: 1 }, version: 'v2' }, { name: 'b' }),
    ],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'TrafficSplit on a match x RequestRouting on the same match',
    policies: [
      p.trafficSplit({ v1: 50, v2: 50 }, onApi('a')),
      p.requestRouting({ rules: [{ match: api, version: 'v3' }] }, { name: 'b' }),
    ],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'RequestRouting x RequestRouting (same match)',
    policies: [p.headerRoute('x', '1', 'v2', { name: 'a' }), p.headerRoute('x', '1', 'v3', { name: 'b' })],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'RequestRouting x FaultInjection with version (same match)',
    policies: [
      p.requestRouting({ rules: [{ match: api, version: 'v2' }] }, { name: 'a' }),
      p.fault({ delay: { fixedDelay: '1s', percentage: 5 }, version: 'v3' }, onApi('b')),
    ],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'FaultInjection x FaultInjection: two aborts on one match',
    policies: [p.abort(503, 10, onApi('a')), p.abort(500, 20, onApi('b'))],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'FaultInjection x FaultInjection: two delays on the service',
    policies: [p.delay('1s', 10, { name: 'a' }), p.delay('2s', 10, { name: 'b' })],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'TrafficMirror x TrafficMirror (same route)',
    policies: [p.mirror({ version: 'v2' }, 10, onApi('a')), p.mirror({ version: 'v3' }, 10, onApi('b'))],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'Timeout x Timeout',
    policies: [p.timeout('1s', { name: 'a' }), p.timeout('2s', { name: 'b' })],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'Retry x Retry',
    policies: [p.retry({ attempts: 2 }, onApi('a')), p.retry({ attempts: 5 }, onApi('b'))],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'HeaderPolicy x HeaderPolicy (same header)',
    policies: [
      p.headers({ request: { set: { 'x-env': 'a' } } }, { name: 'a' }),
      p.headers({ request: { set: { 'X-Env': 'b' } } }, { name: 'b' }),
    ],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'HeaderPolicy x full-link tag (same header on the tagged route)',
    policies: [
      fullLink('a'),
      p.headers(
        { request: { set: { 'x-gray': 'off' } } },
        { name: 'b', target: { match: { headers: { 'end-user': { exact: 'qa' } } } } },
      ),
    ],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'full-link hop x RequestRouting on the downstream service',
    policies: [fullLink('a'), p.headerRoute('x-gray', 'on', 'v1', { name: 'b', service: 'ratings' })],
    code: 'HM5001',
    ids: ['pol-a', 'pol-b'],
    host: 'ratings.bookinfo.svc.cluster.local',
  },
  {
    name: 'CircuitBreaker x CircuitBreaker (same limit)',
    policies: [
      p.circuitBreaker({ connectionPool: { http: { http2MaxRequests: 10 } } }, { name: 'a' }),
      p.circuitBreaker({ connectionPool: { http: { http2MaxRequests: 20 } } }, { name: 'b' }),
    ],
    code: 'HM5002',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'CircuitBreaker x CircuitBreaker (same version)',
    policies: [
      p.circuitBreaker({ version: 'v2', outlierDetection: { interval: '5s' } }, { name: 'a' }),
      p.circuitBreaker({ version: 'v2', outlierDetection: { interval: '9s' } }, { name: 'b' }),
    ],
    code: 'HM5002',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'LoadBalancer x LoadBalancer',
    policies: [
      p.loadBalancer({ simple: 'ROUND_ROBIN' }, { name: 'a' }),
      p.loadBalancer({ simple: 'RANDOM' }, { name: 'b' }),
    ],
    code: 'HM5002',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'LoadBalancer x TrafficSplit with a sticky header',
    policies: [
      p.loadBalancer({ simple: 'LEAST_REQUEST' }, { name: 'a' }),
      p.trafficSplit({ v1: 50, v2: 50 }, { name: 'b' }, { sticky: { header: 'x-user' } }),
    ],
    code: 'HM5002',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'RateLimit x RateLimit (same port)',
    policies: [
      p.rateLimit({ requests: 5, unit: 'second' }, { name: 'a' }),
      p.rateLimit({ requests: 9, unit: 'second' }, { name: 'b', target: { port: 9080 } }),
    ],
    code: 'HM5003',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'AccessControl ALLOW x DENY (same caller)',
    policies: [
      p.accessControl({ action: 'ALLOW', from: { ipBlocks: ['10.0.0.7'] } }, { name: 'a' }),
      p.accessControl({ action: 'DENY', from: { ipBlocks: ['10.0.0.0/24'] } }, { name: 'b' }),
    ],
    code: 'HM3004',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'Plugin x Plugin (same phase and priority)',
    policies: [
      p.plugin({ url: 'oci://r/a@sha256:' + 'a'.repeat(64), priority: 5 }, { name: 'a' }),
      p.plugin({ url: 'oci://r/b@sha256:' + 'b'.repeat(64), priority: 5 }, { name: 'b' }),
    ],
    code: 'HM4105',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'AccessControl x AccessControl (same generated name)',
    policies: [
      p.accessControl({ action: 'DENY', from: { ipBlocks: ['1.1.1.1'] } }, { name: 'a', id: 'pol-a' }),
      p.accessControl(
        { action: 'DENY', from: { ipBlocks: ['2.2.2.2'] } },
        { name: 'a', id: 'pol-b', service: 'ratings' },
      ),
    ],
    code: 'HM0009',
    ids: ['pol-a', 'pol-b'],
  },
  {
    name: 'rollout x rollout',
    policies: [],
    rollouts: [rollout(), rollout({ rolloutId: 'ro-2' })],
    code: 'HM5004',
    ids: ['ro-2'],
  },
];

describe('conflicts', () => {
  it.each(CONFLICTS)(
    '$name: an error naming both, nothing emitted for the host',
    ({ policies, rollouts, code, ids, host }) => {
      const result = compile(snapshot({ policies, ...(rollouts ? { rollouts } : {}) }));
      const finding = result.findings.find((f) => f.code === code);
      expect(finding, JSON.stringify(result.findings)).toBeDefined();
      expect(finding!.severity).toBe(code === 'HM4105' ? 'warning' : 'error');
      for (const id of ids) expect([...(finding!.policyIds ?? []), finding!.rolloutId]).toContain(id);
      if (finding!.severity === 'error') expect(result.hosts.get(host ?? REVIEWS)!.emitted).toBe(false);
    },
  );

  it('reports a collision the same way whatever the input order', () => {
    const a = p.trafficSplit({ v1: 90, v2: 10 }, { name: 'a' });
    const b = p.trafficSplit({ v1: 10, v2: 90 }, { name: 'b' });
    expect(compile(snapshot({ policies: [a, b] })).findings).toEqual(
      compile(snapshot({ policies: [b, a] })).findings,
    );
  });

  /** Pairs that write different fields, or the same field on different routes, compose. */
  const COMPOSE: Array<[string, StoredPolicy[]]> = [
    ['fault + retry on one match', [p.abort(503, 10, onApi('a')), p.retry({ attempts: 3 }, onApi('b'))]],
    ['delay + abort from two policies', [p.delay('1s', 10, { name: 'a' }), p.abort(503, 10, { name: 'b' })]],
    [
      'two aborts on different matches',
      [
        p.abort(503, 10, onApi('a')),
        p.abort(500, 10, { name: 'b', target: { match: { uri: { prefix: '/web' } } } }),
      ],
    ],
    ['service-wide timeout + a match timeout', [p.timeout('5s', { name: 'a' }), p.timeout('1s', onApi('b'))]],
    [
      'split + routing rule + mirror',
      [
        p.trafficSplit({ v1: 90, v2: 10 }, { name: 'a' }),
        p.headerRoute('x', '1', 'v3', { name: 'b' }),
        p.mirror({ version: 'v3' }, 5, { name: 'c' }),
      ],
    ],
    [
      'two headers policies, different headers',
      [
        p.headers({ request: { set: { 'x-a': '1' } } }, { name: 'a' }),
        p.headers({ response: { set: { 'x-a': '1' } } }, { name: 'b' }),
      ],
    ],
    [
      'breaker pool + breaker outlier',
      [
        p.circuitBreaker({ connectionPool: { tcp: { maxConnections: 5 } } }, { name: 'a' }),
        p.circuitBreaker(
          { outlierDetection: { consecutive5xxErrors: 3, maxEjectionPercent: 100 } },
          { name: 'b' },
        ),
      ],
    ],
    [
      'load balancer for the service + another for a version',
      [
        p.loadBalancer({ simple: 'RANDOM' }, { name: 'a' }),
        p.loadBalancer({ simple: 'ROUND_ROBIN', version: 'v2' }, { name: 'b' }),
      ],
    ],
    [
      'rate limits on two ports',
      [
        p.rateLimit({ requests: 5, unit: 'second' }, { name: 'a', target: { port: 9080 } }),
        p.rateLimit({ requests: 5, unit: 'second' }, { name: 'b', target: { port: 9443 } }),
      ],
    ],
    [
      'ALLOW and DENY for different callers',
      [
        p.accessControl({ action: 'ALLOW', from: { ipBlocks: ['10.1.0.0/16'] } }, { name: 'a' }),
        p.accessControl({ action: 'DENY', from: { ipBlocks: ['10.2.0.0/16'] } }, { name: 'b' }),
      ],
    ],
  ];

  it.each(COMPOSE)('%s compose without an error', (_, policies) => {
    const services = snapshot().services.map((s) =>
      s.name === 'reviews' ? { ...s, ports: [...s.ports, { name: 'https', port: 9443 }] } : s,
    );
    const result = compile(snapshot({ policies, services }));
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.hosts.get(REVIEWS)!.emitted).toBe(true);
  });

  it('lets a rollout override a TrafficSplit without an error', () => {
    const result = compile(
      snapshot({ policies: [p.trafficSplit({ v1: 50, v2: 50 })], rollouts: [rollout()] }),
    );
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([['HM5005', 'info']]);
    expect(result.hosts.get(REVIEWS)!.emitted).toBe(true);
  });
});
