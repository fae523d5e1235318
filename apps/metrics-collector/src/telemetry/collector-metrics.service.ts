import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@heliomesh/observability';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The collector's own health in its /metrics: scrapes, the window's size, rollup writes. */
@Injectable()
export class CollectorMetrics {
  readonly scrapeDuration: Histogram;
  readonly scrapes: Counter<'target' | 'outcome'>;
  readonly windowSeries: Gauge;
  readonly rollupRows: Counter;
  readonly rollupRuns: Counter<'outcome'>;
  readonly rollupDuration: Histogram;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.scrapeDuration = new Histogram({
      name: 'heliomesh_collector_scrape_duration_seconds',
      help: 'Time of one scrape pass over every target (fetch, parse, window update), in seconds.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.scrapes = new Counter({
      name: 'heliomesh_collector_scrapes_total',
      help: 'Scrapes by target and outcome (success or failure).',
      labelNames: ['target', 'outcome'],
      registers,
    });
    this.windowSeries = new Gauge({
      name: 'heliomesh_collector_window_series',
      help: 'Series held in the scrape window.',
      registers,
    });
    this.rollupRows = new Counter({
      name: 'heliomesh_collector_rollup_rows_total',
      help: 'One-minute rollup rows written (upserted) to Postgres.',
      registers,
    });
    this.rollupRuns = new Counter({
      name: 'heliomesh_collector_rollup_runs_total',
      help: 'Rollup minutes by outcome: written, no-data, provider-error or failed.',
      labelNames: ['outcome'],
      registers,
    });
    this.rollupDuration = new Histogram({
      name: 'heliomesh_collector_rollup_duration_seconds',
      help: 'Time to compute and store one minute of rollups, in seconds.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }
}
