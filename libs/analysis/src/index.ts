export type { HistogramValue, MetricMeasurement, RequestCounts } from './measurement.types.js';
export type {
  JudgeKind,
  MetricVerdict,
  SideSummary,
  VerdictOutcome,
  VerdictThreshold,
} from './verdict.types.js';

export {
  assessAnalysis,
  type AnalysisRun,
  type Assessment,
  type AssessOptions,
  type StepDecision,
} from './assess-analysis.util.js';

export { judgeThreshold, type ThresholdInput } from './judges/threshold.judge.js';
export { judgeErrorRateCompare, type ErrorRateCompareInput } from './judges/error-rate-compare.judge.js';
export { judgeLatencyCompare, type LatencyCompareInput } from './judges/latency-compare.judge.js';
export {
  judgeMetric,
  planMeasurement,
  type JudgeInputs,
  type MeasurementPlan,
} from './judges/judge-metric.util.js';

export {
  analysisSpecJsonSchema,
  analysisSpecSchema,
  parseAnalysisSpec,
  type AnalysisMetric,
  type AnalysisSpec,
  type AnalysisSpecInput,
} from './spec/analysis-spec.schema.js';
export {
  BUILTIN_METRICS,
  TEMPLATE_VARIABLES,
  templatePlaceholders,
  templateVariables,
  type BuiltinMetricKind,
  type TemplateContext,
  type TemplateVariable,
} from './spec/builtin-metrics.js';
export { DURATION_PATTERN, durationMs, durationSeconds } from './spec/duration.util.js';

export { fisherExactGreater, type TwoByTwo } from './statistics/fisher-exact.util.js';
export {
  alignHistograms,
  mannWhitneyHistograms,
  type Alternative,
  type CumulativeHistogram,
  type MannWhitneyResult,
} from './statistics/mann-whitney.util.js';
export { histogramQuantile } from './statistics/histogram-quantile.util.js';
export {
  erfc,
  logChoose,
  logFactorial,
  logGamma,
  normalCdf,
  normalSf,
} from './statistics/special-functions.util.js';
