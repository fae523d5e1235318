import type { DataSource, EntityManager } from 'typeorm';

export const OUTBOX_CHANNEL = 'heliomesh_outbox';

export interface OutboxMessage {
  id: string;
  tenantId: string;
  topic: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Messages written in the same transaction as the change they announce, so a job is never lost
 * and never sent for a change that rolled back. A relay publishes them to the queue later.
 */
export class OutboxRepository {
  async add(
    m: EntityManager,
    message: { tenantId: string; topic: string; payload: Record<string, unknown> },
  ): Promise<void> {
    await m.query(`INSERT INTO outbox (tenant_id, topic, payload) VALUES ($1, $2, $3::jsonb)`, [
      message.tenantId,
      message.topic,
      JSON.stringify(message.payload),
    ]);
  }

  /**
   * Hands up to `limit` unpublished messages to `publish`, oldest first, and marks those it
   * accepted as published, all in one transaction. SKIP LOCKED lets several relays share the
   * work without publishing a message twice; a message whose publish fails stays for later.
   */
  async relayBatch(
    db: DataSource,
    limit: number,
    publish: (messages: OutboxMessage[]) => Promise<Set<string>>,
  ): Promise<{ published: number; failed: number }> {
    return db.transaction(async (m) => {
      const rows: Array<{
        id: string;
        tenant_id: string;
        topic: string;
        payload: Record<string, unknown>;
        attempts: number;
      }> = await m.query(
        `SELECT id, tenant_id, topic, payload, attempts FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return { published: 0, failed: 0 };
      const messages = rows.map((r) => ({
        id: String(r.id),
        tenantId: r.tenant_id,
        topic: r.topic,
        payload: r.payload,
        attempts: r.attempts,
      }));
      let accepted = new Set<string>();
      let error: string | null = null;
      try {
        accepted = await publish(messages);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      const ok = messages.filter((msg) => accepted.has(msg.id)).map((msg) => msg.id);
      const failed = messages.filter((msg) => !accepted.has(msg.id)).map((msg) => msg.id);
      if (ok.length)
        await m.query(
          `UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
          [ok],
        );
      if (failed.length)
        await m.query(
          `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
          [failed, error ?? 'not accepted'],
        );
      return { published: ok.length, failed: failed.length };
    });
  }

  async pendingCount(db: DataSource | EntityManager): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    return row.n as number;
  }

  /** Published messages are kept a while for debugging, then removed. */
  async deletePublishedBefore(db: DataSource, before: Date): Promise<number> {
    const result = await db.query(`DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1`, [
      before,
    ]);
    return (result as [unknown, number])[1] ?? 0;
  }
}
