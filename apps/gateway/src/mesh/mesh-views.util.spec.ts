import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EdgeStats, HealthReport, TopologyGraph, TopologyNode } from '@heliomesh/metrics';
import { measured, providerError } from '@heliomesh/metrics';
import {
  healthFingerprint,
  namespaceHealth,
  serviceEdges,
  serviceHealth,
  topologyView,
  windowOf,
} from './mesh-views.util.js';

const node = (ns: string, name: string, kind: TopologyNode['kind'] = 'service'): TopologyNode => ({
  id: `${kind}:${ns}/${name}`,
  kind,
  namespace: ns,
  service: name,
  inboundRate: 1,
  health: 'healthy',
});

const edge = (source: string, target: string, requestCount: number, errorCount: number) => ({
  source,
  target,
  requestRate: requestCount / 60,
  requestCount,
  errorCount,
  errorShare: requestCount ? errorCount / requestCount : null,
  mtlsShare: 1,
  responseFlags: { '-': requestCount },
  latencyMs: { p50: 5, p90: 9, p99: 20 },
  health: errorCount ? ('degraded' as const) : ('healthy' as const),
});

describe('topologyView', () => {
  it("shows another tenant's nodes only as one external node, with their edges summed", () => {
    const graph: TopologyGraph = {
      namespace: 'shop',
      windowSeconds: 60,
      nodes: [node('shop', 'frontend'), node('bank', 'ledger'), node('bank', 'audit')],
      edges: [
        edge('service:bank/ledger', 'service:shop/frontend', 60, 6),
        edge('service:bank/audit', 'service:shop/frontend', 40, 0),
        edge('service:shop/frontend', 'service:bank/ledger', 10, 0),
      ],
    };
    const view = topologyView(measured(graph), 'shop', new Set(['shop']), 60);
    expect(view.nodes.map((n) => n.id)).toEqual(['service:shop/frontend', 'external']);
    expect(JSON.stringify(view)).not.toContain('bank');
    const inbound = view.edges.find((e) => e.target === 'service:shop/frontend')!;
    expect(inbound).toMatchObject({ source: 'external', requestCount: 100, errorCount: 6, errorShare: 0.06 });
    expect(view.edges).toHaveLength(2);
  });

  it('never leaks a namespace the tenant does not own, whatever the graph', () => {
    const ns = fc.constantFrom('shop', 'bank', 'ops', 'unknown');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(ns, fc.constantFrom('a', 'b', 'c')), {
          maxLength: 8,
          selector: (t) => t.join('/'),
        }),
        fc.array(fc.tuple(fc.nat(7), fc.nat(7), fc.nat(100)), { maxLength: 12 }),
        (members, links) => {
          const nodes = members.map(([n, s]) => node(n, s, n === 'unknown' ? 'unknown' : 'service'));
          const edges = links
            .filter(([a, b]) => nodes[a] && nodes[b])
            .map(([a, b, n]) => edge(nodes[a]!.id, nodes[b]!.id, n, 0));
          const view = topologyView(
            measured({ namespace: 'shop', windowSeconds: 60, nodes, edges }),
            'shop',
            new Set(['shop']),
            60,
          );
          const text = JSON.stringify(view);
          expect(text).not.toContain('bank');
          expect(text).not.toContain('ops');
          const total = (es: Array<{ requestCount: number }>) => es.reduce((s, e) => s + e.requestCount, 0);
          expect(total(view.edges)).toBe(total(edges));
        },
      ),
    );
  });

  it('reports a collector that could not be asked, with no invented figures', () => {
    const view = topologyView(
      providerError({ code: 'PROVIDER_UNREACHABLE', message: 'down', provider: 'collector' }),
      'shop',
      new Set(['shop']),
      60,
    );
    expect(view).toMatchObject({ nodes: [], edges: [], error: { code: 'PROVIDER_UNREACHABLE' } });
  });
});

describe('service views', () => {
  const source = { namespace: 'bank', workload: 'ledger-v1', app: 'ledger', version: 'v1' };
  const destination = { namespace: 'shop', service: 'reviews', version: 'v2' };
  const e: EdgeStats = {
    source,
    destination,
    requestRate: 1,
    requestCount: 60,
    errorCount: 0,
    errorShare: 0,
    responseFlags: {},
    mtlsShare: 1,
    reportedBy: 'source',
  };

  it('keeps the inbound edges of the service and hides callers of other tenants', () => {
    const inbound = serviceEdges(
      measured([e]),
      { namespace: 'shop', name: 'reviews' },
      'inbound',
      new Set(['shop']),
      60,
    );
    expect(inbound.edges).toHaveLength(1);
    expect(inbound.edges[0]!.source).toEqual({
      namespace: 'external',
      workload: 'external',
      app: 'external',
      version: 'external',
    });
    expect(
      serviceEdges(measured([e]), { namespace: 'shop', name: 'reviews' }, 'outbound', new Set(['shop']), 60)
        .edges,
    ).toEqual([]);
  });

  it('is NO_DATA for a service without traffic and fingerprints only statuses', () => {
    const report: HealthReport = {
      windowSeconds: 60,
      services: [{ namespace: 'shop', service: 'cart', status: 'healthy', requestCount: 10, violations: [] }],
      versions: [],
    };
    expect(serviceHealth(measured(report), { namespace: 'shop', name: 'reviews' }, 60).status).toBe(
      'no-data',
    );
    const a = namespaceHealth(measured(report), 'shop', 60, new Date(0));
    const busier = namespaceHealth(
      measured({ ...report, services: [{ ...report.services[0]!, requestCount: 99 }] }),
      'shop',
      60,
      new Date(1),
    );
    expect(healthFingerprint(busier)).toBe(healthFingerprint(a));
    const failing = namespaceHealth(
      measured({ ...report, services: [{ ...report.services[0]!, status: 'failure' }] }),
      'shop',
      60,
      new Date(2),
    );
    expect(healthFingerprint(failing)).not.toBe(healthFingerprint(a));
  });

  it('refuses windows that are not whole seconds from 1 to a day', () => {
    expect(windowOf(60)).toBe(60);
    for (const bad of [0, -1, 1.5, 86_401])
      expect(() => windowOf(bad)).toThrow(
        expect.objectContaining({ code: 'WINDOW_INVALID', path: '$.window' }),
      );
  });
});
