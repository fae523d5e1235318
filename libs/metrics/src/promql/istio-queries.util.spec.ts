import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MeshSelector } from '../mesh-query.types.js';
import { meshPromql, selectorMatchers } from './istio-queries.util.js';
import { compileMatchers, renderSelector } from './label-matcher.util.js';

const canary: MeshSelector = { kind: 'workload', namespace: 'shop', workload: 'cart-canary' };
const v2: MeshSelector = { kind: 'service', namespace: 'shop', service: 'cart', version: 'v2' };
const W = 'reporter="destination",destination_workload_namespace="shop",destination_workload="cart-canary"';

describe('meshPromql', () => {
  it("sends Flagger's request-success-rate, kept at 0 % when every request failed", () => {
    expect(meshPromql.successRate(canary, 60)).toBe(
      `(sum(rate(istio_requests_total{${W},response_code!~"5.*"}[60s])) or (sum(rate(istio_requests_total{${W}}[60s])) * 0)) / sum(rate(istio_requests_total{${W}}[60s])) * 100`,
    );
  });

  it("sends Flagger's request-duration for any quantile", () => {
    expect(meshPromql.latencyQuantile(canary, 0.99, 60)).toBe(
      `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{${W}}[60s])) by (le))`,
    );
  });

  it('selects a service version by Kiali service labels, and the client side on request', () => {
    expect(meshPromql.requestRate(v2, 30)).toBe(
      'sum(rate(istio_requests_total{reporter="destination",destination_service_namespace="shop",destination_service_name="cart",destination_version="v2"}[30s]))',
    );
    expect(meshPromql.requestCount({ ...v2, reporter: 'source' }, 30)).toContain(
      'istio_requests_total{reporter="source",',
    );
  });

  it('counts zero errors when no 5xx series exists', () => {
    expect(meshPromql.errorCount(v2, 60)).toMatch(
      /^sum\(increase\(istio_requests_total\{.*response_code=~"5\.\*"\}\[60s\]\)\) or \(sum\(increase\(.*\) \* 0\)$/,
    );
  });

  it('groups serviceStats and edges by the labels they report', () => {
    expect(meshPromql.serviceRequests({ namespace: 'shop' }, 60)).toBe(
      'sum(increase(istio_requests_total{reporter="destination",destination_service_namespace="shop"}[60s])) by (destination_service_namespace,destination_service_name,destination_version,response_code,response_flags,connection_security_policy)',
    );
    const edges = meshPromql.edgeRequests({ namespace: 'shop' }, 'source', 60);
    expect(edges).toContain('{reporter="source",source_workload_namespace="shop"}');
    expect(edges).toContain(' or ');
    expect(edges).toContain('{reporter="source",destination_service_namespace="shop"}');
    expect(meshPromql.edgeRequests({}, 'source', 60)).not.toContain(' or ');
  });

  it('keeps any service name inside its label value (no PromQL injection)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (name) => {
        const sel: MeshSelector = { kind: 'service', namespace: 'ns', service: name };
        const q = meshPromql.requestRate(sel, 60);
        const literal = JSON.stringify(name);
        expect(q).toBe(
          `sum(rate(istio_requests_total{reporter="destination",destination_service_namespace="ns",destination_service_name=${literal}}[60s]))`,
        );
        expect(JSON.parse(literal)).toBe(name);
      }),
    );
  });
});

describe('label matchers', () => {
  const match = (labels: Record<string, string>) =>
    compileMatchers([...selectorMatchers(v2), { name: 'response_code', op: '!~', value: '5.*' }])(labels);
  const base = {
    reporter: 'destination',
    destination_service_namespace: 'shop',
    destination_service_name: 'cart',
    destination_version: 'v2',
  };

  it('applies equality and anchored regexes with PromQL semantics', () => {
    expect(match({ ...base, response_code: '200' })).toBe(true);
    expect(match({ ...base, response_code: '503' })).toBe(false);
    expect(match({ ...base, response_code: '1503' })).toBe(true);
    expect(match({ ...base, destination_version: 'v1', response_code: '200' })).toBe(false);
    // A missing label reads as "", which !~"5.*" accepts.
    expect(match(base)).toBe(true);
    expect(compileMatchers([{ name: 'x', op: '!=', value: '' }])({})).toBe(false);
    expect(compileMatchers([{ name: 'x', op: '=~', value: 'a|b' }])({ x: 'b' })).toBe(true);
    // Only own labels count: a missing `constructor` label is "", not Object's constructor.
    expect(compileMatchers([{ name: 'constructor', op: '=', value: '' }])({})).toBe(true);
  });

  it('renders a selector with quoted values', () => {
    expect(renderSelector('up', [{ name: 'job', op: '=', value: 'a"b\\c' }])).toBe('up{job="a\\"b\\\\c"}');
  });
});
