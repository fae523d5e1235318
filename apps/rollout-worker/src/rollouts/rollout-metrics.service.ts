import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@heliomesh/observability';
import { Counter, Histogram } from 'prom-client';
import type { TickReport } from './engine/rollout-engine.service.js';

/** Tick lag (how late a tick started against its schedule) and tick results, on the worker's /metrics. */
@Injectable()
export class RolloutMetrics {
  readonly lag: Histogram<'phase'>;
  readonly ticks: Counter<'result'>;
  readonly stages: Histogram<'stage'>;

  constructor(metrics: ServiceMetrics) {
    this.lag = new Histogram({
      name: 'heliomesh_rollout_tick_lag_seconds',
      help: 'How late rollout ticks start against their schedule, in seconds.',
      labelNames: ['phase'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
    this.ticks = new Counter({
      name: 'heliomesh_rollout_ticks_total',
      help: 'Rollout ticks by result: advanced, or skipped as stale, finished, missing or lost to a concurrent change.',
      labelNames: ['result'] as const,
      registers: [metrics.registry],
    });
    this.stages = new Histogram({
      name: 'heliomesh_rollout_tick_stage_seconds',
      help: 'Time per tick stage: read (the row), decide (measurements, gates), commit (the transaction).',
      labelNames: ['stage'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [metrics.registry],
    });
  }

  record(report: TickReport): void {
    this.ticks.inc({ result: report.result });
    if (report.lagMs !== undefined)
      this.lag.observe({ phase: report.phase ?? 'unknown' }, report.lagMs / 1000);
    for (const [stage, ms] of Object.entries(report.stagesMs ?? {}))
      this.stages.observe({ stage }, ms / 1000);
  }
}
