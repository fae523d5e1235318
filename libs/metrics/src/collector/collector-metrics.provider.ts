import { errorMessage } from '@heliomesh/util';
import { measured, providerError, type Measurement, type ProviderErrorCode } from '../measurement.types.js';
import type {
  EdgeStats,
  LatencyHistogram,
  MeshScope,
  MeshSelector,
  ServiceStats,
} from '../mesh-query.types.js';
import type { MetricsProvider } from '../metrics-provider.types.js';
import type {
  CollectorQuery,
  CollectorStatus,
  HealthReport,
  RollupPage,
  RollupQuery,
  TopologyGraph,
} from './collector-api.types.js';
import {
  hasArrays,
  histogramFromWire,
  isArrayOfRecords,
  isCountRecord,
  isFiniteNumber,
  isRecord,
  isWireHistogram,
  readMeasurement,
  type ValueCheck,
} from './measurement-wire.util.js';

export interface CollectorClientOptions {
  /** The collector's base URL, e.g. `http://127.0.0.1:3002` (a path prefix is kept). */
  baseUrl: string;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Injectable for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

const NAME = 'collector';

const isStatus: ValueCheck = (v) =>
  isRecord(v) && typeof v['provider'] === 'string' && typeof v['online'] === 'boolean';

/**
 * The metrics collector's HTTP API as a `MetricsProvider`, so the rollout worker judges canaries
 * through the collector exactly as through any other provider, whichever backend the collector
 * runs. Like every provider it never rejects: a collector that is down, slow or answers 5xx is a
 * `provider-error`; the collector's own `no-data` and `provider-error` answers pass through as sent.
 */
export class CollectorMetricsProvider implements MetricsProvider {
  readonly name = NAME;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: typeof fetch;

  constructor(options: CollectorClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.headers = options.headers ?? {};
    this.fetchFn = options.fetch ?? fetch;
  }

  async isOnline(): Promise<boolean> {
    const status = await this.status();
    return status.kind === 'value' && status.value.online;
  }

  /** Which provider the collector runs, whether it answers, and its scrape targets. */
  async status(): Promise<Measurement<CollectorStatus>> {
    const raw = await this.call('GET', '/v1/status');
    if (raw.kind !== 'value') return raw;
    return isStatus(raw.value)
      ? measured(raw.value as unknown as CollectorStatus)
      : this.fail('PROVIDER_BAD_RESPONSE', `${this.base}/v1/status answered with an unexpected shape.`);
  }

  requestRate(selector: MeshSelector, windowSeconds: number): Promise<Measurement> {
    return this.query({ method: 'requestRate', selector, windowSeconds }, isFiniteNumber);
  }

  requestCount(selector: MeshSelector, windowSeconds: number): Promise<Measurement> {
    return this.query({ method: 'requestCount', selector, windowSeconds }, isFiniteNumber);
  }

  errorCount(selector: MeshSelector, windowSeconds: number): Promise<Measurement> {
    return this.query({ method: 'errorCount', selector, windowSeconds }, isFiniteNumber);
  }

  successRate(selector: MeshSelector, windowSeconds: number): Promise<Measurement> {
    return this.query({ method: 'successRate', selector, windowSeconds }, isFiniteNumber);
  }

  latencyQuantile(selector: MeshSelector, q: number, windowSeconds: number): Promise<Measurement> {
    return this.query({ method: 'latencyQuantile', selector, windowSeconds, q }, isFiniteNumber);
  }

  async latencyHistogram(
    selector: MeshSelector,
    windowSeconds: number,
  ): Promise<Measurement<LatencyHistogram>> {
    const m = await this.query<Record<string, unknown>>(
      { method: 'latencyHistogram', selector, windowSeconds },
      isWireHistogram,
    );
    return m.kind === 'value'
      ? { ...m, value: histogramFromWire(m.value) as unknown as LatencyHistogram }
      : m;
  }

  responseFlags(selector: MeshSelector, windowSeconds: number): Promise<Measurement<Record<string, number>>> {
    return this.query({ method: 'responseFlags', selector, windowSeconds }, isCountRecord);
  }

  runQuery(promql: string): Promise<Measurement> {
    return this.query({ method: 'runQuery', promql }, isFiniteNumber);
  }

  serviceStats(scope: MeshScope, windowSeconds: number): Promise<Measurement<ServiceStats[]>> {
    return this.get('/v1/services', this.scopeParams(scope, windowSeconds), isArrayOfRecords);
  }

