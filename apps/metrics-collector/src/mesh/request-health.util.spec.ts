import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestHealth, thresholdStatus, worst, type CodeTally } from './request-health.util.js';

const http = (responseCode: string, count: number): CodeTally => ({
  protocol: 'http',
  responseCode,
  grpcStatus: '',
  count,
});
const grpc = (grpcStatus: string, count: number): CodeTally => ({
  protocol: 'grpc',
  responseCode: '200',
  grpcStatus,
  count,
});

describe('Kiali threshold check', () => {
  it('degrades at any positive share when degradedAt is 0 and fails at the failure threshold', () => {
    expect(thresholdStatus(0, 0, 10)).toBe('healthy');
    expect(thresholdStatus(0.001, 0, 10)).toBe('degraded');
    expect(thresholdStatus(9.999, 0, 10)).toBe('degraded');
    expect(thresholdStatus(10, 0, 10)).toBe('failure');
  });

  it('uses >= for both thresholds (4XX: degraded at 10 %, failure at 20 %)', () => {
    expect(thresholdStatus(9.99, 10, 20)).toBe('healthy');
    expect(thresholdStatus(10, 10, 20)).toBe('degraded');
    expect(thresholdStatus(20, 10, 20)).toBe('failure');
  });
});

describe('requestHealth with Kiali default tolerances', () => {
  it('is no-data without traffic, never healthy', () => {
    expect(requestHealth([])).toEqual({ status: 'no-data', requestCount: 0, violations: [] });
    expect(requestHealth([http('200', 0), http('503', 0)]).status).toBe('no-data');
  });

  it('is healthy with traffic and no matching codes (2xx, 3xx)', () => {
    const h = requestHealth([http('200', 95), http('302', 5)]);
    expect(h).toEqual({ status: 'healthy', requestCount: 100, violations: [] });
  });

  it('flags 8 % of 5xx (reviews v3) as degraded with the share it measured', () => {
    const h = requestHealth([http('200', 920), http('503', 80)]);
    expect(h.status).toBe('degraded');
    expect(h.violations).toEqual([
      { tolerance: '5XX', errorPercent: 8, degradedAt: 0, failureAt: 10, status: 'degraded' },
    ]);
  });

  it('fails at 10 % of 5xx', () => {
    expect(requestHealth([http('200', 90), http('500', 6), http('504', 4)]).status).toBe('failure');
  });

  it('tolerates 4xx below 10 %, degrades from 10 % and fails from 20 % (a DENY list answers 403)', () => {
    expect(requestHealth([http('200', 91), http('404', 9)]).status).toBe('healthy');
    expect(requestHealth([http('200', 90), http('403', 10)]).status).toBe('degraded');
    expect(requestHealth([http('200', 80), http('429', 20)]).status).toBe('failure');
    // A 4xx under its degraded threshold is still reported, as healthy.
    expect(requestHealth([http('200', 91), http('404', 9)]).violations).toEqual([
      { tolerance: '4XX', errorPercent: 9, degradedAt: 10, failureAt: 20, status: 'healthy' },
    ]);
  });

  it('judges gRPC on grpc_response_status 1-16, relative to gRPC requests only', () => {
    const h = requestHealth([grpc('0', 45), grpc('14', 5), http('200', 950)]);
    expect(h.violations).toEqual([
      { tolerance: 'GRPC_ERROR', errorPercent: 10, degradedAt: 0, failureAt: 10, status: 'failure' },
    ]);
    expect(h.status).toBe('failure');
    expect(requestHealth([grpc('17', 5), grpc('0', 95)]).status).toBe('healthy');
  });

  it('counts code 0 (no response sent) against the "-" tolerance across both protocols', () => {
    const h = requestHealth([http('0', 1), http('200', 49), grpc('0', 50)]);
    expect(h.violations).toEqual([
      { tolerance: 'NO_RESPONSE', errorPercent: 1, degradedAt: 0, failureAt: 10, status: 'degraded' },
    ]);
  });

  it('lists violations worst first and lets the worst status win', () => {
    const h = requestHealth([http('200', 70), http('503', 1), http('403', 29)]);
    expect(h.violations.map((v) => [v.tolerance, v.status])).toEqual([
      ['4XX', 'failure'],
      ['5XX', 'degraded'],
    ]);
    expect(h.status).toBe('failure');
  });

  const tally = fc.record({
    protocol: fc.constantFrom('http', 'grpc', 'tcp', ''),
    responseCode: fc.constantFrom('0', '200', '204', '302', '403', '404', '429', '500', '503', '504'),
    grpcStatus: fc.constantFrom('', '0', '1', '2', '14', '16', '17'),
    count: fc.double({ min: 0, max: 1e6, noNaN: true }),
  });

  it('property: never healthy without traffic, shares stay within 0-100, the status is the worst violation', () => {
    fc.assert(
      fc.property(fc.array(tally, { maxLength: 30 }), (tallies) => {
        const h = requestHealth(tallies);
        const total = tallies.reduce((s, t) => s + t.count, 0);
        if (!(total > 0)) {
          expect(h.status).toBe('no-data');
          return;
        }
        expect(h.status).not.toBe('no-data');
        expect(h.requestCount).toBeCloseTo(total, 6);
        for (const v of h.violations) {
          expect(v.errorPercent).toBeGreaterThan(0);
          expect(v.errorPercent).toBeLessThanOrEqual(100 + 1e-9);
        }
        expect(h.status).toBe(h.violations.reduce<typeof h.status>((s, v) => worst(s, v.status), 'healthy'));
      }),
    );
  });

  it('property: adding 5xx responses never makes the health better', () => {
    const rank = { healthy: 0, degraded: 1, failure: 2, 'no-data': -1 } as const;
    fc.assert(
      fc.property(fc.array(tally, { maxLength: 20 }), fc.integer({ min: 1, max: 1000 }), (tallies, extra) => {
        const before = requestHealth(tallies);
        const after = requestHealth([...tallies, http('503', extra)]);
        if (before.status !== 'no-data')
          expect(rank[after.status]).toBeGreaterThanOrEqual(rank[before.status]);
        expect(after.status).not.toBe('healthy');
      }),
    );
  });
});
