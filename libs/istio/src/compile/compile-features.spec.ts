import { describe, expect, it } from 'vitest';
import {
  foreignVirtualService,
  p,
  REVIEWS,
  rollout,
  snapshot,
} from '../../test/support/snapshot.builders.js';
import {
  compile,
  explain,
  previewPolicy,
  type DestinationRule,
  type EnvoyFilter,
  type IstioObject,
  type VirtualService,
} from '../index.js';

const vsOf = (objects: IstioObject[], svc = 'reviews') =>
  objects.find(
    (o): o is VirtualService => o.kind === 'VirtualService' && o.metadata.name === `heliomesh-${svc}`,
  )!;
const drOf = (objects: IstioObject[], svc = 'reviews') =>
  objects.find(
    (o): o is DestinationRule => o.kind === 'DestinationRule' && o.metadata.name === `heliomesh-${svc}`,
  )!;

describe('compile: rollouts, full-link, sticky sessions, rate limits, foreign objects', () => {
  it('lets a running rollout own the default weights and say so, while other policies still apply', () => {
    const result = compile(
      snapshot({
        policies: [
          p.trafficSplit({ v1: 50, v2: 50 }),
          p.abort(503, 5, { target: { match: { uri: { prefix: '/pay' } } } }),
        ],
        rollouts: [
          rollout({
            canaryWeight: 30,
            match: { headers: { 'x-canary': { exact: 'yes' } } },
            mirrorPercent: 5,
          }),
        ],
      }),
    );
    expect(result.hosts.get(REVIEWS)!.emitted).toBe(true);
    const http = vsOf(result.objects).spec.http;
    expect(http.map((r) => r.match?.[0] ?? 'default')).toEqual([
      { uri: { prefix: '/pay' } },
      { headers: { 'x-canary': { exact: 'yes' } } },
      'default',
    ]);
    expect(http[0]!.fault!.abort!.httpStatus).toBe(503);
    expect(http[0]!.route!.map((r) => [r.destination.subset, r.weight])).toEqual([
      ['v1', 70],
      ['v2', 30],
    ]);
    expect(http[1]!.route).toEqual([{ destination: { host: REVIEWS, subset: 'v2' }, weight: 100 }]);
    expect(http[2]).toMatchObject({
      mirror: { host: REVIEWS, subset: 'v2' },
      mirrorPercentage: { value: 5 },
    });
    expect(result.findings.find((f) => f.code === 'HM5005')).toMatchObject({
      severity: 'info',
      rolloutId: 'ro-1',
      policyIds: ['pol-reviews-split'],
    });
    expect(explain(result, REVIEWS)).toContainEqual(
      expect.objectContaining({
        jsonPath: '$.spec.http[2].route',
        rolloutId: 'ro-1',
        note: expect.stringContaining('overrides TrafficSplit "reviews-split"'),
      }),
    );
  });

  it('compiles a full-link release: tag at the entry, gray version downstream', () => {
    const policy = p.requestRouting({
      rules: [{ match: { headers: { 'end-user': { exact: 'tester' } } }, version: 'v2' }],
      fullLink: {
        header: { name: 'x-gray', value: 'on' },
        services: [{ service: 'ratings', version: 'v2' }],
      },
    });
    const result = compile(snapshot({ policies: [policy] }));
    expect(vsOf(result.objects).spec.http[0]).toMatchObject({
      headers: { request: { set: { 'x-gray': 'on' } } },
      route: [{ destination: { subset: 'v2' } }],
    });
    expect(vsOf(result.objects).spec.http[1]!.headers).toBeUndefined();
    const ratings = vsOf(result.objects, 'ratings');
    expect(ratings.spec.http[0]).toMatchObject({
      match: [{ headers: { 'x-gray': { exact: 'on' } } }],
      route: [{ destination: { subset: 'v2' }, weight: 100 }],
    });
    expect(JSON.parse(ratings.metadata.annotations['heliomesh.io/sources']!)).toEqual([
      expect.objectContaining({ id: policy.id }),
    ]);
  });

  it('keeps a returning client on its version with a sticky cookie', () => {
    const split = p.trafficSplit({ v1: 80, v2: 20 }, undefined, {
      sticky: { cookie: { name: 'hm.v', ttl: '1h' } },
    });
    const http = vsOf(compile(snapshot({ policies: [split] })).objects).spec.http;
    expect(http.map((r) => r.name)).toEqual(['default-sticky-v1', 'default-sticky-v2', 'default']);
    expect(http[1]).toMatchObject({
      match: [{ headers: { cookie: { regex: '^(.*?;\\s*)?(hm\\.v=v2)(;.*)?$' } } }],
      route: [{ destination: { subset: 'v2' }, weight: 100 }],
    });
    expect(http[2]!.route![1]).toMatchObject({
      weight: 20,
      headers: { response: { add: { 'set-cookie': 'hm.v=v2; Max-Age=3600; Path=/' } } },
    });
  });

  it('hashes on a header for sticky pods and merges version-level breaker settings into the subset', () => {
    const result = compile(
      snapshot({
        policies: [
          p.trafficSplit({ v1: 50, v2: 50 }, undefined, { sticky: { header: 'x-user' } }),
          p.circuitBreaker({ outlierDetection: { consecutive5xxErrors: 7, maxEjectionPercent: 100 } }),
          p.circuitBreaker({ version: 'v2', outlierDetection: { interval: '30s' } }, { name: 'v2-breaker' }),
        ],
      }),
    );
    const dr = drOf(result.objects);
    expect(dr.spec.trafficPolicy).toEqual({
      loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } },
      outlierDetection: { consecutive5xxErrors: 7, maxEjectionPercent: 100 },
    });
    expect(dr.spec.subsets![1]!.trafficPolicy).toEqual({
      outlierDetection: { consecutive5xxErrors: 7, interval: '30s', maxEjectionPercent: 100 },
    });
    expect(dr.spec.subsets![0]!.trafficPolicy).toBeUndefined();
  });

  it('builds a per-route local rate limit with a descriptor for the match', () => {
    const limit = p.rateLimit(
      { requests: 5, unit: 'minute' },
      { target: { port: 9080, match: { uri: { prefix: '/login' }, method: { exact: 'POST' } } } },
    );
    const ef = compile(snapshot({ policies: [limit] })).objects.find(
      (o): o is EnvoyFilter => o.kind === 'EnvoyFilter',
    )!;
    expect(ef.spec.workloadSelector).toEqual({ labels: { app: 'reviews' } });
    expect(ef.spec.configPatches[0]!.match).toEqual({
      context: 'SIDECAR_INBOUND',
      listener: {
        filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } },
        portNumber: 9080,
      },
    });
    const patch2 = ef.spec.configPatches[1]!;
    expect(patch2.match).toEqual({
      context: 'SIDECAR_INBOUND',
      routeConfiguration: { vhost: { name: 'inbound|http|9080', route: { action: 'ANY' } } },
    });
    const value = patch2.patch['value'] as {
      route: unknown;
      typed_per_filter_config: Record<string, { value: Record<string, unknown> }>;
    };
    expect(value.route).toEqual({
      rate_limits: [
        {
          actions: [
            {
              header_value_match: {
                descriptor_value: 'reviews-ratelimit',
                headers: [
                  { name: ':path', string_match: { prefix: '/login' } },
                  { name: ':method', string_match: { exact: 'POST' } },
                ],
              },
            },
          ],
        },
      ],
    });
    const config = value.typed_per_filter_config['envoy.filters.http.local_ratelimit']!.value;
    expect(config['descriptors']).toEqual([
      {
        entries: [{ key: 'header_match', value: 'reviews-ratelimit' }],
        token_bucket: { fill_interval: '60s', max_tokens: 5, tokens_per_fill: 5 },
      },
    ]);
    expect(config['always_consume_default_token_bucket']).toBe(false);
  });

  it('refuses a host claimed by a foreign VirtualService, including wildcards, but not gateway-only ones', () => {
    const foreign = (spec: object, name = 'theirs') => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name, namespace: 'bookinfo' },
      spec,
    });
    const blocked = (objects: object[]) => {
      const result = compile(snapshot({ foreignObjects: objects as never }));
      return [...result.hosts.values()].filter((h) => !h.emitted).map((h) => h.service);
    };
    expect(blocked([foreign({ hosts: ['*.bookinfo.svc.cluster.local'] })]).sort()).toEqual([
      'productpage',
      'ratings',
      'reviews',
    ]);
    expect(blocked([foreign({ hosts: ['reviews.bookinfo'] })])).toEqual(['reviews']);
    expect(blocked([foreign({ hosts: ['reviews'], gateways: ['bookinfo-gateway'] })])).toEqual([]);
    const ours = {
      ...foreignVirtualService(['reviews'], 'heliomesh-reviews'),
      metadata: {
        name: 'heliomesh-reviews',
        namespace: 'bookinfo',
        labels: { 'app.kubernetes.io/managed-by': 'heliomesh', 'heliomesh.io/tenant': 'acme' },
      },
    };
    expect(blocked([ours])).toEqual([]);
    expect(
      blocked([
        {
          ...ours,
          metadata: { ...ours.metadata, labels: { ...ours.metadata.labels, 'heliomesh.io/tenant': 'other' } },
        },
      ]),
    ).toEqual(['reviews']);
  });

  it('skips policies aimed at another cluster', () => {
    const result = compile(
      snapshot({
        cluster: 'east',
        policies: [
          p.timeout('1s', { target: { cluster: 'west' } }),
          p.timeout('2s', { name: 'east-timeout', target: { cluster: 'east' } }),
        ],
      }),
    );
    expect(vsOf(result.objects).spec.http[0]!.timeout).toBe('2s');
  });

  it('previews a policy write: a conflicting policy is rejected with both names', () => {
    const snap = snapshot({ policies: [p.trafficSplit({ v1: 90, v2: 10 }, { name: 'canary' })] });
    const { findings } = previewPolicy(snap, p.trafficSplit({ v1: 10, v2: 90 }, { name: 'second' }));
    const conflict = findings.find((f) => f.code === 'HM5001')!;
    expect(conflict.policyIds).toEqual(['pol-canary', 'pol-second']);
    expect(conflict.message).toContain('"canary"');
    expect(conflict.message).toContain('"second"');
    expect(
      previewPolicy(snap, p.trafficSplit({ v1: 10, v2: 90 }, { name: 'canary' })).findings.filter(
        (f) => f.severity === 'error',
      ),
    ).toEqual([]);
  });
});
