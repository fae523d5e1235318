import { Inject, Injectable } from '@nestjs/common';
import {
  measured,
  noData,
  providerError,
  type HealthReport,
  type HealthStatus,
  type Measurement,
  type RollupPage,
  type RollupRow,
  type ServiceStats,
} from '@heliomesh/metrics';
import { errorMessage } from '@heliomesh/util';
import { COLLECTOR_CONFIG, type CollectorConfig } from '../config.js';
import { healthReport } from '../mesh/health-report.util.js';
import { CollectorMetrics } from '../telemetry/collector-metrics.service.js';
import { METRICS_BACKEND, type MetricsBackend } from '../telemetry/metrics-backend.factory.js';
import { REQUESTS, SERVICE_CODE_LABELS } from '../telemetry/traffic-breakdown.types.js';
import { RollupRepository, type RollupFilter } from './rollup.repository.js';
import { dayStart, daysToPrepare, isExpired, minuteStart } from './rollup-time.util.js';
import { PARTITIONS_AHEAD_DAYS, ROLLUP_WINDOW_SECONDS, type RollupOutcome } from './rollup.types.js';

function rowOf(s: ServiceStats, minute: string, provider: string, health: HealthStatus): RollupRow {
  return {
    minute,
    namespace: s.namespace,
    service: s.service,
    version: s.version,
    provider,
    windowSeconds: ROLLUP_WINDOW_SECONDS,
    requestCount: s.requestCount,
    errorCount: s.errorCount,
    requestRate: s.requestRate,
    successRate: s.successRate,
    latencyMs: { ...s.latencyMs },
    responseFlags: { ...s.responseFlags },
    mtlsShare: s.mtlsShare,
    health,
  };
}

function versionHealth(report: HealthReport): (s: ServiceStats) => HealthStatus {
  const byKey = new Map(report.versions.map((v) => [`${v.namespace}/${v.service}/${v.version}`, v.status]));
  return (s) => byKey.get(`${s.namespace}/${s.service}/${s.version}`) ?? 'no-data';
}

/** One-minute rollups: computed from the provider, stored in Postgres, served back. */
@Injectable()
export class RollupService {
  constructor(
    @Inject(METRICS_BACKEND) private readonly backend: MetricsBackend,
    @Inject(COLLECTOR_CONFIG) private readonly config: CollectorConfig,
    private readonly repository: RollupRepository,
    private readonly metrics: CollectorMetrics,
  ) {}

  /**
   * Stores the last minute's figures for every service version the provider sees, under the
   * minute holding `atMs`. Rerunning a minute replaces its rows. Rejects only when Postgres does.
   */
  async writeMinute(atMs: number): Promise<RollupOutcome> {
    const minute = new Date(minuteStart(atMs)).toISOString();
    const stop = this.metrics.rollupDuration.startTimer();
    try {
      const [stats, codes] = await Promise.all([
        this.backend.provider.serviceStats({}, ROLLUP_WINDOW_SECONDS),
        this.backend.breakdown.increaseBy(REQUESTS, [[]], SERVICE_CODE_LABELS, ROLLUP_WINDOW_SECONDS),
      ]);
      if (stats.kind === 'provider-error') return this.skipped('provider-error', minute, stats.error.message);
      if (codes.kind === 'provider-error') return this.skipped('provider-error', minute, codes.error.message);
      if (stats.kind === 'no-data') return this.skipped('no-data', minute, stats.reason);
      const health = versionHealth(
        healthReport(codes.kind === 'value' ? codes.value : [], ROLLUP_WINDOW_SECONDS),
      );
      const rows = stats.value.map((s) => rowOf(s, minute, this.backend.provider.name, health(s)));
      await this.repository.ensurePartition(dayStart(minuteStart(atMs)));
      await this.repository.upsert(rows);
      this.metrics.rollupRows.inc(rows.length);
      this.metrics.rollupRuns.inc({ outcome: 'written' });
      return { outcome: 'written', minute, rows: rows.length };
    } catch (err) {
      this.metrics.rollupRuns.inc({ outcome: 'failed' });
      throw err;
    } finally {
      stop();
    }
  }

  private skipped(outcome: 'no-data' | 'provider-error', minute: string, reason: string): RollupOutcome {
    this.metrics.rollupRuns.inc({ outcome });
    return { outcome, minute, rows: 0, reason };
  }

  /** Creates today's and the next days' partitions and drops those past the retention. */
  async maintain(nowMs: number): Promise<{ prepared: number[]; dropped: number[] }> {
    const prepared = daysToPrepare(nowMs, PARTITIONS_AHEAD_DAYS);
    for (const day of prepared) await this.repository.ensurePartition(day);
    const dropped: number[] = [];
    for (const day of await this.repository.partitionDays()) {
      if (!isExpired(day, nowMs, this.config.ROLLUP_RETENTION_DAYS)) continue;
      await this.repository.dropPartition(day);
      dropped.push(day);
    }
    return { prepared, dropped };
  }

  /** Stored rollups; the database being down is a provider error, like any other source. */
  async find(filter: RollupFilter): Promise<Measurement<RollupPage>> {
    try {
      const page = await this.repository.find(filter);
      if (page.items.length === 0) {
        return noData(
          `no rollups for ${filter.namespace} between ${filter.from.toISOString()} and ${filter.to.toISOString()}`,
        );
      }
      return measured(page, { samples: page.items.length });
    } catch (err) {
      return providerError({
        code: 'PROVIDER_UNREACHABLE',
        provider: 'postgres',
        message: `Cannot read rollups from Postgres (${errorMessage(err)}); check /readyz.`,
      });
    }
  }
}