  edges(scope: MeshScope, windowSeconds: number): Promise<Measurement<EdgeStats[]>> {
    return this.get('/v1/edges', this.scopeParams(scope, windowSeconds), isArrayOfRecords);
  }

  /** Kiali-style graph: nodes, edges with rates, error share, mTLS share and health. */
  topology(scope: MeshScope, windowSeconds: number): Promise<Measurement<TopologyGraph>> {
    return this.get('/v1/topology', this.scopeParams(scope, windowSeconds), hasArrays('nodes', 'edges'));
  }

  /** Request health per service and per version, by Kiali's default tolerances. */
  health(scope: MeshScope, windowSeconds: number): Promise<Measurement<HealthReport>> {
    return this.get('/v1/health', this.scopeParams(scope, windowSeconds), hasArrays('services', 'versions'));
  }

  /** Stored one-minute rollups; `no-data` when none fall in the range. */
  rollups(query: RollupQuery): Promise<Measurement<RollupPage>> {
    const params = new URLSearchParams({ namespace: query.namespace });
    if (query.service !== undefined) params.set('service', query.service);
    if (query.version !== undefined) params.set('version', query.version);
    if (query.from !== undefined) params.set('from', new Date(query.from).toISOString());
    if (query.to !== undefined) params.set('to', new Date(query.to).toISOString());
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return this.get('/v1/rollups', params, hasArrays('items'));
  }

  private scopeParams(scope: MeshScope, windowSeconds: number): URLSearchParams {
    const params = new URLSearchParams({ window: String(windowSeconds) });
    if (scope.namespace !== undefined) params.set('namespace', scope.namespace);
    return params;
  }

  private async query<T = number>(body: CollectorQuery, isValue: ValueCheck): Promise<Measurement<T>> {
    return this.measurement(await this.call('POST', '/v1/query', body), isValue, '/v1/query');
  }

  private async get<T>(path: string, params: URLSearchParams, isValue: ValueCheck): Promise<Measurement<T>> {
    const raw = await this.call('GET', `${path}?${params.toString()}`);
    return this.measurement(raw, isValue, path);
  }

  private measurement<T>(raw: Measurement<unknown>, isValue: ValueCheck, path: string): Measurement<T> {
    if (raw.kind !== 'value') return raw;
    return (
      readMeasurement<T>(raw.value, isValue) ??
      this.fail(
        'PROVIDER_BAD_RESPONSE',
        `${this.base}${path} answered with something that is not a measurement.`,
      )
    );
  }

  /** One request; the parsed JSON body of a 2xx answer, or the provider error it amounts to. */
  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Measurement<unknown>> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(this.base + path, {
        method,
        headers: {
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...this.headers,
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        return this.fail(
          'PROVIDER_TIMEOUT',
          `The metrics collector at ${this.base} did not answer within ${this.timeoutMs} ms.`,
        );
      }
      const cause = err instanceof Error && err.cause !== undefined ? `: ${errorMessage(err.cause)}` : '';
      return this.fail(
        'PROVIDER_UNREACHABLE',
        `Cannot reach the metrics collector at ${this.base} (${errorMessage(err)}${cause}); check the URL and that the collector is running.`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok && json !== undefined) return measured(json);
    return this.failure(res.status, json, path);
  }

  private failure(status: number, json: unknown, path: string): Measurement<never> {
    const error = isRecord(json) && isRecord(json['error']) ? json['error'] : undefined;
    const detail =
      typeof error?.['message'] === 'string'
        ? ` (${error['code']} at ${error['path']}: ${error['message']})`
        : '';
    if (status >= 400 && status < 500 && detail) {
      return this.fail('QUERY_REJECTED', `The metrics collector rejected the request${detail}.`);
    }
    if (status === 503) {
      return this.fail(
        'PROVIDER_UNREACHABLE',
        `The metrics collector at ${this.base} is unavailable (HTTP 503${detail}); it may be starting or shutting down.`,
      );
    }
    return this.fail(
      'PROVIDER_BAD_RESPONSE',
      `The metrics collector at ${this.base}${path} answered HTTP ${status}${detail || ' without a JSON body'}; check that the URL points at the collector.`,
    );
  }

  private fail(code: ProviderErrorCode, message: string): Measurement<never> {
    return providerError({ code, provider: NAME, message });
  }
}
