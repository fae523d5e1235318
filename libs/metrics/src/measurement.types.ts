/**
 * The three-way answer every metrics query returns. Callers must tell apart "the mesh served no
 * matching traffic" (`no-data`: hold and wait), "we could not ask" (`provider-error`: pause and
 * alert) and a real number: Flagger and Argo Rollouts fold the first two into a failed check, which
 * rolls back healthy canaries when Prometheus blips.
 */
export type Measurement<T = number> =
  MeasuredValue<T> | { kind: 'no-data'; reason: string } | { kind: 'provider-error'; error: ProviderError };

export interface MeasuredValue<T> {
  kind: 'value';
  value: T;
  /** Requests observed in the window behind the value, when the query knows it. */
  requestCount?: number;
  /** Raw samples (data points) behind the value, when the provider knows it. */
  samples?: number;
}

export type ProviderErrorCode =
  /** Connection refused, DNS failure, reset: the backend is not there. */
  | 'PROVIDER_UNREACHABLE'
  | 'PROVIDER_TIMEOUT'
  /** The backend answered, but not with what its API promises (HTTP 5xx, bad JSON). */
  | 'PROVIDER_BAD_RESPONSE'
  /** The backend rejected the query (PromQL syntax, execution error) or it returned several series. */
  | 'QUERY_REJECTED'
  /** This provider cannot answer this kind of query at all. */
  | 'UNSUPPORTED';

export interface ProviderError {
  code: ProviderErrorCode;
  /** One sentence that says what failed and what to check. */
  message: string;
  provider: string;
  /** The query that failed, when there was one (shown to users: AR#1591 asks for it). */
  query?: string;
}

export function measured<T>(
  value: T,
  extra: { requestCount?: number; samples?: number } = {},
): MeasuredValue<T> {
  return { kind: 'value', value, ...extra };
}

export function noData(reason: string): { kind: 'no-data'; reason: string } {
  return { kind: 'no-data', reason };
}

export function providerError(error: ProviderError): {
  kind: 'provider-error';
  error: ProviderError;
} {
  return { kind: 'provider-error', error };
}

/** Applies `fn` to a value and passes `no-data` and `provider-error` through unchanged. */
export function mapMeasurement<T, U>(m: Measurement<T>, fn: (value: T) => U): Measurement<U> {
  return m.kind === 'value' ? { ...m, value: fn(m.value) } : m;
}

/**
 * Combines several measurements: any provider error wins (we could not ask), then any no-data,
 * and only when every part has a value does `fn` run.
 */
export function combineMeasurements<T extends readonly unknown[], U>(
  parts: { [K in keyof T]: Measurement<T[K]> },
  fn: (...values: T) => Measurement<U>,
): Measurement<U> {
  for (const p of parts) if (p.kind === 'provider-error') return p;
  for (const p of parts) if (p.kind === 'no-data') return p;
  const values = parts.map((p) => (p as MeasuredValue<unknown>).value) as unknown as T;
  return fn(...values);
}
