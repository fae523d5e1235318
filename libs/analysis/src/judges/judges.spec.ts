import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistogramValue, MetricMeasurement, RequestCounts } from '../measurement.types.js';
import { judgeErrorRateCompare } from './error-rate-compare.judge.js';
import { judgeLatencyCompare } from './latency-compare.judge.js';
import { judgeThreshold } from './threshold.judge.js';

const INF = Number.POSITIVE_INFINITY;
const value = (v: number, requestCount?: number): MetricMeasurement => ({
  kind: 'value',
  value: v,
  ...(requestCount === undefined ? {} : { requestCount }),
});
const down: MetricMeasurement = {
  kind: 'provider-error',
  error: { code: 'PROVIDER_UNREACHABLE', message: 'Cannot reach Prometheus at http://prom:9090' },
};
const empty: MetricMeasurement = { kind: 'no-data', reason: 'the query matched no series' };

describe('judgeThreshold', () => {
  const base = {
    metric: 'success',
    query: 'request-success-rate',
    window: '1m',
    unit: '%',
    label: 'success rate',
    min: 99,
    minRequests: 100,
  };

  it.each([
    [
      value(99.6, 1240),
      'pass',
      'Canary success rate 99.6 % over 1m (1,240 requests) is within the threshold (min 99 %).',
    ],
    [
      value(98.2, 1240),
      'fail',
      'Canary success rate 98.2 % over 1m (1,240 requests) is below the minimum of 99 %.',
    ],
    [
      value(50, 12),
      'no-data',
      'The canary served 12 requests in 1m, fewer than the 100 required; the step holds until there is enough traffic.',
    ],
    [
      empty,
      'no-data',
      "No data for the canary's success rate in the last 1m (the query matched no series); the step holds until traffic arrives.",
    ],
    [
      down,
      'provider-error',
      "The metrics provider could not answer for the canary's success rate (PROVIDER_UNREACHABLE: Cannot reach Prometheus at http://prom:9090); the analysis pauses and alerts instead of counting a failed check.",
    ],
  ] as const)('%j -> %s', (canary, outcome, explanation) => {
    const v = judgeThreshold({ ...base, canary });
    expect(v.outcome).toBe(outcome);
    expect(v.explanation).toBe(explanation);
    expect(v.threshold).toEqual({ kind: 'range', min: 99, unit: '%' });
  });

  it('records the value and samples it judged', () => {
    expect(judgeThreshold({ ...base, canary: value(99.6, 1240) })).toMatchObject({
      metric: 'success',
      judge: 'threshold',
      query: 'request-success-rate',
      canary: { value: 99.6, samples: 1240 },
    });
  });

  it('checks a max, and takes the request count from a separate measurement for custom queries', () => {
    const custom = { ...base, unit: 'ms', label: 'queue-latency', min: undefined, max: 500 };
    expect(judgeThreshold({ ...custom, canary: value(612), requestCount: value(300) })).toMatchObject({
      outcome: 'fail',
      explanation: 'Canary queue-latency 612 ms over 1m (300 requests) is above the maximum of 500 ms.',
    });
    expect(judgeThreshold({ ...custom, canary: value(612), requestCount: down }).outcome).toBe(
      'provider-error',
    );
    expect(judgeThreshold({ ...custom, canary: value(612) }).outcome).toBe('no-data');
    expect(judgeThreshold({ ...custom, minRequests: 0, canary: value(400) }).outcome).toBe('pass');
  });

  it('a value exactly on the bound passes; NaN is no data, never a failure', () => {
    expect(judgeThreshold({ ...base, canary: value(99, 500) }).outcome).toBe('pass');
    expect(judgeThreshold({ ...base, canary: value(Number.NaN, 500) }).outcome).toBe('no-data');
  });

  it('never fails below minRequests, whatever the value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.nat({ max: 99 }), (v, n) => {
        expect(judgeThreshold({ ...base, canary: value(v, n) }).outcome).toBe('no-data');
      }),
    );
  });
});

const counts = (requests: number, errors: number): RequestCounts => ({
  requests: value(requests),
  errors: value(errors),
});

