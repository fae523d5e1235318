import { assertUnreachable } from '@heliomesh/util';
import type { HistogramValue, MetricMeasurement, RequestCounts } from '../measurement.types.js';
import type { AnalysisMetric, AnalysisSpec } from '../spec/analysis-spec.schema.js';
import { BUILTIN_METRICS } from '../spec/builtin-metrics.js';
import { durationSeconds } from '../spec/duration.util.js';
import type { MetricVerdict } from '../verdict.types.js';
import { judgeErrorRateCompare } from './error-rate-compare.judge.js';
import { judgeLatencyCompare } from './latency-compare.judge.js';
import { judgeThreshold } from './threshold.judge.js';

/**
 * What the engine must measure for one metric, and over which window. The engine maps each kind
 * to provider calls (see the README's table) and hands the answers to `judgeMetric`.
 */
export type MeasurementPlan = { window: string; windowSeconds: number; minRequests: number } & (
  | {
      kind: 'scalar';
      /** The canary's value: success rate (%), a latency quantile (ms) or a custom template. */
      source:
        | { kind: 'success-rate' }
        | { kind: 'latency-quantile'; quantile: number }
        | { kind: 'custom'; template: string };
      /** The value does not carry a request count: measure the canary's requests too. */
      needsRequestCount: boolean;
    }
  | { kind: 'request-counts' }
  | { kind: 'latency-histogram'; quantile: number }
);

/** The answers for a plan, tagged with the same kind. `query` is the resolved PromQL or a name. */
export type JudgeInputs =
  | { kind: 'scalar'; query: string; canary: MetricMeasurement; requestCount?: MetricMeasurement }
  | { kind: 'request-counts'; query: string; canary: RequestCounts; baseline: RequestCounts }
  | {
      kind: 'latency-histogram';
      query: string;
      canary: MetricMeasurement<HistogramValue>;
      baseline: MetricMeasurement<HistogramValue>;
    };

function windowOf(spec: AnalysisSpec, m: AnalysisMetric): string {
  return m.window ?? spec.window ?? spec.interval;
}

export function planMeasurement(spec: AnalysisSpec, m: AnalysisMetric): MeasurementPlan {
  const window = windowOf(spec, m);
  const common = {
    window,
    windowSeconds: durationSeconds(window)!,
    minRequests: m.minRequests ?? spec.minRequests,
  };
  switch (m.kind) {
    case 'request-success-rate':
      return m.judge.type === 'compare'
        ? { ...common, kind: 'request-counts' }
        : { ...common, kind: 'scalar', source: { kind: 'success-rate' }, needsRequestCount: false };
    case 'request-duration':
      return m.judge.type === 'compare'
        ? { ...common, kind: 'latency-histogram', quantile: m.quantile }
        : {
            ...common,
            kind: 'scalar',
            source: { kind: 'latency-quantile', quantile: m.quantile },
            needsRequestCount: false,
          };
    case 'custom':
      return {
        ...common,
        kind: 'scalar',
        source: { kind: 'custom', template: m.query },
        needsRequestCount: common.minRequests > 0,
      };
    default:
      return assertUnreachable(m, 'metric kind');
  }
}

function quantileLabel(q: number): string {
  return `p${String(Math.round(q * 1000) / 10)} latency`;
}

function mismatch(plan: MeasurementPlan, inputs: JudgeInputs): never {
  throw new Error(`judgeMetric: the plan needs "${plan.kind}" inputs, got "${inputs.kind}"`);
}

/** Judges one metric of one analysis run from the measurements its plan asked for. */
export function judgeMetric(spec: AnalysisSpec, m: AnalysisMetric, inputs: JudgeInputs): MetricVerdict {
  const plan = planMeasurement(spec, m);
  const { window, minRequests } = plan;
  const base = { metric: m.name, query: inputs.query, window, minRequests };
  if (m.judge.type === 'threshold') {
    if (inputs.kind !== 'scalar') return mismatch(plan, inputs);
    const { min, max } = m.judge;
    const shape =
      m.kind === 'request-success-rate'
        ? { unit: '%', label: 'success rate' }
        : m.kind === 'request-duration'
          ? { unit: 'ms', label: quantileLabel(m.quantile) }
          : { unit: m.unit, label: m.name };
    return judgeThreshold({
      ...base,
      ...shape,
      canary: inputs.canary,
      ...(inputs.requestCount ? { requestCount: inputs.requestCount } : {}),
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
    });
  }
  const { confidence } = m.judge;
  switch (m.kind) {
    case 'request-success-rate':
      if (inputs.kind !== 'request-counts') return mismatch(plan, inputs);
      return judgeErrorRateCompare({
        ...base,
        confidence,
        tolerance: m.judge.tolerance ?? BUILTIN_METRICS['request-success-rate'].defaultTolerance,
        canary: inputs.canary,
        baseline: inputs.baseline,
      });
    case 'request-duration':
      if (inputs.kind !== 'latency-histogram') return mismatch(plan, inputs);
      return judgeLatencyCompare({
        ...base,
        confidence,
        quantile: m.quantile,
        tolerance: m.judge.tolerance ?? BUILTIN_METRICS['request-duration'].defaultTolerance,
        canary: inputs.canary,
        baseline: inputs.baseline,
      });
    case 'custom':
      throw new Error('judgeMetric: custom metrics have only the threshold judge');
    default:
      return assertUnreachable(m, 'metric kind');
  }
}
