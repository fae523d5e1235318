import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants, API tokens and the audit log. The audit log's integrity lives in the database:
 * a BEFORE INSERT trigger assigns each tenant's next sequence number and hash link under a
 * per-tenant advisory lock, and UPDATE, DELETE and TRUNCATE are rejected.
 */
export class InitialSchema1764180000000 implements MigrationInterface {
  name = 'InitialSchema1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
        display_name text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        token_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id)`);
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        seq bigint NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor text NOT NULL,
        action text NOT NULL,
        resource_kind text NOT NULL,
        resource_id text,
        request_id text,
        reason text,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        UNIQUE (tenant_id, seq)
      )`);
    await q.query(`CREATE INDEX audit_events_tenant_time_idx ON audit_events (tenant_id, occurred_at DESC)`);
    // The hashed content is a JSON array, so no two different rows can serialise alike.
    // Time is hashed as integer microseconds: independent of the session's TimeZone.
    await q.query(`
      CREATE FUNCTION audit_event_hash(e audit_events) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(jsonb_build_array(
          e.prev_hash, e.tenant_id, e.seq,
          (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
          e.actor, e.action, e.resource_kind, e.resource_id, e.request_id, e.reason, e.data
        )::text, 'UTF8')), 'hex')
      $$`);
    // SECURITY DEFINER: the chain head must be found even when the writer's row-level
    // security would hide other rows of the tenant.
    await q.query(`
      CREATE FUNCTION audit_events_chain() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE
        last_seq bigint;
        last_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('heliomesh.audit:' || NEW.tenant_id::text, 0));
        SELECT seq, hash INTO last_seq, last_hash
          FROM audit_events WHERE tenant_id = NEW.tenant_id ORDER BY seq DESC LIMIT 1;
        NEW.seq := coalesce(last_seq, 0) + 1;
        NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
        NEW.occurred_at := date_trunc('microseconds', coalesce(NEW.occurred_at, clock_timestamp()));
        NEW.hash := audit_event_hash(NEW);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION audit_events_reject_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain()`,
    );
    await q.query(
      `CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change()`,
    );
    await q.query(
      `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_change()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events CASCADE`);
    await q.query(`DROP FUNCTION audit_events_chain(), audit_events_reject_change()`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`DROP TABLE tenants`);
  }
}
