import type { HistogramValue, MetricMeasurement } from '../measurement.types.js';
import { histogramQuantile } from '../statistics/histogram-quantile.util.js';
import { mannWhitneyHistograms } from '../statistics/mann-whitney.util.js';
import type { MetricVerdict, SideSummary } from '../verdict.types.js';
import { firstProblem, formatP, formatShare, formatValue, tooFewRequests } from './explain.util.js';

export interface LatencyCompareInput {
  metric: string;
  query: string;
  window: string;
  /** The quantile shown as each side's value (e.g. 0.99); the test itself uses every bucket. */
  quantile: number;
  canary: MetricMeasurement<HistogramValue>;
  baseline: MetricMeasurement<HistogramValue>;
  /** Fail only when p < 1 - confidence ... */
  confidence: number;
  /** ... and P(canary request slower than a baseline one) exceeds 0.5 by more than this. */
  tolerance: number;
  minRequests: number;
}

function summary(m: MetricMeasurement<HistogramValue>, q: number): SideSummary {
  if (m.kind !== 'value') return { value: null, samples: null };
  const v = histogramQuantile(q, m.value.buckets);
  return { value: Number.isFinite(v) ? v : null, samples: m.value.count };
}

/**
 * Canary against baseline latency over the same window: a one-sided Mann-Whitney U test on the
 * histograms' buckets, failing only when the shift is both significant and larger than the
 * tolerance (Kayenta's effect-size guard, so a tiny but significant slowdown passes).
 */
export function judgeLatencyCompare(input: LatencyCompareInput): MetricVerdict {
  const { metric, query, window, quantile, confidence, tolerance, minRequests } = input;
  const alpha = 1 - confidence;
  const base = {
    metric,
    judge: 'compare' as const,
    window,
    query,
    threshold: { kind: 'compare' as const, test: 'mann-whitney' as const, confidence, tolerance, unit: 'ms' },
  };
  const sides = { canary: summary(input.canary, quantile), baseline: summary(input.baseline, quantile) };
  const problem = firstProblem(
    [
      [input.canary, "the canary's latency histogram"],
      [input.baseline, "the baseline's latency histogram"],
    ],
    window,
  );
  if (problem) return { ...base, ...sides, ...problem };
  const canary = (input.canary as { value: HistogramValue }).value;
  const baseline = (input.baseline as { value: HistogramValue }).value;
  for (const [who, h] of [
    ['canary', canary],
    ['baseline', baseline],
  ] as const) {
    if (h.count < minRequests || !(h.count > 0)) {
      return {
        ...base,
        ...sides,
        outcome: 'no-data',
        explanation: tooFewRequests(who, h.count, Math.max(1, minRequests), window),
      };
    }
  }
  let test;
  try {
    test = mannWhitneyHistograms(canary, baseline, 'greater');
  } catch {
    return {
      ...base,
      ...sides,
      outcome: 'no-data',
      explanation: `The canary and baseline histograms share no bucket with observations in ${window}; the step holds.`,
    };
  }
  const slower = test.probabilityOfSuperiority;
  const stats = { ...base, ...sides, pValue: test.pValue, effectSize: slower };
  const pct = `p${String(Math.round(quantile * 1000) / 10).replace(/\.0$/, '')}`;
  const quantiles =
    sides.canary.value !== null && sides.baseline.value !== null
      ? `; ${pct} ${formatValue(sides.canary.value, 'ms')} vs ${formatValue(sides.baseline.value, 'ms')}`
      : '';
  const share = `a canary request is slower than a baseline request ${formatShare(slower)} of the time (allowed ${formatShare(0.5 + tolerance)})`;
  if (test.pValue >= alpha) {
    return {
      ...stats,
      outcome: 'pass',
      explanation: `Pass: canary latency over ${window} is not significantly higher than the baseline's (one-sided Mann-Whitney p = ${formatP(test.pValue)}, needs < ${formatP(alpha)})${quantiles}.`,
    };
  }
  if (slower - 0.5 <= tolerance) {
    return {
      ...stats,
      outcome: 'pass',
      explanation: `Pass: canary latency over ${window} is significantly higher (p = ${formatP(test.pValue)}) but the shift is small: ${share}${quantiles}.`,
    };
  }
  return {
    ...stats,
    outcome: 'fail',
    explanation: `Fail: canary latency over ${window} is significantly higher than the baseline's (one-sided Mann-Whitney p = ${formatP(test.pValue)} < ${formatP(alpha)}) and ${share}${quantiles}.`,
  };
}
