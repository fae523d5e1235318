import type { RouteMatch } from '@heliomesh/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSpecificity, matchKey, mayOverlap, routeMatchOf } from './match.util.js';

const target = { namespace: 'ns', service: 'svc' };

/** A tiny request model: enough of Envoy's matching to check mayOverlap against real requests. */
interface Req {
  path: string;
  method: string;
  port: number;
  headers: Record<string, string>;
}
const URIS = ['/', '/a', '/ab', '/b'];
const stringMatch = fc.oneof(
  fc.constantFrom(...URIS).map((exact) => ({ exact })),
  fc.constantFrom(...URIS).map((prefix) => ({ prefix })),
);
const matchArb: fc.Arbitrary<RouteMatch> = fc.record(
  {
    uri: stringMatch,
    method: fc.constantFrom('GET', 'POST').map((exact) => ({ exact })),
    port: fc.constantFrom(80, 81),
    headers: fc.dictionary(
      fc.constantFrom('x', 'y'),
      fc.constantFrom('1', '2').map((exact) => ({ exact })),
      { maxKeys: 2 },
    ),
  },
  { requiredKeys: [] },
);
const reqArb: fc.Arbitrary<Req> = fc.record({
  path: fc.constantFrom(...URIS, '/abc', '/ba'),
  method: fc.constantFrom('GET', 'POST'),
  port: fc.constantFrom(80, 81),
  headers: fc.dictionary(fc.constantFrom('x', 'y'), fc.constantFrom('1', '2'), { maxKeys: 2 }),
});

function holds(m: RouteMatch, r: Req): boolean {
  const str = (sm: { exact?: string; prefix?: string } | undefined, v: string | undefined) =>
    !sm || (v !== undefined && (sm.exact !== undefined ? v === sm.exact : v.startsWith(sm.prefix!)));
  if (!str(m.uri, r.path) || !str(m.method, r.method)) return false;
  if (m.port !== undefined && m.port !== r.port) return false;
  return Object.entries(m.headers ?? {}).every(([k, sm]) => str(sm, r.headers[k]));
}

describe('route matches', () => {
  it('combines the target match, the rule match and the target port', () => {
    expect(
      routeMatchOf(
        { ...target, port: 9080, match: { headers: { a: { exact: '1' } }, uri: { prefix: '/x' } } },
        { headers: { b: { exact: '2' } }, uri: { exact: '/y' } },
      ),
    ).toEqual({
      headers: { a: { exact: '1' }, b: { exact: '2' } },
      uri: { exact: '/y' },
      port: 9080,
    });
    expect(routeMatchOf(target, {})).toBeUndefined();
  });

  it('keys a match by content, not by key order', () => {
    fc.assert(
      fc.property(matchArb, (m) => {
        const reversed = Object.fromEntries(Object.entries(m).reverse()) as RouteMatch;
        expect(matchKey(reversed)).toBe(matchKey(m));
      }),
    );
  });

  it('orders matches totally, most specific first, default last', () => {
    fc.assert(
      fc.property(
        fc.option(matchArb, { nil: undefined }),
        fc.option(matchArb, { nil: undefined }),
        fc.option(matchArb, { nil: undefined }),
        (a, b, c) => {
          expect(Math.sign(compareSpecificity(a, b)) + Math.sign(compareSpecificity(b, a))).toBe(0);
          if (compareSpecificity(a, b) <= 0 && compareSpecificity(b, c) <= 0)
            expect(compareSpecificity(a, c)).toBeLessThanOrEqual(0);
          if (compareSpecificity(a, b) === 0) expect(matchKey(a)).toBe(matchKey(b));
          if (a) expect(compareSpecificity(a, undefined)).toBeLessThan(0);
        },
      ),
    );
    const ordered: Array<RouteMatch | undefined> = [
      { uri: { exact: '/a/b' } },
      { uri: { prefix: '/a/b' } },
      { uri: { prefix: '/a' } },
      { uri: { regex: '/.*' } },
      { headers: { x: { exact: '1' }, y: { exact: '1' } } },
      { headers: { x: { exact: '1' } } },
      undefined,
    ];
    expect([...ordered].reverse().sort(compareSpecificity)).toEqual(ordered);
  });

  it('never calls two matches disjoint when one request satisfies both', () => {
    fc.assert(
      fc.property(matchArb, matchArb, reqArb, (a, b, req) => {
        if (holds(a, req) && holds(b, req)) expect(mayOverlap(a, b)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(mayOverlap({ uri: { exact: '/a' } }, { uri: { exact: '/b' } })).toBe(false);
    expect(mayOverlap({ headers: { x: { exact: '1' } } }, { uri: { prefix: '/a' } })).toBe(true);
  });
});
