export {
  combineMeasurements,
  mapMeasurement,
  measured,
  noData,
  providerError,
  type MeasuredValue,
  type Measurement,
  type ProviderError,
  type ProviderErrorCode,
} from './measurement.types.js';
export type {
  EdgeEndpointDestination,
  EdgeEndpointSource,
  EdgeStats,
  LatencyHistogram,
  MeshScope,
  MeshSelector,
  Reporter,
  ServiceStats,
  WindowSeconds,
} from './mesh-query.types.js';
export type { MetricsProvider } from './metrics-provider.types.js';

export { parsePrometheusText, MAX_REPORTED_ERRORS } from './exposition/exposition.parser.js';
export { formatSample, formatValue, printPrometheusText } from './exposition/exposition.printer.js';
export type {
  ExpositionError,
  ExpositionSample,
  MetricFamily,
  MetricType,
  ParsedExposition,
} from './exposition/exposition.types.js';

export { extrapolatedIncrease, extrapolatedRate, type RangePoints } from './compute/counter-rate.util.js';
export { histogramQuantile, parseLe, type Bucket } from './compute/histogram-quantile.util.js';

export {
  compileMatchers,
  promqlString,
  quoteRegex,
  renderSelector,
  type LabelMatcher,
  type MatchOp,
} from './promql/label-matcher.util.js';
export { DURATION, REQUESTS_TOTAL, meshPromql, selectorMatchers } from './promql/istio-queries.util.js';
export { renderPromqlTemplate, templateVariableNames } from './promql/promql-template.util.js';

export {
  PrometheusClient,
  type InstantResult,
  type InstantSample,
  type PrometheusClientOptions,
  type RangeSeries,
} from './prometheus/prometheus.client.js';
export { PrometheusMetricsProvider } from './prometheus/prometheus-metrics.provider.js';

export {
  ScrapeCollector,
  httpFetcher,
  type ScrapeCollectorOptions,
  type ScrapeFetcher,
  type ScrapeTarget,
  type TargetHealth,
} from './scrape/scrape-collector.service.js';
export { ScrapeMetricsProvider } from './scrape/scrape-metrics.provider.js';
export { SeriesWindowStore, type SeriesWindowOptions } from './scrape/series-window.store.js';

export {
  InMemoryMetricsProvider,
  type InMemoryAnswers,
  type InMemoryMethod,
  type RecordedCall,
} from './fake/in-memory-metrics.provider.js';

export {
  CollectorMetricsProvider,
  type CollectorClientOptions,
} from './collector/collector-metrics.provider.js';
export {
  SELECTOR_QUERY_METHODS,
  type CollectorErrorBody,
  type CollectorQuery,
  type CollectorQueryMethod,
  type CollectorStatus,
  type HealthEntry,
  type HealthReport,
  type HealthStatus,
  type RollupPage,
  type RollupQuery,
  type RollupRow,
  type SelectorQueryMethod,
  type ToleranceCode,
  type ToleranceResult,
  type TopologyEdge,
  type TopologyGraph,
  type TopologyNode,
  type TopologyNodeKind,
} from './collector/collector-api.types.js';
