/**
 * What a judge is given: the same three-way shape `@heliomesh/metrics` returns (this lib may not
 * import it, so the shape is repeated and kept structurally compatible: a metrics `Measurement`
 * can be passed as is).
 */
export type MetricMeasurement<T = number> =
  | { kind: 'value'; value: T; requestCount?: number; samples?: number }
  | { kind: 'no-data'; reason: string }
  | { kind: 'provider-error'; error: { code?: string; message: string; query?: string } };

/** A latency histogram over the window (cumulative counts, `le` ascending, ending at `+Inf`). */
export interface HistogramValue {
  buckets: ReadonlyArray<{ le: number; count: number }>;
  count: number;
}

/** Requests and 5xx responses of one side over the window. */
export interface RequestCounts {
  requests: MetricMeasurement;
  errors: MetricMeasurement;
}
