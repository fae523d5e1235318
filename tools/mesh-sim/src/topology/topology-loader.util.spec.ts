import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { HeliomeshError } from '@heliomesh/util';
import { describe, expect, it } from 'vitest';
import { parseTopology, resolveTopology } from './topology-loader.util.js';

const DEMO = readFileSync(new URL('../../topologies/demo-shop.yaml', import.meta.url), 'utf8');
const base = { apiVersion: 'mesh-sim.heliomesh.io/v1alpha1', kind: 'Topology', name: 't' };

function errorOf(fn: () => unknown): HeliomeshError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HeliomeshError) return err;
    throw err;
  }
  throw new Error('expected a HeliomeshError');
}

describe('demo topology', () => {
  it('is an online shop of at least 8 services where reviews v3 is slow and fails 8 %', () => {
    const t = parseTopology(DEMO, 'demo-shop.yaml');
    expect(t.namespace).toBe('shop');
    expect(t.services.length).toBeGreaterThanOrEqual(8);
    expect(t.services.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'frontend',
        'product',
        'reviews',
        'ratings',
        'cart',
        'checkout',
        'payment',
        'inventory',
      ]),
    );
    const reviews = t.services.find((s) => s.name === 'reviews')!;
    expect(reviews.versions.map((v) => v.name)).toEqual(['v1', 'v2', 'v3']);
    const v3 = reviews.versions[2]!;
    expect(v3.errorRate).toBe(0.08);
    expect(v3.latency).toMatchObject({ distribution: 'lognormal' });
    expect(reviews.versions[1]!.errorRate).toBe(0);
    const shopper = t.clients[0]!;
    expect(shopper.rps).toBeLessThanOrEqual(100);
    expect(shopper.requests.some((r) => r.headers['x-user'] === 'beta')).toBe(true);
    expect(reviews.propagateHeaders).toEqual(expect.arrayContaining(['x-user', 'x-gray', 'traceparent']));
  });

  it('resolves defaults and call authorities', () => {
    const t = parseTopology(DEMO);
    const frontend = t.services.find((s) => s.name === 'frontend')!;
    expect(frontend.port).toBe(8080);
    expect(frontend.fqdn).toBe('frontend.shop.svc.cluster.local');
    expect(frontend.versions[0]!.calls[0]).toMatchObject({
      host: 'product',
      port: 9080,
      authority: 'product:9080',
      required: true,
    });
    expect(t.clients[0]).toMatchObject({
      authority: 'frontend:8080',
      serviceAccount: 'shopper',
      labels: { app: 'shopper' },
    });
  });
});

describe('topology errors', () => {
  it('reports YAML syntax errors', () => {
    expect(errorOf(() => parseTopology('services: [', 'x.yaml')).code).toBe('TOPOLOGY_YAML_INVALID');
  });

  it('names the path of an unknown field', () => {
    const err = errorOf(() =>
      resolveTopology({ ...base, services: [{ name: 'a', versions: [{ name: 'v1', replica: 2 }] }] }),
    );
    expect(err.code).toBe('TOPOLOGY_INVALID');
    expect(err.status).toBe(400);
    expect(err.path).toBe('$.services[0].versions[0]');
    expect(err.message).toMatch(/replica/);
  });

  it('rejects calls to services the topology does not declare', () => {
    const err = errorOf(() =>
      resolveTopology({
        ...base,
        services: [{ name: 'a', versions: [{ name: 'v1', calls: [{ service: 'ghost' }] }] }],
      }),
    );
    expect(err.path).toBe('$.services[0].versions[0].calls[0].service');
    expect(err.message).toMatch(/unknown service "ghost"/);
  });

  it('rejects duplicate services and versions, and all-zero request weights', () => {
    const err = errorOf(() =>
      resolveTopology({
        ...base,
        services: [
          { name: 'a', versions: [{ name: 'v1' }, { name: 'v1' }] },
          { name: 'a', versions: [{ name: 'v1' }] },
        ],
        clients: [{ name: 'c', target: { service: 'a' }, rps: 1, requests: [{ weight: 0 }] }],
      }),
    );
    expect(err.details.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        '$.services[1].name',
        '$.services[0].versions[1].name',
        '$.clients[0].requests',
      ]),
    );
  });

  it('resolves cross-namespace call targets by name.namespace and FQDN', () => {
    const t = resolveTopology({
      ...base,
      namespace: 'front',
      services: [
        {
          name: 'web',
          versions: [
            {
              name: 'v1',
              calls: [{ service: 'db.data' }, { service: 'db.data.svc.cluster.local', port: 5432 }],
            },
          ],
        },
        { name: 'db', namespace: 'data', port: 5432, versions: [{ name: 'v1' }] },
      ],
    });
    expect(t.services[0]!.versions[0]!.calls.map((c) => c.authority)).toEqual([
      'db.data:5432',
      'db.data.svc.cluster.local:5432',
    ]);
  });

  it('only ever fails with a HeliomeshError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          resolveTopology(value);
        } catch (err) {
          expect(err).toBeInstanceOf(HeliomeshError);
          expect((err as HeliomeshError).path.startsWith('$')).toBe(true);
        }
      }),
    );
  });

  it('accepts generated valid topologies and keeps their shape (property)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 1, maxLength: 5 }),
        fc.array(
          fc.record({
            replicas: fc.integer({ min: 0, max: 5 }),
            errorRate: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        (names, versions, rps) => {
          const services = names.map((n, i) => ({
            name: n,
            versions: versions.map((v, j) => ({
              name: `v${j + 1}`,
              ...v,
              calls: i + 1 < names.length ? [{ service: names[i + 1]! }] : [],
            })),
          }));
          const t = resolveTopology({
            ...base,
            services,
            clients: [{ name: 'load', target: { service: names[0]! }, rps }],
          });
          expect(t.services.map((s) => s.name)).toEqual(names);
          expect(t.services.every((s) => s.versions.length === versions.length)).toBe(true);
          expect(t.clients[0]!.rps).toBe(rps);
        },
      ),
    );
  });
});
