import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpRouteSchema } from '../config/networking.schema.js';
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  isRetriableReset,
  isRetriableResponse,
  retryPolicyOf,
} from './retry-policy.util.js';

const policy = (retries?: object) => retryPolicyOf(httpRouteSchema.parse({ retries }));

describe('retry policy (istio-semantics §1.5)', () => {
  it('defaults to 2 attempts that never retry an app 5xx', () => {
    expect(policy()).toBe(DEFAULT_RETRY_POLICY);
    expect(DEFAULT_RETRY_POLICY.attempts).toBe(2);
    for (const code of [500, 502, 503, 504])
      expect(isRetriableResponse(DEFAULT_RETRY_POLICY, code, -1, false)).toBe(false);
    // gRPC UNAVAILABLE and CANCELLED are in the default list.
    expect(isRetriableResponse(DEFAULT_RETRY_POLICY, 200, 14, false)).toBe(true);
    expect(isRetriableResponse(DEFAULT_RETRY_POLICY, 200, 13, false)).toBe(false);
    expect(DEFAULT_RETRY_POLICY.perTryTimeoutMs).toBeUndefined();
    expect(DEFAULT_RETRY_POLICY.backoffBaseMs).toBe(25);
  });

  it('turns integers into retriable status codes and reads each token', () => {
    const p = policy({ attempts: 3, retryOn: 'gateway-error,409,retriable-4xx', perTryTimeout: '200ms' });
    expect(p.attempts).toBe(3);
    expect(p.perTryTimeoutMs).toBe(200);
    expect(isRetriableResponse(p, 409, -1, false)).toBe(true);
    expect(isRetriableResponse(p, 503, -1, false)).toBe(true);
    expect(isRetriableResponse(p, 500, -1, false)).toBe(false);
    expect(isRetriableResponse(policy({ attempts: 1, retryOn: '5xx' }), 500, -1, false)).toBe(true);
    expect(isRetriableResponse(policy({ attempts: 1, retryOn: 'envoy-ratelimited' }), 429, -1, true)).toBe(
      true,
    );
  });

  it('attempts 0 disables retries; attempts without retryOn use the default list', () => {
    expect(policy({ attempts: 0 }).attempts).toBe(0);
    expect(policy({ attempts: 4 }).retryOn).toBe(DEFAULT_RETRY_POLICY.retryOn);
  });

  it('retries resets under 5xx, gateway-error and reset only', () => {
    expect(isRetriableReset(policy({ attempts: 1, retryOn: '5xx' }), false)).toBe(true);
    expect(isRetriableReset(policy({ attempts: 1, retryOn: 'reset' }), false)).toBe(true);
    expect(isRetriableReset(DEFAULT_RETRY_POLICY, false)).toBe(false);
    expect(isRetriableReset(policy({ attempts: 1, retryOn: 'reset-before-request' }), true)).toBe(true);
  });

  it('backs off in [0, (2^N-1)·base), capped at 10·base (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (n, r, base) => {
          const p = { ...DEFAULT_RETRY_POLICY, backoffBaseMs: base };
          const wait = backoffMs(p, n, r);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThan(Math.min((2 ** n - 1) * base, 10 * base) + 1e-9);
        },
      ),
    );
  });
});
