import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubeError } from '../errors/kube-error.util.js';
import { parseRetryAfter, statusError } from './kube-api.client.js';
import type { Clock } from './rate-limiter.util.js';
import { retryDelay, withRetries, type RetryPolicy } from './retry-policy.util.js';

const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

function clock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms) => void slept.push(ms) };
}

const throttled = (retryAfterMs?: number) =>
  new KubeError({
    code: 'KUBE_THROTTLED',
    message: 'slow down',
    kubeStatus: 429,
    reason: 'TooManyRequests',
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

describe('retryDelay', () => {
  it('waits what Retry-After asks, plus less than one base delay of jitter', () => {
    expect(retryDelay(throttled(1_000), 0, policy, () => 0)).toBe(1_000);
    expect(retryDelay(throttled(1_000), 0, policy, () => 0.999)).toBe(1_099);
    expect(retryDelay(throttled(60_000), 3, policy, () => 0)).toBe(5_000);
  });

  it('uses full-jitter exponential backoff without Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const d = retryDelay(throttled(), attempt, policy, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
        },
      ),
    );
  });
});

describe('withRetries', () => {
  it('retries transient errors and reports the attempts it took', async () => {
    const c = clock();
    let calls = 0;
    const { value, attempts } = await withRetries(
      async () => {
        if (++calls < 3) throw throttled(1_000);
        return 'ok';
      },
      policy,
      { what: 'apply X', clock: c, random: () => 0 },
    );
    expect({ value, attempts }).toEqual({ value: 'ok', attempts: 3 });
    expect(c.slept).toEqual([1_000, 1_000]);
  });

  it('does not retry what cannot succeed (422, 404, 403)', async () => {
    for (const code of ['KUBE_INVALID', 'KUBE_NOT_FOUND', 'KUBE_FORBIDDEN'] as const) {
      let calls = 0;
      const err = await withRetries(
        async () => {
          calls++;
          throw new KubeError({ code, message: 'no' });
        },
        policy,
        { what: 'x', clock: clock() },
      ).catch((e: unknown) => e);
      expect(calls).toBe(1);
      expect((err as KubeError).code).toBe(code);
    }
  });

  it('gives up after the bound, naming the operation and the last status', async () => {
    const err = await withRetries(
      async () => {
        throw statusError(
          503,
          JSON.stringify({
            kind: 'Status',
            message: 'etcd is down',
            reason: 'ServiceUnavailable',
            code: 503,
          }),
        );
      },
      policy,
      { what: 'apply VirtualService shop/reviews', clock: clock() },
    ).then(
      () => undefined,
      (e: unknown) => e as KubeError,
    );
    if (!err) throw new Error('expected a failure');
    expect(err.code).toBe('KUBE_RETRIES_EXHAUSTED');
    expect(err.message).toBe(
      'gave up on apply VirtualService shop/reviews after 4 attempts; last error (HTTP 503 ServiceUnavailable): etcd is down',
    );
    expect(err.kubeStatus).toBe(503);
    expect(err.cause).toBeInstanceOf(KubeError);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });

  it('never throws and never answers a negative delay (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const v = parseRetryAfter(s);
        expect(v === undefined || (Number.isFinite(v) && v >= 0)).toBe(true);
      }),
    );
  });
});

describe('statusError', () => {
  it('keeps the Status reason, message, causes and Retry-After', () => {
    const err = statusError(
      422,
      JSON.stringify({
        kind: 'Status',
        status: 'Failure',
        message: 'VirtualService.networking.istio.io "x" is invalid',
        reason: 'Invalid',
        details: {
          causes: [{ reason: 'FieldValueInvalid', field: 'spec.http[0].route[0].weight', message: 'bad' }],
        },
        code: 422,
      }),
    );
    expect(err).toMatchObject({ code: 'KUBE_INVALID', status: 422, kubeStatus: 422, reason: 'Invalid' });
    expect(err.details).toEqual([
      { code: 'FieldValueInvalid', path: 'spec.http[0].route[0].weight', message: 'bad' },
    ]);
    expect(statusError(429, '', '3').retryAfterMs).toBe(3_000);
    expect(statusError(502, '<html>bad gateway</html>').message).toBe('<html>bad gateway</html>');
  });

  it('turns any answer into a KubeError with a code (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 599 }),
        fc.oneof(fc.string(), fc.json()),
        fc.option(fc.string()),
        (status, body, ra) => {
          const err = statusError(status, body, ra ?? undefined);
          expect(err).toBeInstanceOf(KubeError);
          expect(err.code).toMatch(/^KUBE_[A-Z_]+$/);
          expect(err.message.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
