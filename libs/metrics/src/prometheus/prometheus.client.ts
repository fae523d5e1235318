import { errorMessage } from '@heliomesh/util';
import { parseValue } from '../exposition/exposition-lexer.util.js';
import { measured, providerError, type Measurement, type ProviderErrorCode } from '../measurement.types.js';

export interface PrometheusClientOptions {
  /** e.g. `http://prometheus.istio-system:9090` (a path prefix is kept). */
  baseUrl: string;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** Extra headers, e.g. `authorization`. */
  headers?: Record<string, string>;
  /** Injectable for tests of error handling; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

export interface InstantSample {
  metric: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  /** `[unix seconds, value]` pairs. */
  values: Array<[number, number]>;
}

/** An instant query's answer: a vector (possibly empty) or a scalar. */
export type InstantResult =
  { resultType: 'vector'; samples: InstantSample[] } | { resultType: 'scalar'; value: number };

interface ApiEnvelope {
  status?: unknown;
  data?: { resultType?: unknown; result?: unknown };
  errorType?: unknown;
  error?: unknown;
}

const PROVIDER = 'prometheus';

function fail(code: ProviderErrorCode, message: string, query?: string) {
  return providerError({ code, provider: PROVIDER, message, ...(query === undefined ? {} : { query }) });
}

function toNumber(raw: unknown): number {
  return typeof raw === 'string' ? (parseValue(raw) ?? Number.NaN) : Number.NaN;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseInstant(data: ApiEnvelope['data']): InstantResult | undefined {
  if (data?.resultType === 'scalar' && Array.isArray(data.result)) {
    return { resultType: 'scalar', value: toNumber(data.result[1]) };
  }
  if (data?.resultType !== 'vector' || !Array.isArray(data.result)) return undefined;
  const samples: InstantSample[] = [];
  for (const item of data.result as unknown[]) {
    if (!isRecord(item) || !isRecord(item['metric']) || !Array.isArray(item['value'])) {
      return undefined;
    }
    samples.push({
      metric: item['metric'] as Record<string, string>,
      value: toNumber((item['value'] as unknown[])[1]),
    });
  }
  return { resultType: 'vector', samples };
}

function parseMatrix(data: ApiEnvelope['data']): RangeSeries[] | undefined {
  if (data?.resultType !== 'matrix' || !Array.isArray(data.result)) return undefined;
  const out: RangeSeries[] = [];
  for (const item of data.result as unknown[]) {
    if (!isRecord(item) || !isRecord(item['metric']) || !Array.isArray(item['values'])) {
      return undefined;
    }
    const values = (item['values'] as unknown[]).map(
      (p) => [Number((p as unknown[])[0]), toNumber((p as unknown[])[1])] as [number, number],
    );
    out.push({ metric: item['metric'] as Record<string, string>, values });
  }
  return out;
}

/**
 * The Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`): Flagger's provider half.
 * Never rejects; every failure is a `provider-error` that says what went wrong and where.
 */
export class PrometheusClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: typeof fetch;

  constructor(options: PrometheusClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.headers = options.headers ?? {};
    this.fetchFn = options.fetch ?? fetch;
  }

  /** Instant query at `timeSeconds` (default: Prometheus' now). */
  async query(promql: string, timeSeconds?: number): Promise<Measurement<InstantResult>> {
    const form = new URLSearchParams({ query: promql });
    if (timeSeconds !== undefined) form.set('time', String(timeSeconds));
    const body = await this.post('/api/v1/query', form, promql);
    if (body.kind !== 'value') return body;
    const result = parseInstant(body.value.data);
    return result
      ? measured(result)
      : fail(
          'PROVIDER_BAD_RESPONSE',
          'Prometheus answered an instant query with an unexpected shape.',
          promql,
        );
  }

  async queryRange(
    promql: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
  ): Promise<Measurement<RangeSeries[]>> {
    const form = new URLSearchParams({
      query: promql,
      start: String(startSeconds),
      end: String(endSeconds),
      step: String(stepSeconds),
    });
    const body = await this.post('/api/v1/query_range', form, promql);
    if (body.kind !== 'value') return body;
    const result = parseMatrix(body.value.data);
    return result
      ? measured(result)
      : fail('PROVIDER_BAD_RESPONSE', 'Prometheus answered a range query with an unexpected shape.', promql);
  }

  /** Whether Prometheus evaluates `vector(1)` right now (Flagger's IsOnline). */
  async isOnline(): Promise<boolean> {
    const r = await this.query('vector(1)');
    return r.kind === 'value' && r.value.resultType === 'vector' && r.value.samples[0]?.value === 1;
  }

  private async post(path: string, form: URLSearchParams, promql: string): Promise<Measurement<ApiEnvelope>> {
    const url = this.base + path;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.headers },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        return fail(
          'PROVIDER_TIMEOUT',
          `Prometheus at ${this.base} did not answer within ${this.timeoutMs} ms.`,
          promql,
        );
      }
      const cause = err instanceof Error && err.cause !== undefined ? `: ${errorMessage(err.cause)}` : '';
      return fail(
        'PROVIDER_UNREACHABLE',
        `Cannot reach Prometheus at ${this.base} (${errorMessage(err)}${cause}); check the URL and that Prometheus is running.`,
        promql,
      );
    }
    let body: ApiEnvelope | undefined;
    try {
      body = JSON.parse(text) as ApiEnvelope;
    } catch {
      body = undefined;
    }
    if (isRecord(body) && body.status === 'success') return measured(body);
    if (isRecord(body) && body.status === 'error') {
      const detail = `${String(body.errorType)}: ${String(body.error)}`;
      if (body.errorType === 'timeout' || body.errorType === 'canceled') {
        return fail('PROVIDER_TIMEOUT', `Prometheus gave up on the query (${detail}).`, promql);
      }
      if (res.status === 400 || res.status === 422) {
        return fail('QUERY_REJECTED', `Prometheus rejected the query (${detail}).`, promql);
      }
      return fail('PROVIDER_BAD_RESPONSE', `Prometheus failed with HTTP ${res.status} (${detail}).`, promql);
    }
    return fail(
      'PROVIDER_BAD_RESPONSE',
      `Prometheus at ${url} answered HTTP ${res.status} without an API response; check that the URL points at Prometheus.`,
      promql,
    );
  }
}
