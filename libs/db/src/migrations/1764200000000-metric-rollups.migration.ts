import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-minute metric rollups written by the metrics collector: one row per destination service
 * version and minute. Range-partitioned by day on `minute` (native declarative partitioning);
 * the collector creates each day's partition ahead of time and drops partitions older than its
 * retention, so expiring data is a DROP TABLE, never a DELETE. No partition is created here: a
 * migration runs once, the days keep coming.
 */
export class MetricRollups1764200000000 implements MigrationInterface {
  name = 'MetricRollups1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE metric_rollups (
        minute timestamptz NOT NULL CHECK (mod(extract(epoch FROM minute), 60) = 0),
        namespace text NOT NULL,
        service text NOT NULL,
        version text NOT NULL,
        provider text NOT NULL,
        window_seconds integer NOT NULL CHECK (window_seconds > 0),
        request_count double precision NOT NULL CHECK (request_count >= 0),
        error_count double precision NOT NULL CHECK (error_count >= 0),
        request_rate double precision NOT NULL CHECK (request_rate >= 0),
        success_rate double precision CHECK (success_rate >= 0 AND success_rate <= 100),
        latency_p50_ms double precision,
        latency_p90_ms double precision,
        latency_p99_ms double precision,
        response_flags jsonb NOT NULL DEFAULT '{}'::jsonb,
        mtls_share double precision CHECK (mtls_share >= 0 AND mtls_share <= 1),
        health text NOT NULL CHECK (health IN ('healthy', 'degraded', 'failure', 'no-data')),
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (namespace, service, version, minute)
      ) PARTITION BY RANGE (minute)`);
    // The primary key serves one service's history; this serves a whole namespace over a range.
    await q.query(`CREATE INDEX metric_rollups_namespace_minute_idx ON metric_rollups (namespace, minute)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE metric_rollups`);
  }
}
