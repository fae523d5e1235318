import type { RequestCounts } from '../measurement.types.js';
import { fisherExactGreater } from '../statistics/fisher-exact.util.js';
import type { MetricVerdict, SideSummary } from '../verdict.types.js';
import { firstProblem, formatCount, formatP, formatValue, tooFewRequests } from './explain.util.js';

export interface ErrorRateCompareInput {
  metric: string;
  query: string;
  window: string;
  canary: RequestCounts;
  baseline: RequestCounts;
  /** Fail only when p < 1 - confidence ... */
  confidence: number;
  /** ... and the canary's error rate exceeds the baseline's by more than this many percentage points. */
  tolerance: number;
  minRequests: number;
}

interface Counts {
  requests: number;
  errors: number;
}

/** Counts from Prometheus' `increase` are extrapolated: round them to whole requests. */
function countsOf(c: RequestCounts): Counts {
  const requests = Math.max(0, Math.round(c.requests.kind === 'value' ? c.requests.value : 0));
  const errors = Math.min(requests, Math.max(0, Math.round(c.errors.kind === 'value' ? c.errors.value : 0)));
  return { requests, errors };
}

const errorRate = (c: Counts) => (c.requests > 0 ? (c.errors / c.requests) * 100 : 0);
const side = (c: Counts): SideSummary => ({ value: 100 - errorRate(c), samples: c.requests });
const describe = (c: Counts) =>
  `${formatValue(errorRate(c), '%')} (${formatCount(c.errors)} of ${formatCount(c.requests)})`;

/**
 * Canary against baseline on 5xx counts over the same window, by a one-sided Fisher exact test
 * (exact for rare errors, where Kayenta's rank test passes a canary with errors against a clean
 * baseline: spinnaker#5622). The verdict's values are success rates, like request-success-rate.
 */
export function judgeErrorRateCompare(input: ErrorRateCompareInput): MetricVerdict {
  const { metric, query, window, confidence, tolerance, minRequests } = input;
  const alpha = 1 - confidence;
  const base = {
    metric,
    judge: 'compare' as const,
    window,
    query,
    threshold: { kind: 'compare' as const, test: 'fisher-exact' as const, confidence, tolerance, unit: '%' },
  };
  const problem = firstProblem(
    [
      [input.canary.requests, "the canary's request count"],
      [input.canary.errors, "the canary's error count"],
      [input.baseline.requests, "the baseline's request count"],
      [input.baseline.errors, "the baseline's error count"],
    ],
    window,
  );
  const canary = countsOf(input.canary);
  const baseline = countsOf(input.baseline);
  const sides = { canary: side(canary), baseline: side(baseline) };
  if (problem) return { ...base, ...sides, ...problem };
  for (const [who, c] of [
    ['canary', canary],
    ['baseline', baseline],
  ] as const) {
    if (c.requests < minRequests || c.requests === 0) {
      return {
        ...base,
        ...sides,
        outcome: 'no-data',
        explanation: tooFewRequests(who, c.requests, Math.max(1, minRequests), window),
      };
    }
  }
  const pValue = fisherExactGreater({
    canaryErrors: canary.errors,
    canaryTotal: canary.requests,
    baselineErrors: baseline.errors,
    baselineTotal: baseline.requests,
  });
  const effectSize = errorRate(canary) - errorRate(baseline);
  const stats = { ...base, ...sides, pValue, effectSize };
  const rates = `canary error rate ${describe(canary)} vs baseline ${describe(baseline)} over ${window}`;
  if (pValue >= alpha) {
    return {
      ...stats,
      outcome: 'pass',
      explanation: `Pass: the ${rates} is not significantly higher (one-sided Fisher exact p = ${formatP(pValue)}, needs < ${formatP(alpha)}).`,
    };
  }
  if (effectSize <= tolerance) {
    return {
      ...stats,
      outcome: 'pass',
      explanation: `Pass: the ${rates} is significantly higher (p = ${formatP(pValue)}), but the increase of ${formatValue(effectSize, 'points')} is within the ${formatValue(tolerance, 'points')} allowed.`,
    };
  }
  return {
    ...stats,
    outcome: 'fail',
    explanation: `Fail: the ${rates} is significantly higher (one-sided Fisher exact p = ${formatP(pValue)} < ${formatP(alpha)}), an increase of ${formatValue(effectSize, 'points')}, above the ${formatValue(tolerance, 'points')} allowed.`,
  };
}
