import type { MigrationInterface, QueryRunner } from 'typeorm';

const PHASES = `'Initializing', 'Progressing', 'Paused', 'Promoting', 'Succeeded', 'RollingBack', 'RolledBack', 'Failed', 'Aborted'`;
const TERMINAL = `'Succeeded', 'RolledBack', 'Failed', 'Aborted'`;

/**
 * Progressive delivery: one row per rollout holding its spec and the engine's state (phase, step,
 * route, counters, an optimistic-concurrency version and the number of the tick it expects next),
 * and an append-only, per-rollout numbered event log of every transition and measurement.
 * Tenant isolation as for every tenant table: row-level security on heliomesh_tenant().
 */
export class Rollouts1764210000000 implements MigrationInterface {
  name = 'Rollouts1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rollouts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        cluster_id uuid NOT NULL REFERENCES clusters(id),
        service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        namespace text NOT NULL,
        service text NOT NULL,
        strategy text NOT NULL CHECK (strategy IN ('canary', 'ab', 'blue-green')),
        spec jsonb NOT NULL,
        stable_version text NOT NULL,
        canary_version text NOT NULL CHECK (canary_version <> stable_version),
        phase text NOT NULL CHECK (phase IN (${PHASES})),
        phase_reason jsonb,
        resume_phase text CHECK (resume_phase IN (${PHASES})),
        step_index integer NOT NULL DEFAULT 0 CHECK (step_index >= 0),
        step_started_at timestamptz,
        step_state jsonb NOT NULL DEFAULT '{}'::jsonb,
        route jsonb,
        canary_weight integer NOT NULL DEFAULT 0 CHECK (canary_weight BETWEEN 0 AND 100),
        failed_checks integer NOT NULL DEFAULT 0 CHECK (failed_checks >= 0),
        attempt integer NOT NULL DEFAULT 1 CHECK (attempt > 0),
        version integer NOT NULL DEFAULT 1 CHECK (version > 0),
        tick integer NOT NULL DEFAULT 0 CHECK (tick >= 0),
        next_tick_at timestamptz,
        event_seq integer NOT NULL DEFAULT 0,
        webhook_secret bytea,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    // One rollout at a time drives a service; finished ones stay as history.
    await q.query(
      `CREATE UNIQUE INDEX rollouts_one_active_per_service ON rollouts (service_id) WHERE phase NOT IN (${TERMINAL})`,
    );
    await q.query(`CREATE INDEX rollouts_list_idx ON rollouts (tenant_id, created_at, id)`);
    await q.query(
      `CREATE INDEX rollouts_active_idx ON rollouts (tenant_id, cluster_id) WHERE phase NOT IN (${TERMINAL})`,
    );
    // The sweeper's view: ticks that should have run by now.
    await q.query(
      `CREATE INDEX rollouts_next_tick_idx ON rollouts (next_tick_at) WHERE next_tick_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE rollout_events (
        rollout_id uuid NOT NULL REFERENCES rollouts(id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq > 0),
        tenant_id uuid NOT NULL,
        tick integer NOT NULL,
        attempt integer NOT NULL,
        type text NOT NULL,
        phase text NOT NULL CHECK (phase IN (${PHASES})),
        step_index integer NOT NULL,
        canary_weight integer NOT NULL,
        actor text NOT NULL,
        message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (rollout_id, seq)
      )`);
    for (const table of ['rollouts', 'rollout_events']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY tenant_isolation ON ${table} USING (tenant_id = heliomesh_tenant()) WITH CHECK (tenant_id = heliomesh_tenant())`,
      );
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO heliomesh_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rollout_events`);
    await q.query(`DROP TABLE rollouts`);
  }
}
