import type { MetricMeasurement } from '../measurement.types.js';
import type { MetricVerdict } from '../verdict.types.js';
import { firstProblem, formatCount, formatValue, tooFewRequests } from './explain.util.js';

export interface ThresholdInput {
  metric: string;
  /** The resolved PromQL or the built-in query's name. */
  query: string;
  window: string;
  /** `%`, `ms` or a custom unit (may be empty). */
  unit: string;
  /** What the value is, for sentences: `success rate`, `p99 latency`, a custom metric's name. */
  label: string;
  canary: MetricMeasurement;
  /** Requests in the window when `canary` does not carry `requestCount` (custom queries). */
  requestCount?: MetricMeasurement;
  min?: number;
  max?: number;
  /** Below this many canary requests the result is `no-data` (hold), never a failure. */
  minRequests: number;
}

function rangeText(min: number | undefined, max: number | undefined, unit: string): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`min ${formatValue(min, unit)}`);
  if (max !== undefined) parts.push(`max ${formatValue(max, unit)}`);
  return parts.join(', ');
}

/** Flagger's thresholdRange: the canary's value alone against a min and/or max. */
export function judgeThreshold(input: ThresholdInput): MetricVerdict {
  const { metric, query, window, unit, label, canary, min, max, minRequests } = input;
  const base = {
    metric,
    judge: 'threshold' as const,
    window,
    query,
    threshold: {
      kind: 'range' as const,
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
      unit,
    },
  };
  const what = `the canary's ${label}`;
  const parts: Array<[MetricMeasurement<unknown>, string]> = [[canary, what]];
  if (input.requestCount) parts.push([input.requestCount, `${what} request count`]);
  const problem = firstProblem(parts, window);
  const requests =
    canary.kind === 'value' && canary.requestCount !== undefined
      ? canary.requestCount
      : input.requestCount?.kind === 'value'
        ? input.requestCount.value
        : undefined;
  const summary = {
    value: canary.kind === 'value' && !Number.isNaN(canary.value) ? canary.value : null,
    samples: requests ?? null,
  };
  if (problem) return { ...base, canary: summary, ...problem };
  if (canary.kind !== 'value') throw new Error('unreachable: firstProblem handles non-values');
  if (minRequests > 0 && requests === undefined) {
    return {
      ...base,
      canary: summary,
      outcome: 'no-data',
      explanation: `The request count behind ${what} is unknown, so the minimum of ${formatCount(minRequests)} requests cannot be checked; the step holds.`,
    };
  }
  if (requests !== undefined && requests < minRequests) {
    return {
      ...base,
      canary: summary,
      outcome: 'no-data',
      explanation: tooFewRequests('canary', requests, minRequests, window),
    };
  }
  if (Number.isNaN(canary.value)) {
    return {
      ...base,
      canary: summary,
      outcome: 'no-data',
      explanation: `The canary's ${label} is undefined (NaN) over ${window}; the step holds.`,
    };
  }
  const shown = `Canary ${label} ${formatValue(canary.value, unit)} over ${window}${requests === undefined ? '' : ` (${formatCount(requests)} requests)`}`;
  if (min !== undefined && canary.value < min) {
    return {
      ...base,
      canary: summary,
      outcome: 'fail',
      explanation: `${shown} is below the minimum of ${formatValue(min, unit)}.`,
    };
  }
  if (max !== undefined && canary.value > max) {
    return {
      ...base,
      canary: summary,
      outcome: 'fail',
      explanation: `${shown} is above the maximum of ${formatValue(max, unit)}.`,
    };
  }
  return {
    ...base,
    canary: summary,
    outcome: 'pass',
    explanation: `${shown} is within the threshold (${rangeText(min, max, unit)}).`,
  };
}
