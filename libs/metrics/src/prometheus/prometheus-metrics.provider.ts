import {
  aggregateEdges,
  aggregateServiceStats,
  latencyHistogramOf,
  sumBy,
  sumRows,
  type IncreaseRow,
} from '../compute/mesh-aggregate.util.js';
import { measured, noData, providerError, type Measurement } from '../measurement.types.js';
import type {
  EdgeStats,
  LatencyHistogram,
  MeshScope,
  MeshSelector,
  ServiceStats,
} from '../mesh-query.types.js';
import type { MetricsProvider } from '../metrics-provider.types.js';
import { meshPromql } from '../promql/istio-queries.util.js';
import { rejectBadArguments } from '../query-guards.util.js';
import { PrometheusClient, type PrometheusClientOptions } from './prometheus.client.js';

const NAME = 'prometheus';

/**
 * The production provider: sends Flagger's and Kiali's PromQL (see `meshPromql`) to Prometheus.
 * Ratio and quantile answers of NaN (0/0: no requests) come back as `no-data`.
 */
export class PrometheusMetricsProvider implements MetricsProvider {
  readonly name = NAME;
  readonly client: PrometheusClient;

  constructor(client: PrometheusClient | PrometheusClientOptions) {
    this.client = client instanceof PrometheusClient ? client : new PrometheusClient(client);
  }

  isOnline(): Promise<boolean> {
    return this.client.isOnline();
  }

  /** Runs a query that must give one number: a scalar or a vector of at most one series. */
  async runQuery(promql: string): Promise<Measurement> {
    const r = await this.client.query(promql);
    if (r.kind !== 'value') return r;
    let value: number;
    if (r.value.resultType === 'scalar') {
      value = r.value.value;
    } else {
      const { samples } = r.value;
      if (samples.length === 0) return noData('the query matched no series');
      if (samples.length > 1) {
        return providerError({
          code: 'QUERY_REJECTED',
          provider: NAME,
          query: promql,
          message: `The query returned ${samples.length} series; a metric must return one value (aggregate it, e.g. sum(...)).`,
        });
      }
      value = samples[0]!.value;
    }
    if (Number.isNaN(value)) return noData('the query returned NaN (0/0: no requests in the window)');
    if (!Number.isFinite(value)) return noData(`the query returned ${value} (a division by zero)`);
    return measured(value, { samples: 1 });
  }

  /** A grouped query's answer as rows, `no-data` when it matched nothing. */
  private async rows(promql: string): Promise<Measurement<IncreaseRow[]>> {
    const r = await this.client.query(promql);
    if (r.kind !== 'value') return r;
    if (r.value.resultType !== 'vector') {
      return providerError({
        code: 'PROVIDER_BAD_RESPONSE',
        provider: NAME,
        query: promql,
        message: 'Prometheus answered a vector query with a scalar.',
      });
    }
    const rows = r.value.samples
      .filter((s) => !Number.isNaN(s.value))
      .map((s) => ({ labels: s.metric, increase: s.value }));
    return rows.length ? measured(rows, { samples: rows.length }) : noData('the query matched no series');
  }

  /** A value query plus the request count behind it, run together. */
  private async withCount(valueQuery: string, countQuery: string, noRequests: string): Promise<Measurement> {
    const [value, count] = await Promise.all([this.runQuery(valueQuery), this.runQuery(countQuery)]);
    if (value.kind === 'provider-error') return value;
    if (count.kind === 'provider-error') return count;
    // Series exist (there is a count) but the ratio is NaN: 0/0, the window saw no requests.
    if (value.kind === 'no-data') return count.kind === 'value' ? noData(noRequests) : value;
    if (count.kind === 'no-data') return count;
    return measured(value.value, { requestCount: count.value, samples: value.samples });
  }

  async requestRate(sel: MeshSelector, window: number): Promise<Measurement> {
    return rejectBadArguments(NAME, window) ?? this.runQuery(meshPromql.requestRate(sel, window));
  }

  async requestCount(sel: MeshSelector, window: number): Promise<Measurement> {
    return rejectBadArguments(NAME, window) ?? this.runQuery(meshPromql.requestCount(sel, window));
  }

  async errorCount(sel: MeshSelector, window: number): Promise<Measurement> {
    return rejectBadArguments(NAME, window) ?? this.runQuery(meshPromql.errorCount(sel, window));
  }

  async successRate(sel: MeshSelector, window: number): Promise<Measurement> {
    return (
      rejectBadArguments(NAME, window) ??
      this.withCount(
        meshPromql.successRate(sel, window),
        meshPromql.requestCount(sel, window),
        `no requests in the last ${window}s`,
      )
    );
  }

  async latencyQuantile(sel: MeshSelector, q: number, window: number): Promise<Measurement> {
    return (
      rejectBadArguments(NAME, window, q) ??
      this.withCount(
        meshPromql.latencyQuantile(sel, q, window),
        meshPromql.latencyCount(sel, window),
        `no requests in the last ${window}s`,
      )
    );
  }

  async latencyHistogram(sel: MeshSelector, window: number): Promise<Measurement<LatencyHistogram>> {
    const bad = rejectBadArguments(NAME, window);
    if (bad) return bad;
    const rows = await this.rows(meshPromql.latencyHistogram(sel, window));
    if (rows.kind !== 'value') return rows;
    const histogram = latencyHistogramOf(rows.value);
    if (!histogram) return noData(`no requests in the last ${window}s`);
    return measured(histogram, { requestCount: histogram.count, samples: rows.samples });
  }

  async responseFlags(sel: MeshSelector, window: number): Promise<Measurement<Record<string, number>>> {
    const bad = rejectBadArguments(NAME, window);
    if (bad) return bad;
    const rows = await this.rows(meshPromql.responseFlags(sel, window));
    if (rows.kind !== 'value') return rows;
    return measured({ ...sumBy(rows.value, 'response_flags') }, { requestCount: sumRows(rows.value) });
  }

  async serviceStats(scope: MeshScope, window: number): Promise<Measurement<ServiceStats[]>> {
    const bad = rejectBadArguments(NAME, window);
    if (bad) return bad;
    const [requests, latency] = await Promise.all([
      this.rows(meshPromql.serviceRequests(scope, window)),
      this.rows(meshPromql.serviceLatency(scope, window)),
    ]);
    if (requests.kind !== 'value') return requests;
    if (latency.kind === 'provider-error') return latency;
    const buckets = latency.kind === 'value' ? latency.value : [];
    return measured(aggregateServiceStats(requests.value, buckets, window));
  }

  async edges(scope: MeshScope, window: number): Promise<Measurement<EdgeStats[]>> {
    const bad = rejectBadArguments(NAME, window);
    if (bad) return bad;
    const [source, destination] = await Promise.all([
      this.rows(meshPromql.edgeRequests(scope, 'source', window)),
      this.rows(meshPromql.edgeRequests(scope, 'destination', window)),
    ]);
    if (source.kind === 'provider-error') return source;
    if (destination.kind === 'provider-error') return destination;
    if (source.kind === 'no-data' && destination.kind === 'no-data') return source;
    const rows = (m: Measurement<IncreaseRow[]>) => (m.kind === 'value' ? m.value : []);
    return measured(aggregateEdges(rows(source), rows(destination), window));
  }
}
