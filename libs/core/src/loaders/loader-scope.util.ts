import type { DataSource, EntityManager } from 'typeorm';
import { requireRole } from '@heliomesh/auth';
import { inTenantTx } from '@heliomesh/db';
import type { RequestContext } from '../common/request-context.types.js';
import { tenantScope } from '../tenancy/tenant-scope.util.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs one batch read as the caller: a viewer of the request's tenant, under row-level security,
 * so a batch can never return another tenant's rows whatever ids it is handed. Ids that are not
 * uuids cannot name a row and are dropped before they reach SQL.
 */
export async function readBatch<T>(
  db: DataSource,
  ctx: RequestContext,
  ids: readonly string[],
  read: (m: EntityManager, ids: string[], tenantId: string) => Promise<Map<string, T>>,
): Promise<Map<string, T>> {
  requireRole(ctx.auth, 'viewer');
  const scoped = tenantScope(ctx);
  const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (valid.length === 0) return new Map();
  return inTenantTx(db, scoped.tenantId, (m) => read(m, valid, scoped.tenantId));
}

export function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
