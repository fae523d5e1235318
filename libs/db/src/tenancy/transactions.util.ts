import type { DataSource, EntityManager } from 'typeorm';

/** The role request transactions run as; row-level security applies to it (migration 1764190000000). */
export const APP_ROLE = 'heliomesh_app';

/** The tenant id platform-wide events (cluster registration, tenant creation) are audited under. */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Runs `fn` in a transaction that can see and change only `tenantId`'s rows: the database, not
 * the handler, enforces isolation. Role and tenant are transaction-local, so a pooled
 * connection never leaks them to the next user.
 */
export function inTenantTx<T>(
  db: DataSource,
  tenantId: string,
  fn: (m: EntityManager) => Promise<T>,
): Promise<T> {
  return db.transaction(async (m) => {
    await m.query(`SELECT set_config('heliomesh.tenant_id', $1, true), set_config('role', $2, true)`, [
      tenantId,
      APP_ROLE,
    ]);
    return fn(m);
  });
}

/**
 * A transaction with the service's own privileges, for platform operations that span tenants
 * (token lookup, the outbox relay, reconcile, platform admin). Keep these few and obvious.
 */
export function inSystemTx<T>(db: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
