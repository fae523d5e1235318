import type { DataSource, EntityManager } from 'typeorm';

export interface NewAuditEvent {
  tenantId: string;
  actor: string;
  action: string;
  resourceKind: string;
  resourceId?: string | null;
  requestId?: string | null;
  reason?: string | null;
  /** Before/after and whatever evidence the action rests on. */
  data?: Record<string, unknown>;
}

export interface AuditEventRow extends Required<Omit<NewAuditEvent, 'data'>> {
  id: string;
  seq: number;
  occurredAt: Date;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type ChainBreak = 'content-altered' | 'link-broken' | 'sequence-gap';

export interface ChainVerification {
  tenantId: string;
  valid: boolean;
  checked: number;
  /** The first row that does not verify, when the chain is broken. */
  firstBroken?: { id: string; seq: number; reason: ChainBreak };
  headHash?: string;
}

const GENESIS = '0'.repeat(64);

/** Postgres channel announcing each committed audit event as `<tenant id>:<seq>`. */
export const AUDIT_CHANNEL = 'heliomesh_audit';

const NOTIFICATION = /^([0-9a-f-]{36}):([1-9][0-9]{0,15})$/;

/** The tenant and sequence number an AUDIT_CHANNEL payload announces, or null for anything else. */
export function parseAuditNotification(
  payload: string | undefined,
): { tenantId: string; seq: number } | null {
  const m = NOTIFICATION.exec(payload ?? '');
  const seq = Number(m?.[2]);
  return m && Number.isSafeInteger(seq) ? { tenantId: m[1]!, seq } : null;
}

interface RawRow {
  id: string;
  tenant_id: string;
  seq: string;
  occurred_at: Date;
  actor: string;
  action: string;
  resource_kind: string;
  resource_id: string | null;
  request_id: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

function toRow(r: RawRow): AuditEventRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    seq: Number(r.seq),
    occurredAt: r.occurred_at,
    actor: r.actor,
    action: r.action,
    resourceKind: r.resource_kind,
    resourceId: r.resource_id,
    requestId: r.request_id,
    reason: r.reason,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * The audit log. Appends go through the database trigger that links the chain; this class
 * never computes a hash itself, so the database is the single source of the chain's rules.
 */
export class AuditRepository {
  /**
   * Appends within the caller's transaction, so the event commits with the change it records.
   * The event takes its seq and hashes at commit (a deferred trigger links it then), so it has
   * none to return before.
   */
  async append(manager: EntityManager, event: NewAuditEvent): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events (tenant_id, actor, action, resource_kind, resource_id, request_id, reason, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
      [
        event.tenantId,
        event.actor,
        event.action,
        event.resourceKind,
        event.resourceId ?? null,
        event.requestId ?? null,
        event.reason ?? null,
        JSON.stringify(event.data ?? {}),
      ],
    );
  }

  /**
   * Walks a tenant's chain in order, recomputing each hash in the database, and reports the
   * first row whose content, link or sequence number does not verify.
   */
  async verify(
    db: DataSource | EntityManager,
    tenantId: string,
    batchSize = 1_000,
  ): Promise<ChainVerification> {
    let expectedPrev = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows: Array<{ id: string; seq: string; prev_hash: string; hash: string; recomputed: string }> =
        await db.query(
          `SELECT id, seq, prev_hash, hash, audit_event_hash(a) AS recomputed
           FROM audit_events a WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
          [tenantId, expectedSeq, batchSize],
        );
      for (const row of rows) {
        const seq = Number(row.seq);
        const broken = (reason: ChainBreak): ChainVerification => ({
          tenantId,
          valid: false,
          checked,
          firstBroken: { id: row.id, seq, reason },
        });
        if (seq !== expectedSeq) return broken('sequence-gap');
        if (row.recomputed !== row.hash) return broken('content-altered');
        if (row.prev_hash !== expectedPrev) return broken('link-broken');
        checked++;
        expectedPrev = row.hash;
        expectedSeq = seq + 1;
      }
      if (rows.length < batchSize) break;
    }
    return { tenantId, valid: true, checked, ...(checked > 0 ? { headHash: expectedPrev } : {}) };
  }

  async list(
    db: DataSource | EntityManager,
    tenantId: string,
    opts: { afterSeq?: number; limit?: number } = {},
  ): Promise<AuditEventRow[]> {
    const rows: RawRow[] = await db.query(
      `SELECT * FROM audit_events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [tenantId, opts.afterSeq ?? 0, opts.limit ?? 100],
    );
    return rows.map(toRow);
  }
}
