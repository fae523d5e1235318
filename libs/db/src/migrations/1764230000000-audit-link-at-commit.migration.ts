import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Links each audit event into its tenant's chain at commit instead of at insert (decision 0004).
 * Linking takes the tenant's chain lock until the transaction ends; taken at insert, it was held
 * across every round trip between the insert and the commit, and a tenant's audited writes queued
 * behind each other's clients. A deferred constraint trigger now links the transaction's events
 * (in insertion order) while the commit runs, so the lock is held for the commit alone.
 *
 * Until then a new row has no seq and empty hashes; no other transaction can see it, and a
 * rolled-back row (or savepoint) is never linked. The link is the one UPDATE the append-only
 * trigger lets through: from the link trigger (so as the table's owner), on a row without seq,
 * touching only the chain. The app role loses UPDATE and DELETE on the table altogether, and the
 * definer functions name their objects with the schema and search pg_temp last, so a temporary
 * table called audit_events cannot stand in for the real one.
 */
const SAFE_PATH = 'SET search_path = pg_catalog, public, pg_temp';
export class AuditLinkAtCommit1764230000000 implements MigrationInterface {
  name = 'AuditLinkAtCommit1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ALTER COLUMN seq DROP NOT NULL`);
    await q.query(`REVOKE UPDATE, DELETE ON audit_events FROM heliomesh_app`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER ${SAFE_PATH} AS $$
      BEGIN
        NEW.seq := NULL;
        NEW.prev_hash := '';
        NEW.hash := '';
        NEW.occurred_at := date_trunc('microseconds', coalesce(NEW.occurred_at, clock_timestamp()));
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION audit_events_link() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER ${SAFE_PATH} AS $$
      DECLARE
        linked public.audit_events := NEW;
        last_seq bigint;
        last_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('heliomesh.audit:' || NEW.tenant_id::text, 0));
        SELECT seq, hash INTO last_seq, last_hash FROM public.audit_events
          WHERE tenant_id = NEW.tenant_id AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
        linked.seq := coalesce(last_seq, 0) + 1;
        linked.prev_hash := coalesce(last_hash, repeat('0', 64));
        linked.hash := public.audit_event_hash(linked);
        UPDATE public.audit_events SET seq = linked.seq, prev_hash = linked.prev_hash, hash = linked.hash
          WHERE id = NEW.id;
        PERFORM pg_notify('heliomesh_audit', NEW.tenant_id::text || ':' || linked.seq::text);
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER audit_events_notify ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_notify()`);
    await q.query(
      `CREATE CONSTRAINT TRIGGER audit_events_link AFTER INSERT ON audit_events
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_events_link()`,
    );
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_reject_change() RETURNS trigger
      LANGUAGE plpgsql ${SAFE_PATH} AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          -- Only audit_events_link, a definer function, runs as the owner at a nested depth.
          IF pg_trigger_depth() > 1 AND current_user = pg_get_userbyid((SELECT relowner FROM pg_class WHERE oid = TG_RELID))
             AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
             AND to_jsonb(NEW) - '{seq,prev_hash,hash}'::text[] = to_jsonb(OLD) - '{seq,prev_hash,hash}'::text[] THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`GRANT UPDATE, DELETE ON audit_events TO heliomesh_app`);
    await q.query(`DROP TRIGGER audit_events_link ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_link()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_reject_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
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
      CREATE FUNCTION audit_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('heliomesh_audit', NEW.tenant_id::text || ':' || NEW.seq::text); RETURN NULL; END $$`);
    await q.query(
      `CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_notify()`,
    );
    await q.query(`ALTER TABLE audit_events ALTER COLUMN seq SET NOT NULL`);
  }
}
