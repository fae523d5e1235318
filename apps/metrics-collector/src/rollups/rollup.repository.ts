import { Injectable } from '@nestjs/common';
import type { HealthStatus, RollupPage, RollupRow } from '@heliomesh/metrics';
import { DataSource } from 'typeorm';
import { DAY_MS, partitionDay, partitionName } from './rollup-time.util.js';

/** Serialises partition DDL between collector replicas (an arbitrary constant, like the migration lock). */
const PARTITION_LOCK_KEY = '7522537958006730211';
const UPSERT_BATCH = 1_000;

interface DbRow {
  minute: Date;
  namespace: string;
  service: string;
  version: string;
  provider: string;
  window_seconds: number;
  request_count: number;
  error_count: number;
  request_rate: number;
  success_rate: number | null;
  latency_p50_ms: number | null;
  latency_p90_ms: number | null;
  latency_p99_ms: number | null;
  response_flags: Record<string, number>;
  mtls_share: number | null;
  health: HealthStatus;
}

const COLUMNS = `minute, namespace, service, version, provider, window_seconds, request_count, error_count,
  request_rate, success_rate, latency_p50_ms, latency_p90_ms, latency_p99_ms, response_flags, mtls_share, health`;

const RECORD_TYPE = `minute timestamptz, namespace text, service text, version text, provider text,
  window_seconds integer, request_count double precision, error_count double precision,
  request_rate double precision, success_rate double precision, latency_p50_ms double precision,
  latency_p90_ms double precision, latency_p99_ms double precision, response_flags jsonb,
  mtls_share double precision, health text`;

function toDb(r: RollupRow): DbRow {
  return {
    minute: new Date(r.minute),
    namespace: r.namespace,
    service: r.service,
    version: r.version,
    provider: r.provider,
    window_seconds: r.windowSeconds,
    request_count: r.requestCount,
    error_count: r.errorCount,
    request_rate: r.requestRate,
    success_rate: r.successRate,
    latency_p50_ms: r.latencyMs.p50,
    latency_p90_ms: r.latencyMs.p90,
    latency_p99_ms: r.latencyMs.p99,
    response_flags: r.responseFlags,
    mtls_share: r.mtlsShare,
    health: r.health,
  };
}

function fromDb(r: DbRow): RollupRow {
  return {
    minute: r.minute.toISOString(),
    namespace: r.namespace,
    service: r.service,
    version: r.version,
    provider: r.provider,
    windowSeconds: r.window_seconds,
    requestCount: r.request_count,
    errorCount: r.error_count,
    requestRate: r.request_rate,
    successRate: r.success_rate,
    latencyMs: { p50: r.latency_p50_ms, p90: r.latency_p90_ms, p99: r.latency_p99_ms },
    responseFlags: r.response_flags,
    mtlsShare: r.mtls_share,
    health: r.health,
  };
}

export interface RollupFilter {
  namespace: string;
  service?: string;
  version?: string;
  from: Date;
  to: Date;
  limit: number;
}

/**
 * `metric_rollups` (migration 1764200000000): one row per service version and minute, in daily
 * range partitions this repository creates ahead of time and drops when they age out.
 */
@Injectable()
export class RollupRepository {
  private readonly prepared = new Set<number>();

  constructor(private readonly db: DataSource) {}

  /** Creates the partition of the UTC day starting at `dayMs` unless it exists. */
  async ensurePartition(dayMs: number): Promise<void> {
    if (this.prepared.has(dayMs)) return;
    const from = new Date(dayMs).toISOString();
    const to = new Date(dayMs + DAY_MS).toISOString();
    await this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1::bigint)', [PARTITION_LOCK_KEY]);
      // Names and bounds come from a number, never from input, so they can be inlined into DDL.
      await m.query(
        `CREATE TABLE IF NOT EXISTS ${partitionName(dayMs)} PARTITION OF metric_rollups
           FOR VALUES FROM ('${from}') TO ('${to}')`,
      );
    });
    this.prepared.add(dayMs);
  }

  /** The days (UTC starts, in ms) that have a partition, oldest first. */
  async partitionDays(): Promise<number[]> {
    const rows = await this.db.query<Array<{ name: string }>>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'metric_rollups'::regclass`,
    );
    return rows
      .map((r) => partitionDay(r.name))
      .filter((d): d is number => d !== undefined)
      .sort((a, b) => a - b);
  }

  async dropPartition(dayMs: number): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1::bigint)', [PARTITION_LOCK_KEY]);
      await m.query(`DROP TABLE IF EXISTS ${partitionName(dayMs)}`);
    });
    this.prepared.delete(dayMs);
  }

  /** Inserts or replaces rows by (namespace, service, version, minute): rerunning a minute is harmless. */
  async upsert(rows: readonly RollupRow[]): Promise<number> {
    for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
      const batch = rows.slice(i, i + UPSERT_BATCH).map(toDb);
      await this.db.query(
        `INSERT INTO metric_rollups (${COLUMNS})
         SELECT ${COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD_TYPE})
         ON CONFLICT (namespace, service, version, minute) DO UPDATE SET
           provider = EXCLUDED.provider, window_seconds = EXCLUDED.window_seconds,
           request_count = EXCLUDED.request_count, error_count = EXCLUDED.error_count,
           request_rate = EXCLUDED.request_rate, success_rate = EXCLUDED.success_rate,
           latency_p50_ms = EXCLUDED.latency_p50_ms, latency_p90_ms = EXCLUDED.latency_p90_ms,
           latency_p99_ms = EXCLUDED.latency_p99_ms, response_flags = EXCLUDED.response_flags,
           mtls_share = EXCLUDED.mtls_share, health = EXCLUDED.health, written_at = now()`,
        [JSON.stringify(batch)],
      );
    }
    return rows.length;
  }

  async find(f: RollupFilter): Promise<RollupPage> {
    const rows = await this.db.query<DbRow[]>(
      `SELECT ${COLUMNS} FROM metric_rollups
        WHERE namespace = $1 AND ($2::text IS NULL OR service = $2) AND ($3::text IS NULL OR version = $3)
          AND minute >= $4 AND minute < $5
        ORDER BY minute, service, version
        LIMIT $6`,
      [f.namespace, f.service ?? null, f.version ?? null, f.from, f.to, f.limit + 1],
    );
    return { items: rows.slice(0, f.limit).map(fromDb), truncated: rows.length > f.limit };
  }
}
