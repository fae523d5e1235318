import fc from 'fast-check';
import { HeliomeshError } from '@heliomesh/util';
import { describe, expect, it } from 'vitest';
import { collectorQuerySchema, rollupQuerySchema, scopeQuerySchema } from './api.schema.js';
import { parseInput } from './input.util.js';

const asQuery = { code: 'QUERY_INVALID', prefix: ['query'], hint: 'hint.' } as const;
const asBody = { code: 'BODY_INVALID', prefix: [], hint: 'hint.' } as const;

function rejection(fn: () => unknown): HeliomeshError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HeliomeshError) return err;
    throw err;
  }
  throw new Error('expected a HeliomeshError');
}

describe('scope query (?namespace=&window=)', () => {
  it('defaults the window to 60 s and the scope to the whole mesh', () => {
    expect(parseInput(scopeQuerySchema, {}, asQuery)).toEqual({ scope: {}, windowSeconds: 60 });
    expect(parseInput(scopeQuerySchema, { namespace: 'shop', window: '300' }, asQuery)).toEqual({
      scope: { namespace: 'shop' },
      windowSeconds: 300,
    });
  });

  it.each([
    [{ window: '0' }, '$.query.window', 'at least 1'],
    [{ window: '1e3' }, '$.query.window', 'whole number'],
    [{ window: '86401' }, '$.query.window', 'at most 86400'],
    [{ window: ['5', '6'] }, '$.query.window', 'expected string'],
    [{ namespace: 'Shop' }, '$.query.namespace', 'Kubernetes namespace name'],
    [{ namespaces: 'shop' }, '$.query.namespaces', 'unknown field "namespaces"'],
  ])('refuses %j with a 400 at %s', (query, path, message) => {
    const err = rejection(() => parseInput(scopeQuerySchema, query, asQuery));
    expect(err).toMatchObject({ code: 'QUERY_INVALID', status: 400, path });
    expect(err.message).toContain(message);
  });
});

describe('rollup query', () => {
  it('defaults to the last hour and 1,000 rows', () => {
    const q = parseInput(rollupQuerySchema, { namespace: 'shop' }, asQuery);
    expect(q.to.getTime() - q.from.getTime()).toBe(3_600_000);
    expect(q.limit).toBe(1_000);
  });

  it('reads RFC 3339 times with offsets', () => {
    const q = parseInput(
      rollupQuerySchema,
      {
        namespace: 'shop',
        service: 'reviews',
        version: 'v3',
        from: '2025-11-27T10:00:00+01:00',
        to: '2025-11-27T10:30Z',
        limit: '5',
      },
      asQuery,
    );
    expect(q).toEqual({
      namespace: 'shop',
      service: 'reviews',
      version: 'v3',
      from: new Date('2025-11-27T09:00:00Z'),
      to: new Date('2025-11-27T10:30:00Z'),
      limit: 5,
    });
  });

  it.each([
    [{}, '$.query.namespace'],
    [{ namespace: 'shop', from: '2025-02-30T00:00:00Z' }, '$.query.from'],
    [{ namespace: 'shop', from: 'yesterday' }, '$.query.from'],
    [{ namespace: 'shop', from: '2025-11-27T11:00:00Z', to: '2025-11-27T10:00:00Z' }, '$.query.from'],
    [{ namespace: 'shop', limit: '10001' }, '$.query.limit'],
    [{ namespace: 'shop', version: 'v 1' }, '$.query.version'],
  ])('refuses %j at %s', (query, path) => {
    expect(rejection(() => parseInput(rollupQuerySchema, query, asQuery))).toMatchObject({
      status: 400,
      path,
    });
  });
});

