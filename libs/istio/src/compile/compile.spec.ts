import type { RequestRoutingRule } from '@heliomesh/policy';
import { describe, expect, it } from 'vitest';
import { p, REVIEWS, service, snapshot } from '../../test/support/snapshot.builders.js';
import {
  compile,
  compileHost,
  explain,
  indexSnapshot,
  toYaml,
  type DestinationRule,
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

describe('compile', () => {
  it('emits exactly one VirtualService and one DestinationRule per service host, labelled and annotated', () => {
    const result = compile(snapshot({ policies: [p.trafficSplit({ v1: 90, v2: 10 }, { revision: 4 })] }));
    const vss = result.objects.filter((o) => o.kind === 'VirtualService');
    const drs = result.objects.filter((o) => o.kind === 'DestinationRule');
    expect(vss.map((o) => o.metadata.name).sort()).toEqual([
      'heliomesh-productpage',
      'heliomesh-ratings',
      'heliomesh-reviews',
    ]);
    expect(drs).toHaveLength(3);
    const vs = vsOf(result.objects);
    expect(vs.spec.hosts).toEqual([REVIEWS]);
    expect(vs.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'heliomesh',
      'heliomesh.io/service': 'reviews',
      'heliomesh.io/tenant': 'acme',
    });
    expect(JSON.parse(vs.metadata.annotations['heliomesh.io/sources']!)).toEqual([
      { id: 'pol-reviews-split', kind: 'TrafficSplit', name: 'reviews-split', revision: 4 },
    ]);
    expect(drOf(result.objects).spec.subsets!.map((s) => [s.name, s.labels])).toEqual([
      ['v1', { app: 'reviews', version: 'v1' }],
      ['v2', { app: 'reviews', version: 'v2' }],
      ['v3', { app: 'reviews', version: 'v3' }],
    ]);
  });

  it('routes a service without policies to all its pods', () => {
    const vs = vsOf(compile(snapshot()).objects, 'productpage');
    expect(vs.spec.http).toEqual([
      {
        name: 'default',
        route: [{ destination: { host: 'productpage.bookinfo.svc.cluster.local' }, weight: 100 }],
      },
    ]);
  });

  it('scales relative weights to integers summing to 100', () => {
    const vs = vsOf(compile(snapshot({ policies: [p.trafficSplit({ v1: 1, v2: 1, v3: 1 })] })).objects);
    expect(vs.spec.http[0]!.route!.map((r) => r.weight)).toEqual([34, 33, 33]);
  });

  it('orders routes by specificity with the default route last', () => {
    const rules: RequestRoutingRule[] = [
      { match: { headers: { 'x-a': { exact: '1' }, 'x-b': { exact: '2' } } }, version: 'v2' },
      { match: { uri: { regex: '^/r/.*' } }, version: 'v2' },
      { match: { uri: { prefix: '/api' } }, version: 'v3' },
      { match: { headers: { 'x-a': { exact: '1' } } }, version: 'v3' },
      { match: { uri: { exact: '/api/login' } }, version: 'v2' },
      { match: { uri: { prefix: '/api/v2' } }, version: 'v2' },
    ];
    const vs = vsOf(compile(snapshot({ policies: [p.requestRouting({ rules })] })).objects);
    expect(vs.spec.http.map((r) => JSON.stringify(r.match?.[0] ?? 'default'))).toEqual([
      '{"uri":{"exact":"/api/login"}}',
      '{"uri":{"prefix":"/api/v2"}}',
      '{"uri":{"prefix":"/api"}}',
      '{"uri":{"regex":"^/r/.*"}}',
      '{"headers":{"x-a":{"exact":"1"},"x-b":{"exact":"2"}}}',
      '{"headers":{"x-a":{"exact":"1"}}}',
      '"default"',
    ]);
  });

  it('lets every route inherit service-wide fields, and a specific match override them', () => {
    const result = compile(
      snapshot({
        policies: [
          p.timeout('3s'),
          p.timeout('500ms', { name: 'fast-login', target: { match: { uri: { exact: '/login' } } } }),
          p.retry({ attempts: 2 }, { target: { match: { uri: { exact: '/login' } } } }),
        ],
      }),
    );
    const [login, fallback] = vsOf(result.objects).spec.http;
    expect(login).toMatchObject({
      match: [{ uri: { exact: '/login' } }],
      timeout: '500ms',
      retries: { attempts: 2 },
    });
    expect(fallback).toMatchObject({ name: 'default', timeout: '3s' });
    expect(fallback!.retries).toBeUndefined();
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('merges distinct fields of one route from several policies into one http route', () => {
    const match = { uri: { prefix: '/api' } };
    const vs = vsOf(
      compile(
        snapshot({
          policies: [
            p.abort(503, 10, { target: { match } }),
            p.retry({ attempts: 3 }, { target: { match } }),
          ],
        }),
      ).objects,
    );
    expect(vs.spec.http).toHaveLength(2);
    expect(vs.spec.http[0]).toMatchObject({
      fault: { abort: { httpStatus: 503, percentage: { value: 10 } } },
      retries: { attempts: 3 },
    });
  });

  it('blocks only the host with an error and still compiles the others', () => {
    const result = compile(snapshot({ policies: [p.trafficSplit({ v1: 50, v9: 50 })] }));
    expect(result.hosts.get(REVIEWS)).toMatchObject({ emitted: false, objects: [], explain: [] });
    expect(result.objects.some((o) => o.metadata.name === 'heliomesh-reviews')).toBe(false);
    expect(result.objects.some((o) => o.metadata.name === 'heliomesh-ratings')).toBe(true);
    expect(result.findings.map((f) => f.code)).toContain('HM1003');
  });

  it('recompiles one host with compileHost exactly as the full compile does', () => {
    const snap = snapshot({
      policies: [p.trafficSplit({ v1: 90, v2: 10 }), p.timeout('2s', { service: 'ratings' })],
    });
    const full = compile(snap);
    const index = indexSnapshot(snap);
    expect(compileHost(index, { namespace: 'bookinfo', service: 'reviews' })).toEqual(
      full.hosts.get(REVIEWS),
    );
    expect(compileHost(snap, 'ratings.bookinfo.svc.cluster.local')).toEqual(
      full.hosts.get('ratings.bookinfo.svc.cluster.local'),
    );
    expect(compileHost(index, { namespace: 'bookinfo', service: 'gone' })).toBeUndefined();
  });

  it('explains which policy and revision produced each field', () => {
    const result = compile(
      snapshot({
        policies: [
          p.trafficSplit({ v1: 90, v2: 10 }, { revision: 7 }),
          p.abort(500, 1, { target: { match: { uri: { prefix: '/x' } } } }),
        ],
      }),
    );
    const entries = explain(result, REVIEWS);
    expect(entries).toContainEqual(
      expect.objectContaining({
        objectKind: 'VirtualService',
        jsonPath: '$.spec.http[0].fault.abort',
        policyId: 'pol-reviews-fault',
        policyKind: 'FaultInjection',
        sourcePath: '$.spec.abort',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        jsonPath: '$.spec.http[0].route',
        policyId: 'pol-reviews-split',
        policyRevision: 7,
        note: expect.stringContaining('inherited'),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        objectKind: 'DestinationRule',
        jsonPath: '$.spec.subsets[1]',
        source: 'service',
      }),
    );
  });

  it('reports policies for unknown services and unreadable targets without throwing', () => {
    const result = compile(
      snapshot({
        policies: [
          p.timeout('1s', { service: 'ghost' }),
          { id: 'x', revision: 1, name: 'x', kind: 'Timeout', target: null, spec: {} } as never,
        ],
      }),
    );
    const orphans = result.findings.filter((f) => f.code === 'HM0002');
    expect(orphans.map((f) => f.host ?? 'none').sort()).toEqual(['ghost.bookinfo.svc.cluster.local', 'none']);
    expect(orphans.map((f) => f.policyIds)).toContainEqual(['x']);
  });

  it('leaves objects and findings unchanged when explain entries are not requested', () => {
    const snap = snapshot({
      policies: [
        p.trafficSplit({ v1: 90, v2: 10 }),
        p.circuitBreaker({ version: 'v2', outlierDetection: { consecutive5xxErrors: 2 } }),
      ],
    });
    const withExplain = compile(snap);
    const without = compile(snap, { explain: false });
    expect(without.objects).toEqual(withExplain.objects);
    expect(without.findings).toEqual(withExplain.findings);
    expect([...without.hosts.values()].every((h) => h.explain.length === 0)).toBe(true);
    expect(explain(withExplain, REVIEWS).length).toBeGreaterThan(5);
  });

  it('gives the same bytes for the same snapshot in any order', () => {
    const policies = [
      p.trafficSplit({ v1: 90, v2: 10 }),
      p.timeout('2s', { service: 'ratings' }),
      p.accessControl({ action: 'DENY', from: { ipBlocks: ['10.0.0.0/8'] } }),
    ];
    const services = [service('reviews'), service('ratings'), service('productpage', { v1: 1 })];
    const a = toYaml(compile(snapshot({ policies, services })).objects);
    const b = toYaml(
      compile(snapshot({ policies: [...policies].reverse(), services: [...services].reverse() })).objects,
    );
    expect(a).toBe(b);
    expect(a.split('\n---\n').length).toBe(7);
  });

  it('does not mutate its input', () => {
    const snap = snapshot({
      policies: [p.trafficSplit({ v2: 1, v1: 3 }), p.headers({ request: { set: { B: '1', a: '2' } } })],
    });
    const before = JSON.stringify(snap);
    compile(snap);
    expect(JSON.stringify(snap)).toBe(before);
  });
});
