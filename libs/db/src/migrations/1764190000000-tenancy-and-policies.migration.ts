import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables that belong to one tenant; row-level security keys every one of them on tenant_id. */
const TENANT_TABLES = [
  'api_tokens',
  'namespace_claims',
  'services',
  'service_versions',
  'policies',
  'policy_revisions',
  'applied_objects',
  'outbox',
  'audit_events',
];

/**
 * Clusters, namespace ownership, discovered services, policies with their full revision history,
 * the inventory of applied objects, and the outbox. Tenant isolation is enforced by Postgres:
 * requests run as role heliomesh_app with `heliomesh.tenant_id` set for the transaction, and
 * every tenant table has a policy comparing its tenant_id with that setting.
 */
export class TenancyAndPolicies1764190000000 implements MigrationInterface {
  name = 'TenancyAndPolicies1764190000000';

  async up(q: QueryRunner): Promise<void> {
    // Roles are cluster-wide: another database on this server may have created it already.
    await q.query(
      `DO $$ BEGIN CREATE ROLE heliomesh_app NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    );
    await q.query(
      `DO $$ BEGIN EXECUTE format('GRANT heliomesh_app TO %I', current_user); EXCEPTION WHEN others THEN NULL; END $$`,
    );
    await q.query(`
      CREATE FUNCTION heliomesh_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$
        SELECT nullif(current_setting('heliomesh.tenant_id', true), '')::uuid
      $$`);

    await q.query(`
      CREATE TABLE clusters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
        connection text NOT NULL CHECK (connection IN ('kubeconfig', 'in-cluster', 'sandbox')),
        server text,
        context text,
        credentials bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_checked_at timestamptz,
        last_status jsonb
      )`);
    await q.query(`
      CREATE TABLE namespace_claims (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        cluster_id uuid NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        namespace text NOT NULL CHECK (namespace ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cluster_id, namespace)
      )`);
    await q.query(`CREATE INDEX namespace_claims_tenant_idx ON namespace_claims (tenant_id)`);
    await q.query(`
      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        cluster_id uuid NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        namespace text NOT NULL,
        name text NOT NULL,
        ports jsonb NOT NULL DEFAULT '[]'::jsonb,
        selector jsonb,
        discovered_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz,
        UNIQUE (cluster_id, namespace, name)
      )`);
    await q.query(`CREATE INDEX services_tenant_idx ON services (tenant_id, namespace, name)`);
    await q.query(`
      CREATE TABLE service_versions (
        service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        labels jsonb NOT NULL,
        pods integer NOT NULL DEFAULT 0,
        PRIMARY KEY (service_id, name)
      )`);
    await q.query(`
      CREATE TABLE policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        cluster_id uuid NOT NULL REFERENCES clusters(id),
        service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        namespace text NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        target jsonb NOT NULL,
        spec jsonb NOT NULL,
        revision integer NOT NULL DEFAULT 1 CHECK (revision > 0),
        status text NOT NULL DEFAULT 'Pending' CHECK (status IN ('Pending', 'Applied', 'Error')),
        status_reason jsonb,
        applied_revision integer,
        status_updated_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        updated_by text NOT NULL,
        UNIQUE (tenant_id, cluster_id, namespace, name)
      )`);
    await q.query(`CREATE INDEX policies_service_idx ON policies (service_id)`);
    await q.query(`CREATE INDEX policies_list_idx ON policies (tenant_id, created_at, id)`);
    // No foreign key to policies: the history of a deleted policy stays readable.
    await q.query(`
      CREATE TABLE policy_revisions (
        policy_id uuid NOT NULL,
        revision integer NOT NULL,
        tenant_id uuid NOT NULL,
        change text NOT NULL CHECK (change IN ('create', 'update', 'delete')),
        name text NOT NULL,
        kind text NOT NULL,
        target jsonb NOT NULL,
        spec jsonb NOT NULL,
        actor text NOT NULL,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (policy_id, revision)
      )`);
    await q.query(`
      CREATE TABLE applied_objects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        cluster_id uuid NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        service_id uuid,
        api_version text NOT NULL,
        kind text NOT NULL,
        namespace text NOT NULL,
        name text NOT NULL,
        content_hash text NOT NULL,
        object jsonb NOT NULL,
        sources jsonb NOT NULL DEFAULT '[]'::jsonb,
        applied_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cluster_id, kind, namespace, name)
      )`);
    await q.query(`CREATE INDEX applied_objects_service_idx ON applied_objects (service_id)`);
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL`);
    // Wakes the relay at commit time instead of waiting for its next poll.
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('heliomesh_outbox', ''); RETURN NULL; END $$`);
    await q.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY tenant_isolation ON ${table} USING (tenant_id = heliomesh_tenant()) WITH CHECK (tenant_id = heliomesh_tenant())`,
      );
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO heliomesh_app`);
    }
    await q.query(`ALTER TABLE tenants ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_self ON tenants USING (id = heliomesh_tenant())`);
    await q.query(`GRANT SELECT ON tenants TO heliomesh_app`);
    // Cluster names are shared knowledge (targets name them); their credentials are not readable by tenants.
    await q.query(
      `GRANT SELECT (id, name, connection, server, created_at, last_checked_at, last_status) ON clusters TO heliomesh_app`,
    );
    await q.query(`GRANT USAGE ON SEQUENCE outbox_id_seq TO heliomesh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) {
      await q.query(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    await q.query(`DROP POLICY IF EXISTS tenant_self ON tenants`);
    await q.query(`ALTER TABLE tenants DISABLE ROW LEVEL SECURITY`);
    await q.query(
      `DROP TABLE outbox, applied_objects, policy_revisions, policies, service_versions, services, namespace_claims, clusters`,
    );
    await q.query(`DROP FUNCTION outbox_notify(), heliomesh_tenant()`);
    await q.query(`REVOKE ALL ON tenants, api_tokens, audit_events FROM heliomesh_app`);
  }
}