describe('POST /v1/query body', () => {
  const selector = { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v3' };

  it('accepts each MetricsProvider method', () => {
    for (const method of [
      'requestRate',
      'requestCount',
      'errorCount',
      'successRate',
      'latencyHistogram',
      'responseFlags',
    ]) {
      expect(parseInput(collectorQuerySchema, { method, selector, windowSeconds: 60 }, asBody)).toEqual({
        method,
        selector,
        windowSeconds: 60,
      });
    }
    expect(
      parseInput(
        collectorQuerySchema,
        { method: 'latencyQuantile', selector, windowSeconds: 30, q: 0.99 },
        asBody,
      ),
    ).toMatchObject({ q: 0.99 });
    expect(
      parseInput(
        collectorQuerySchema,
        {
          method: 'successRate',
          selector: { kind: 'workload', namespace: 'shop', workload: 'reviews-v3', reporter: 'source' },
          windowSeconds: 1,
        },
        asBody,
      ),
    ).toMatchObject({ selector: { kind: 'workload' } });
    expect(parseInput(collectorQuerySchema, { method: 'runQuery', promql: 'sum(up)' }, asBody)).toEqual({
      method: 'runQuery',
      promql: 'sum(up)',
    });
  });

  it.each([
    [{ method: 'latencyQuantile', selector, windowSeconds: 60, q: 1.5 }, '$.q'],
    [{ method: 'latencyQuantile', selector, windowSeconds: 60 }, '$.q'],
    [{ method: 'successRate', selector, windowSeconds: 1.5 }, '$.windowSeconds'],
    [{ method: 'successRate', selector: { ...selector, kind: 'pod' }, windowSeconds: 60 }, '$.selector.kind'],
    [
      { method: 'successRate', selector: { ...selector, service: 'a"}or vector(1)' }, windowSeconds: 60 },
      '$.selector.service',
    ],
    [{ method: 'successRate', selector, windowSeconds: 60, promql: 'x' }, '$.promql'],
    [{ method: 'drop', selector, windowSeconds: 60 }, '$.method'],
    [{ method: 'runQuery', promql: '' }, '$.promql'],
    [[1, 2], '$'],
  ])('refuses %j at %s', (body, path) => {
    expect(rejection(() => parseInput(collectorQuerySchema, body, asBody))).toMatchObject({
      code: 'BODY_INVALID',
      status: 400,
      path,
    });
  });

  it('property: any JSON either parses or is a 400 whose path starts at the body root', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        try {
          parseInput(collectorQuerySchema, body, asBody);
        } catch (err) {
          expect(err).toBeInstanceOf(HeliomeshError);
          expect((err as HeliomeshError).status).toBe(400);
          expect((err as HeliomeshError).path.startsWith('$')).toBe(true);
        }
      }),
    );
  });

  it('property: well-formed queries with any valid names parse to themselves', () => {
    const label = fc.stringMatching(/^[a-z0-9](?:[-a-z0-9]{0,20}[a-z0-9])?$/);
    const arbQuery = fc.record({
      method: fc.constantFrom('requestRate', 'successRate', 'responseFlags'),
      selector: fc.record({ kind: fc.constant('service'), namespace: label, service: label, version: label }),
      windowSeconds: fc.integer({ min: 1, max: 86_400 }),
    });
    fc.assert(
      fc.property(arbQuery, (q) => {
        expect(parseInput(collectorQuerySchema, q, asBody)).toEqual(q);
      }),
    );
  });

  it('property: arbitrary query strings never produce anything but a 400 on $.query', () => {
    const value = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }));
    const query = fc.dictionary(
      fc.constantFrom('namespace', 'window', 'service', 'version', 'from', 'to', 'limit', 'x'),
      value,
    );
    fc.assert(
      fc.property(query, (q) => {
        for (const schema of [scopeQuerySchema, rollupQuerySchema]) {
          try {
            parseInput(schema, q, asQuery);
          } catch (err) {
            expect(err).toBeInstanceOf(HeliomeshError);
            expect((err as HeliomeshError).path.startsWith('$.query')).toBe(true);
          }
        }
      }),
    );
  });
});
