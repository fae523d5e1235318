import { compileHost, type CompileSnapshot, type RolloutRoute } from '@heliomesh/istio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appliedRoute } from './istio-traffic.provider.js';
import { routeMatches } from './traffic-provider.types.js';

const snapshot = (rollout: RolloutRoute): CompileSnapshot => ({
  tenant: { id: 't', name: 'acme' },
  services: [
    {
      name: 'reviews',
      namespace: 'shop',
      ports: [{ name: 'http', port: 9080 }],
      versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { app: 'reviews', version: v }, pods: 1 })),
    },
  ],
  policies: [],
  rollouts: [rollout],
});

function compiledHttp(rollout: RolloutRoute) {
  const host = compileHost(snapshot(rollout), { namespace: 'shop', service: 'reviews' })!;
  expect(host.emitted).toBe(true);
  const vs = host.objects.find((o) => o.kind === 'VirtualService')!;
  return (vs.spec as { http: Parameters<typeof appliedRoute>[0] }).http;
}

describe('reading back what the Istio compiler emitted for a rollout', () => {
  it('recovers the weights, mirror and A/B route of every route a plan makes, and nothing else matches', () => {
    // Plans mirror and route A/B tests at weight 0 only, and make sticky sessions for canaries.
    const routes = fc.oneof(
      fc.record({ canaryWeight: fc.integer({ min: 0, max: 100 }), sticky: fc.boolean() }),
      fc.record({
        canaryWeight: fc.constant(0),
        mirrorPercent: fc.integer({ min: 1, max: 100 }),
        sticky: fc.boolean(),
      }),
      fc.record({
        canaryWeight: fc.constant(0),
        match: fc.constant({ headers: { 'x-user': { exact: 'beta' } } }),
        sticky: fc.constant(false),
      }),
    );
    fc.assert(
      fc.property(routes, ({ sticky, ...target }) => {
        const route = { ...target, ...(sticky ? { sticky: { cookie: { name: 'canary', ttl: '1h' } } } : {}) };
        const http = compiledHttp({
          rolloutId: 'r1',
          service: 'reviews',
          namespace: 'shop',
          stable: 'v1',
          canary: 'v2',
          ...route,
        });
        const applied = appliedRoute(http, { stable: 'v1', canary: 'v2' });
        expect(applied).toEqual({
          canaryWeight: route.canaryWeight,
          stableWeight: 100 - route.canaryWeight,
          ...('mirrorPercent' in route ? { mirrorPercent: route.mirrorPercent } : {}),
          matchToCanary: 'match' in route,
        });
        const stamped = { ...applied!, appliedAt: 0 };
        expect(routeMatches(stamped, route)).toBe(true);
        expect(routeMatches(stamped, { ...route, canaryWeight: (route.canaryWeight + 1) % 101 })).toBe(false);
        const mirror = 'mirrorPercent' in route ? route.mirrorPercent : 0;
        expect(routeMatches(stamped, { ...route, mirrorPercent: mirror + 1 })).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('sees nothing applied without a VirtualService route', () => {
    expect(appliedRoute([], { stable: 'v1', canary: 'v2' })).toBeUndefined();
    expect(routeMatches(undefined, { canaryWeight: 0 })).toBe(false);
  });
});
