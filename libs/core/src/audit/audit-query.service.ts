import type { DataSource } from 'typeorm';
import { requireRole } from '@heliomesh/auth';
import { AuditRepository, type ChainVerification, inTenantTx } from '@heliomesh/db';
import { z } from 'zod';
import { decodeCursor, type Page, pageSize, toPage } from '../common/pagination.util.js';
import { parseInput } from '../common/input.util.js';
import type { RequestContext } from '../common/request-context.types.js';
import { tenantScope } from '../tenancy/tenant-scope.util.js';

export const auditFilterSchema = z.strictObject({
  action: z.string().max(100).optional(),
  resourceKind: z.string().max(100).optional(),
  resourceId: z.string().max(200).optional(),
  actor: z.string().max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().optional(),
  cursor: z.string().max(500).optional(),
});

export interface AuditEventView {
  id: string;
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  resourceKind: string;
  resourceId: string | null;
  requestId: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  hash: string;
}

/** Reading the tenant's audit log, newest first, and checking its hash chain. */
export class AuditQueryService {
  private readonly audit = new AuditRepository();

  constructor(private readonly db: DataSource) {}

  async list(rawCtx: RequestContext, input: unknown): Promise<Page<AuditEventView>> {
    requireRole(rawCtx.auth, 'viewer');
    const ctx = tenantScope(rawCtx);
    const f = parseInput(auditFilterSchema, input);
    const size = pageSize(f.limit);
    const after = decodeCursor(f.cursor);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.action)
      add(
        f.action.endsWith('*') ? `action LIKE ?` : `action = ?`,
        f.action.endsWith('*') ? `${f.action.slice(0, -1).replace(/[%_\\]/g, '\\$&')}%` : f.action,
      );
    if (f.resourceKind) add('resource_kind = ?', f.resourceKind);
    if (f.resourceId) add('resource_id = ?', f.resourceId);
    if (f.actor) add('actor = ?', f.actor);
    if (f.since) add('occurred_at >= ?', f.since);
    if (f.until) add('occurred_at < ?', f.until);
    if (after) add('seq < ?', Number(after.key));
    params.push(size + 1);
    const rows: Array<Record<string, unknown>> = await inTenantTx(this.db, ctx.tenantId, (m) =>
      m.query(
        `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
        params,
      ),
    );
    const events = rows.map(toView);
    return toPage(events, size, (e) => ({ key: String(e.seq), id: e.id }));
  }

  async verify(rawCtx: RequestContext): Promise<ChainVerification> {
    requireRole(rawCtx.auth, 'viewer');
    const ctx = tenantScope(rawCtx);
    return inTenantTx(this.db, ctx.tenantId, (m) => this.audit.verify(m, ctx.tenantId));
  }
}

function toView(r: Record<string, unknown>): AuditEventView {
  return {
    id: r['id'] as string,
    seq: Number(r['seq']),
    occurredAt: (r['occurred_at'] as Date).toISOString(),
    actor: r['actor'] as string,
    action: r['action'] as string,
    resourceKind: r['resource_kind'] as string,
    resourceId: (r['resource_id'] as string | null) ?? null,
    requestId: (r['request_id'] as string | null) ?? null,
    reason: (r['reason'] as string | null) ?? null,
    data: r['data'] as Record<string, unknown>,
    hash: r['hash'] as string,
  };
}
