import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Announces each committed audit event on the `heliomesh_audit` channel as `<tenant id>:<seq>`.
 * NOTIFY is delivered at commit and never for a rollback, so a listener hears only events a
 * reader can already see. The rollout worker relays it to Redis, where gateway replicas wake the
 * tails of that tenant's subscribers (decision 0003).
 */
export class AuditNotify1764220000000 implements MigrationInterface {
  name = 'AuditNotify1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('heliomesh_audit', NEW.tenant_id::text || ':' || NEW.seq::text); RETURN NULL; END $$`);
    await q.query(
      `CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_notify()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_events_notify ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_notify()`);
  }
}
