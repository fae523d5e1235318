import type { DataSource } from 'typeorm';
import { requireRole } from '@heliomesh/auth';
import { AuditRepository, inTenantTx } from '@heliomesh/db';
import type { AuditEventView } from '../audit/audit-query.service.js';
import type { RequestContext } from '../common/request-context.types.js';
import { tenantScope } from '../tenancy/tenant-scope.util.js';

const audit = new AuditRepository();

/**
 * Redis pub/sub channel waking a tenant's audit tails: each message is the sequence number of an
 * event that committed. It carries no content; readers load events through the tenant's own
 * row-level security.
 */
export function tenantAuditChannel(tenantId: string): string {
  return `heliomesh:tenant:${tenantId}:audit`;
}

/**
 * The tenant's audit events after `afterSeq`, oldest first: what a live audit stream tails.
 * Sequence numbers are assigned per tenant in commit order (the link trigger assigns them at commit),
 * so reading by `seq > n` never skips an event that committed later with a lower number.
 */
export async function loadAuditEventsAfter(
  db: DataSource,
  rawCtx: RequestContext,
  afterSeq: number,
  limit = 500,
): Promise<AuditEventView[]> {
  requireRole(rawCtx.auth, 'viewer');
  const ctx = tenantScope(rawCtx);
  const rows = await inTenantTx(db, ctx.tenantId, (m) => audit.list(m, ctx.tenantId, { afterSeq, limit }));
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    occurredAt: r.occurredAt.toISOString(),
    actor: r.actor,
    action: r.action,
    resourceKind: r.resourceKind,
    resourceId: r.resourceId,
    requestId: r.requestId,
    reason: r.reason,
    data: r.data,
    hash: r.hash,
  }));
}

/** The sequence number of the tenant's newest audit event (0 when it has none). */
export async function latestAuditSeq(db: DataSource, rawCtx: RequestContext): Promise<number> {
  requireRole(rawCtx.auth, 'viewer');
  const ctx = tenantScope(rawCtx);
  const [row] = await inTenantTx(db, ctx.tenantId, (m) =>
    m.query(`SELECT coalesce(max(seq), 0) AS seq FROM audit_events WHERE tenant_id = $1`, [ctx.tenantId]),
  );
  return Number(row.seq);
}
