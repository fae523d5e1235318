import { describe, expect, it } from 'vitest';
import { destinationRuleSpecSchema } from '../config/networking.schema.js';
import { runChecks } from './validation.types.js';
import { DESTINATION_RULE_CHECKS } from './destination-rule.checker.js';
import {
  compileDestinationRule,
  findDestinationRule,
  resolvePolicy,
  type CompiledDestinationRule,
} from './destination-rule.compiler.js';
import { UNLIMITED } from './traffic-policy.types.js';

let created = 0;
function dr(namespace: string, name: string, spec: object): CompiledDestinationRule {
  return compileDestinationRule(destinationRuleSpecSchema.parse(spec), {
    uid: name,
    name,
    namespace,
    createdMs: ++created,
  });
}

function index(...rules: CompiledDestinationRule[]): Map<string, CompiledDestinationRule[]> {
  const map = new Map<string, CompiledDestinationRule[]>();
  for (const r of rules) map.set(r.namespace, [...(map.get(r.namespace) ?? []), r]);
  return map;
}

const FQDN = 'reviews.shop.svc.cluster.local';
const client = { namespace: 'web', labels: { app: 'frontend' } };

describe('DestinationRule lookup (istio-semantics §2.1)', () => {
  it('looks in the client namespace, then the service namespace, then the root namespace', () => {
    const inRoot = dr('istio-system', 'root', { host: FQDN, subsets: [{ name: 'root' }] });
    const inService = dr('shop', 'svc', { host: 'reviews', subsets: [{ name: 'svc' }] });
    const inClient = dr('web', 'client', { host: FQDN, subsets: [{ name: 'client' }] });
    const find = (...rules: CompiledDestinationRule[]) => [
      ...(findDestinationRule(index(...rules), client, FQDN, 'shop', 'istio-system')?.subsets.keys() ?? []),
    ];
    expect(find(inRoot, inService, inClient)).toEqual(['client']);
    expect(find(inRoot, inService)).toEqual(['svc']);
    expect(find(inRoot)).toEqual(['root']);
  });

  it('respects exportTo', () => {
    const hidden = dr('shop', 'hidden', { host: 'reviews', exportTo: ['.'], subsets: [{ name: 'x' }] });
    expect(findDestinationRule(index(hidden), client, FQDN, 'shop', 'istio-system')).toBeUndefined();
    expect(
      findDestinationRule(index(hidden), { namespace: 'shop', labels: {} }, FQDN, 'shop', 'istio-system'),
    ).toBeDefined();
  });

  it('merges several rules: the first subset definition and the first trafficPolicy win', () => {
    const first = dr('shop', 'a', {
      host: 'reviews',
      trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
    const second = dr('shop', 'b', {
      host: 'reviews',
      trafficPolicy: { loadBalancer: { simple: 'RANDOM' } },
      subsets: [
        { name: 'v1', labels: { version: 'other' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    });
    const merged = findDestinationRule(index(first, second), client, FQDN, 'shop', 'istio-system')!;
    expect(merged.subsets.get('v1')!.labels).toEqual({ version: 'v1' });
    expect([...merged.subsets.keys()]).toEqual(['v1', 'v2']);
    expect(resolvePolicy(merged, 9080, undefined).lb).toBe('ROUND_ROBIN');
  });

  it('prefers an exact host over a wildcard, and applies workload selectors only to matching clients', () => {
    const wildcard = dr('shop', 'wild', { host: '*.shop.svc.cluster.local', subsets: [{ name: 'wild' }] });
    const exact = dr('shop', 'exact', { host: 'reviews', subsets: [{ name: 'exact' }] });
    expect([
      ...findDestinationRule(index(wildcard, exact), client, FQDN, 'shop', 'istio-system')!.subsets.keys(),
    ]).toEqual(['exact']);
    const selected = dr('web', 'sel', {
      host: FQDN,
      workloadSelector: { matchLabels: { app: 'other' } },
      subsets: [{ name: 'sel' }],
    });
    expect(findDestinationRule(index(selected), client, FQDN, 'shop', 'istio-system')).toBeUndefined();
  });
});

describe('traffic policy resolution (§2.1-2.4)', () => {
  it('uses Envoy and Istio defaults', () => {
    const p = resolvePolicy(undefined, 9080, undefined);
    expect(p.lb).toBe('LEAST_REQUEST');
    expect(p.pool).toEqual({
      maxConnections: UNLIMITED,
      http1MaxPendingRequests: UNLIMITED,
      http2MaxRequests: UNLIMITED,
      maxRetries: UNLIMITED,
    });
    expect(p.outlier).toBeUndefined();
  });

  it('a bare outlierDetection block ejects after 5 with the documented defaults', () => {
    const merged = findDestinationRule(
      index(dr('shop', 'od', { host: 'reviews', trafficPolicy: { outlierDetection: {} } })),
      client,
      FQDN,
      'shop',
      'istio-system',
    );
    expect(resolvePolicy(merged, 9080, undefined).outlier).toEqual({
      consecutive5xx: 5,
      consecutiveGateway: 0,
      consecutiveLocalOrigin: 5,
      splitLocalOrigin: false,
      intervalMs: 10_000,
      baseEjectionMs: 30_000,
      maxEjectionPercent: 10,
      minHealthPercent: 0,
    });
  });

  it('replaces whole blocks from port-level and subset policies, without merging fields', () => {
    const merged = findDestinationRule(
      index(
        dr('shop', 'p', {
          host: 'reviews',
          trafficPolicy: {
            connectionPool: { http: { http2MaxRequests: 10, maxRetries: 3 } },
            loadBalancer: { simple: 'RANDOM' },
            portLevelSettings: [{ port: { number: 9080 }, connectionPool: { tcp: { maxConnections: 7 } } }],
          },
          subsets: [
            {
              name: 'v2',
              labels: { version: 'v2' },
              trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'X-User' } } },
            },
          ],
        }),
      ),
      client,
      FQDN,
      'shop',
      'istio-system',
    );
    const port9080 = resolvePolicy(merged, 9080, undefined);
    expect(port9080.pool).toEqual({
      maxConnections: 7,
      http1MaxPendingRequests: UNLIMITED,
      http2MaxRequests: UNLIMITED,
      maxRetries: UNLIMITED,
    });
    expect(resolvePolicy(merged, 8080, undefined).pool.http2MaxRequests).toBe(10);
    const subset = resolvePolicy(merged, 8080, 'v2');
    expect(subset.lb).toBe('HASH');
    expect(subset.hashKey).toEqual({ kind: 'header', name: 'x-user' });
    expect(subset.pool.http2MaxRequests).toBe(10);
  });
});

describe('DestinationRule validation (§2.5)', () => {
  const check = (spec: object) =>
    runChecks(DESTINATION_RULE_CHECKS, destinationRuleSpecSchema.parse(spec), 'shop').map((p) => p.message);
  it('rejects what istiod rejects', () => {
    expect(check({ host: 'r', subsets: [{ name: 'a' }, { name: 'a' }] })).toContain('duplicate subset a');
    expect(check({ host: 'r', trafficPolicy: {} })).toContain('an empty trafficPolicy is not allowed');
    expect(check({ host: 'r', trafficPolicy: { connectionPool: {} } })).toContain(
      'connectionPool needs tcp or http settings',
    );
    expect(check({ host: 'r', trafficPolicy: { connectionPool: { http: { maxRetries: -1 } } } })).toContain(
      'must not be negative',
    );
    expect(
      check({ host: 'r', trafficPolicy: { outlierDetection: { consecutiveLocalOriginFailures: 2 } } }),
    ).toContain('needs splitExternalLocalOriginErrors: true');
    expect(check({ host: 'r', trafficPolicy: { outlierDetection: { maxEjectionPercent: 150 } } })).toContain(
      'must be between 0 and 100',
    );
    expect(check({ host: 'r', trafficPolicy: { outlierDetection: { interval: '0.5ms' } } })).toContain(
      'duration must be at least 1ms',
    );
    expect(
      check({
        host: 'r',
        trafficPolicy: { loadBalancer: { consistentHash: { maglev: { tableSize: 1000 } } } },
      }),
    ).toContain('tableSize must be a prime below 5000011');
    expect(
      check({
        host: 'r',
        trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      }),
    ).toEqual([]);
  });
});
