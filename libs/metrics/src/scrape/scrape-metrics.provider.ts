import { extrapolatedIncrease } from '../compute/counter-rate.util.js';
import { histogramQuantile } from '../compute/histogram-quantile.util.js';
import {
  aggregateEdges,
  aggregateServiceStats,
  bucketsOf,
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
import {
  DURATION_BUCKET,
  IS_5XX,
  REQUESTS_TOTAL,
  scopeMatchers,
  selectorMatchers,
} from '../promql/istio-queries.util.js';
import {
  compileMatchers,
  renderSelector,
  type LabelMatcher,
  type LabelPredicate,
} from '../promql/label-matcher.util.js';
import { rejectBadArguments } from '../query-guards.util.js';
import type { ScrapeCollector } from './scrape-collector.service.js';
import { SeriesWindowStore } from './series-window.store.js';

const NAME = 'scrape';
const is5xx = compileMatchers([IS_5XX]);
const BOTH_ENDS = ['source', 'destination'] as const;

/**
 * The embedded provider: answers the mesh queries from its own scrapes, with Prometheus' rate and
 * histogram_quantile rules, so the platform runs without Prometheus. It cannot run custom PromQL.
 */
export class ScrapeMetricsProvider implements MetricsProvider {
  readonly name = NAME;

  constructor(private readonly collector: ScrapeCollector) {}

  isOnline(): Promise<boolean> {
    return Promise.resolve(this.collector.unavailableReason() === undefined);
  }

  /** Per-series increases over the window ending now, for series matching any predicate. */
  private rows(
    metric: string,
    match: LabelPredicate,
    describe: string,
    window: number,
    q?: number,
  ): Measurement<IncreaseRow[]> {
    const maxWindow = Math.floor(this.collector.store.retentionMs / 1000);
    const bad = rejectBadArguments(NAME, window, q, maxWindow);
    if (bad) return bad;
    const down = this.collector.unavailableReason();
    if (down) {
      return providerError({ code: 'PROVIDER_UNREACHABLE', provider: NAME, message: down });
    }
    const to = this.collector.clock();
    const from = to - window * 1000;
    const rows: IncreaseRow[] = [];
    let samples = 0;
    for (const s of this.collector.store.seriesNamed(metric)) {
      if (!match(s.labels)) continue;
      const points = SeriesWindowStore.range(s, from, to);
      const increase = extrapolatedIncrease(points, from, to);
      if (increase === undefined) continue;
      rows.push({ labels: s.labels, increase });
      samples += points.last - points.first + 1;
    }
    if (rows.length === 0) {
      return noData(`no series ${describe} has two samples in the last ${window}s`);
    }
    return measured(rows, { samples });
  }

  private selected(metric: string, sel: MeshSelector, window: number, q?: number) {
    const matchers = selectorMatchers(sel);
    return this.rows(metric, compileMatchers(matchers), renderSelector(metric, matchers), window, q);
  }

  /**
   * Rows in a scope: `serviceStats` matches the namespace on the destination end only; edges on
   * either end (the same `or` the Prometheus provider sends).
   */
  private scoped(
    metric: string,
    scope: MeshScope,
    reporter: 'source' | 'destination',
    ends: ReadonlyArray<'source' | 'destination'>,
    window: number,
  ) {
    const sides: LabelMatcher[][] =
      scope.namespace === undefined
        ? [scopeMatchers(scope, reporter, 'destination')]
        : ends.map((end) => scopeMatchers(scope, reporter, end));
    const predicates = sides.map(compileMatchers);
    const describe = sides.map((m) => renderSelector(metric, m)).join(' or ');
    return this.rows(metric, (l) => predicates.some((p) => p(l)), describe, window);
  }

  async requestRate(sel: MeshSelector, window: number): Promise<Measurement> {
    return this.total(this.selected(REQUESTS_TOTAL, sel, window), (n) => n / window);
  }

  async requestCount(sel: MeshSelector, window: number): Promise<Measurement> {
    return this.total(this.selected(REQUESTS_TOTAL, sel, window), (n) => n);
  }

  async errorCount(sel: MeshSelector, window: number): Promise<Measurement> {
    const rows = this.selected(REQUESTS_TOTAL, sel, window);
    if (rows.kind !== 'value') return rows;
    return measured(sumRows(rows.value.filter((r) => is5xx(r.labels))), {
      requestCount: sumRows(rows.value),
      samples: rows.samples,
    });
  }

  async successRate(sel: MeshSelector, window: number): Promise<Measurement> {
    const rows = this.selected(REQUESTS_TOTAL, sel, window);
    if (rows.kind !== 'value') return rows;
    const total = sumRows(rows.value);
    if (!(total > 0)) return noData(`no requests in the last ${window}s`);
    const errors = sumRows(rows.value.filter((r) => is5xx(r.labels)));
    return measured(((total - errors) / total) * 100, {
      requestCount: total,
      samples: rows.samples,
    });
  }

  async latencyQuantile(sel: MeshSelector, q: number, window: number): Promise<Measurement> {
    const rows = this.selected(DURATION_BUCKET, sel, window, q);
    if (rows.kind !== 'value') return rows;
    const buckets = bucketsOf(rows.value);
    const value = histogramQuantile(q, buckets);
    if (!Number.isFinite(value)) return noData(`no requests in the last ${window}s`);
    return measured(value, {
      requestCount: buckets[buckets.length - 1]!.count,
      samples: rows.samples,
    });
  }

  async latencyHistogram(sel: MeshSelector, window: number): Promise<Measurement<LatencyHistogram>> {
    const rows = this.selected(DURATION_BUCKET, sel, window);
    if (rows.kind !== 'value') return rows;
    const histogram = latencyHistogramOf(rows.value);
    if (!histogram) return noData(`no requests in the last ${window}s`);
    return measured(histogram, { requestCount: histogram.count, samples: rows.samples });
  }

  async responseFlags(sel: MeshSelector, window: number): Promise<Measurement<Record<string, number>>> {
    const rows = this.selected(REQUESTS_TOTAL, sel, window);
    if (rows.kind !== 'value') return rows;
    return measured(
      { ...sumBy(rows.value, 'response_flags') },
      {
        requestCount: sumRows(rows.value),
        samples: rows.samples,
      },
    );
  }

  async serviceStats(scope: MeshScope, window: number): Promise<Measurement<ServiceStats[]>> {
    const requests = this.scoped(REQUESTS_TOTAL, scope, 'destination', ['destination'], window);
    if (requests.kind !== 'value') return requests;
    const latency = this.scoped(DURATION_BUCKET, scope, 'destination', ['destination'], window);
    if (latency.kind === 'provider-error') return latency;
    const buckets = latency.kind === 'value' ? latency.value : [];
    return measured(aggregateServiceStats(requests.value, buckets, window), {
      samples: requests.samples,
    });
  }

  async edges(scope: MeshScope, window: number): Promise<Measurement<EdgeStats[]>> {
    const source = this.scoped(REQUESTS_TOTAL, scope, 'source', BOTH_ENDS, window);
    if (source.kind === 'provider-error') return source;
    const destination = this.scoped(REQUESTS_TOTAL, scope, 'destination', BOTH_ENDS, window);
    if (destination.kind === 'provider-error') return destination;
    if (source.kind === 'no-data' && destination.kind === 'no-data') return source;
    const rows = (m: Measurement<IncreaseRow[]>) => (m.kind === 'value' ? m.value : []);
    return measured(aggregateEdges(rows(source), rows(destination), window));
  }

  runQuery(promql: string): Promise<Measurement> {
    return Promise.resolve(
      providerError({
        code: 'UNSUPPORTED',
        provider: NAME,
        query: promql,
        message:
          'unsupported: custom PromQL needs the Prometheus provider; configure a Prometheus URL or use the built-in metrics.',
      }),
    );
  }

  private total(rows: Measurement<IncreaseRow[]>, fn: (sum: number) => number): Measurement {
    if (rows.kind !== 'value') return rows;
    const sum = sumRows(rows.value);
    return measured(fn(sum), { requestCount: sum, samples: rows.samples });
  }
}
