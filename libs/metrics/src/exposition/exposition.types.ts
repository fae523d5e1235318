/** The Prometheus text exposition format (0.0.4), as parsed. */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ExpositionSample {
  /** The sample's own name, e.g. `istio_request_duration_milliseconds_bucket`. */
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carried one. */
  timestampMs?: number;
}

/** Samples grouped under their `# TYPE`: a histogram's `_bucket`, `_sum` and `_count` belong to it. */
export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: ExpositionSample[];
}

export interface ExpositionError {
  /** 1-based line number in the input. */
  line: number;
  message: string;
}

export interface ParsedExposition {
  families: MetricFamily[];
  /** The first errors found (at most `MAX_REPORTED_ERRORS`); bad lines are skipped, never fatal. */
  errors: ExpositionError[];
  /** How many errors there were in total, including those not reported. */
  errorCount: number;
  sampleCount: number;
}
