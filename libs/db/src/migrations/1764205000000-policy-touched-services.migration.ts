import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which services each policy writes configuration on (its target and full-link hops). Writes lock
 * exactly those services, and reconciles load exactly the policies touching their service, so
 * work on unrelated services never waits on each other.
 */
export class PolicyTouchedServices1764205000000 implements MigrationInterface {
  name = 'PolicyTouchedServices1764205000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies ADD COLUMN touched_service_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE policies p SET touched_service_ids = ARRAY(
        SELECT s.id FROM services s
         WHERE s.tenant_id = p.tenant_id AND s.cluster_id = p.cluster_id
           AND ((s.namespace = p.target->>'namespace' AND s.name = p.target->>'service')
             OR EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(p.spec->'fullLink'->'services', '[]'::jsonb)) h
                         WHERE s.namespace = coalesce(h->>'namespace', p.target->>'namespace') AND s.name = h->>'service')))`);
    await q.query(`CREATE INDEX policies_touched_idx ON policies USING gin (touched_service_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policies DROP COLUMN touched_service_ids`);
  }
}