describe('judgeErrorRateCompare', () => {
  const base = {
    metric: 'errors',
    query: 'request-counts',
    window: '5m',
    confidence: 0.98,
    tolerance: 0.1,
    minRequests: 100,
  };

  it('fails a canary with 0.5 % errors against a clean baseline (the rare-error case)', () => {
    const v = judgeErrorRateCompare({ ...base, canary: counts(2000, 10), baseline: counts(2000, 0) });
    expect(v.outcome).toBe('fail');
    expect(v.pValue).toBeCloseTo(0.000965611867082593, 12);
    expect(v.effectSize).toBeCloseTo(0.5, 12);
    expect(v.canary).toEqual({ value: 99.5, samples: 2000 });
    expect(v.baseline).toEqual({ value: 100, samples: 2000 });
    expect(v.explanation).toBe(
      'Fail: the canary error rate 0.5 % (10 of 2,000) vs baseline 0 % (0 of 2,000) over 5m is significantly higher (one-sided Fisher exact p = 0.00097 < 0.02), an increase of 0.5 points, above the 0.1 points allowed.',
    );
  });

  it('passes identical versions', () => {
    const v = judgeErrorRateCompare({ ...base, canary: counts(5000, 40), baseline: counts(5000, 40) });
    expect(v.outcome).toBe('pass');
    expect(v.explanation).toContain('is not significantly higher');
  });

  it('passes a significant increase within the tolerance', () => {
    const v = judgeErrorRateCompare({
      ...base,
      canary: counts(1_000_000, 1050),
      baseline: counts(1_000_000, 900),
    });
    expect(v.pValue!).toBeLessThan(0.02);
    expect(v.outcome).toBe('pass');
    expect(v.explanation).toContain('within the 0.1 points allowed');
  });

  it('holds below minRequests on either side, pauses on a provider error', () => {
    expect(
      judgeErrorRateCompare({ ...base, canary: counts(50, 10), baseline: counts(5000, 0) }).outcome,
    ).toBe('no-data');
    expect(
      judgeErrorRateCompare({ ...base, canary: counts(5000, 10), baseline: counts(99, 0) }).explanation,
    ).toContain('The baseline served 99 requests');
    expect(
      judgeErrorRateCompare({
        ...base,
        canary: { requests: value(5000), errors: down },
        baseline: counts(5000, 0),
      }).outcome,
    ).toBe('provider-error');
    expect(
      judgeErrorRateCompare({
        ...base,
        canary: counts(5000, 0),
        baseline: { requests: empty, errors: empty },
      }).outcome,
    ).toBe('no-data');
  });

  it('rounds extrapolated counts and never lets errors exceed requests', () => {
    const v = judgeErrorRateCompare({
      ...base,
      canary: counts(1999.6, 10.4),
      baseline: counts(2000.2, 2100),
    });
    expect(v.canary).toEqual({ value: 99.5, samples: 2000 });
    expect(v.baseline).toEqual({ value: 0, samples: 2000 });
  });

  it('identical traffic never fails, whatever the rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, rate) => {
          const e = Math.round(n * rate);
          expect(
            judgeErrorRateCompare({ ...base, canary: counts(n, e), baseline: counts(n, e) }).outcome,
          ).toBe('pass');
        },
      ),
    );
  });
});

/** A latency histogram from per-bucket counts on the given bounds. */
function histogram(bounds: number[], perBucket: number[]): MetricMeasurement<HistogramValue> {
  let c = 0;
  const buckets = bounds.map((le, i) => ({ le, count: (c += perBucket[i]!) }));
  return { kind: 'value', value: { buckets, count: c }, requestCount: c };
}

describe('judgeLatencyCompare', () => {
  const bounds = [25, 50, 100, 250, 500, 1000, INF];
  const base = {
    metric: 'latency',
    query: 'latency-histogram',
    window: '5m',
    quantile: 0.99,
    confidence: 0.98,
    tolerance: 0.06,
    minRequests: 100,
  };
  const stable = histogram(bounds, [400, 300, 200, 80, 15, 5, 0]);

  it('fails a clearly slower canary, naming p, the share slower and the p99s', () => {
    const slow = histogram(bounds, [100, 200, 300, 250, 100, 50, 0]);
    const v = judgeLatencyCompare({ ...base, canary: slow, baseline: stable });
    expect(v.outcome).toBe('fail');
    expect(v.pValue!).toBeLessThan(1e-10);
    expect(v.effectSize!).toBeGreaterThan(0.7);
    expect(v.canary.value).toBeCloseTo(900, 6);
    expect(v.baseline!.value).toBeCloseTo(250 + (250 * 10) / 15, 6);
    expect(v.explanation).toMatch(
      /^Fail: canary latency over 5m is significantly higher than the baseline's \(one-sided Mann-Whitney p = .* < 0\.02\) and a canary request is slower than a baseline request 7\d % of the time \(allowed 56 %\); p99 900 ms vs 417 ms\.$/,
    );
  });

  it('passes identical histograms', () => {
    expect(judgeLatencyCompare({ ...base, canary: stable, baseline: stable }).outcome).toBe('pass');
  });

  it('passes a tiny but significant slowdown (the effect-size guard)', () => {
    const big = (shift: number) =>
      histogram(bounds, [400_000 - shift, 300_000 + shift, 200_000, 80_000, 15_000, 5_000, 0]);
    const v = judgeLatencyCompare({ ...base, canary: big(8_000), baseline: big(0) });
    expect(v.pValue!).toBeLessThan(0.02);
    expect(v.outcome).toBe('pass');
    expect(v.explanation).toContain('but the shift is small');
  });

  it('holds below minRequests, pauses on a provider error', () => {
    expect(
      judgeLatencyCompare({ ...base, canary: histogram(bounds, [10, 5, 0, 0, 0, 0, 0]), baseline: stable })
        .outcome,
    ).toBe('no-data');
    expect(
      judgeLatencyCompare({ ...base, canary: stable, baseline: down as MetricMeasurement<HistogramValue> })
        .outcome,
    ).toBe('provider-error');
  });

  it('a faster canary never fails', () => {
    const share = fc.array(fc.nat({ max: 500 }), { minLength: 6, maxLength: 6 });
    fc.assert(
      fc.property(share, fc.nat({ max: 5 }), (per, shiftFrom) => {
        const baseline = histogram(bounds, [...per.map((n) => n + 20), 0]);
        const faster = [...per.map((n) => n + 20), 0];
        // Move everything at or above shiftFrom one bucket faster.
        for (let i = Math.max(1, shiftFrom); i < 6; i++) {
          faster[i - 1]! += faster[i]!;
          faster[i] = 0;
        }
        expect(judgeLatencyCompare({ ...base, canary: histogram(bounds, faster), baseline }).outcome).toBe(
          'pass',
        );
      }),
    );
  });
});
