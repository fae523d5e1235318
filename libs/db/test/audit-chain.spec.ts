import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRepository, createDataSource, ensureDatabase, migrateWithLock } from '../src/index.js';
import { databaseUrl, dropDatabase, freshDatabaseName } from './fresh-database.js';

const name = freshDatabaseName();
let ds: DataSource;
const audit = new AuditRepository();
const tenantA = randomUUID();
const tenantB = randomUUID();

beforeAll(async () => {
  const url = databaseUrl(name);
  await ensureDatabase(url);
  ds = createDataSource({ url, poolSize: 8 });
  await ds.initialize();
  await migrateWithLock(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await dropDatabase(name);
});

function event(tenantId: string, i: number) {
  return {
    tenantId,
    actor: `token:${i % 3}`,
    action: 'policy.update',
    resourceKind: 'Policy',
    resourceId: `p-${i}`,
    requestId: `req-${i}`,
    reason: i % 2 ? 'rollout step' : null,
    data: { before: { weight: i }, after: { weight: i + 1 }, note: 'ünïcode | and "quotes"' },
  };
}

describe('audit log', () => {
  it('chains 1,000 events for two tenants written concurrently into two valid chains', async () => {
    const writes = Array.from({ length: 1_000 }, (_, i) =>
      ds.transaction((m) => audit.append(m, event(i % 2 ? tenantA : tenantB, i))),
    );
    await Promise.all(writes);
    const rows: Array<{ tenant_id: string; seq: string }> = await ds.query(
      `SELECT tenant_id, seq FROM audit_events WHERE tenant_id IN ($1, $2)`,
      [tenantA, tenantB],
    );
    expect(new Set(rows.map((r) => `${r.tenant_id}:${r.seq}`)).size).toBe(1_000);

    const [a, b] = await Promise.all([audit.verify(ds, tenantA, 128), audit.verify(ds, tenantB, 128)]);
    expect(a).toMatchObject({ valid: true, checked: 500 });
    expect(b).toMatchObject({ valid: true, checked: 500 });
    expect(a.headHash).not.toBe(b.headHash);
  });

  it('rejects UPDATE, DELETE and TRUNCATE', async () => {
    await expect(
      ds.query(`UPDATE audit_events SET actor = 'mallory' WHERE tenant_id = $1`, [tenantA]),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(ds.query(`DELETE FROM audit_events WHERE tenant_id = $1`, [tenantA])).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(ds.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await audit.verify(ds, tenantA)).checked).toBe(500);
  });

  it('ignores hash and sequence values a writer tries to supply', async () => {
    const [inserted] = await ds.query(
      `INSERT INTO audit_events (tenant_id, actor, action, resource_kind, seq, prev_hash, hash) VALUES ($1, 'x', 'y', 'z', 1, 'forged', 'forged') RETURNING id`,
      [tenantB],
    );
    const [row] = await ds.query(`SELECT seq, hash FROM audit_events WHERE id = $1`, [inserted.id]);
    expect(Number(row.seq)).toBe(501);
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await audit.verify(ds, tenantB)).toMatchObject({ valid: true, checked: 501 });
  });

  it("links at commit: an open transaction holding an event does not hold up the tenant's other writers", async () => {
    const tenant = randomUUID();
    const open = ds.createQueryRunner();
    await open.connect();
    try {
      await open.startTransaction();
      await audit.append(open.manager, event(tenant, 1));
      const [pending] = await open.query(`SELECT seq, hash FROM audit_events WHERE tenant_id = $1`, [tenant]);
      expect(pending).toEqual({ seq: null, hash: '' });
      // Committed while the first is still open: linked at once, first in the chain.
      await ds.transaction((m) => audit.append(m, event(tenant, 2)));
      await open.commitTransaction();
    } finally {
      await open.release();
    }
    const chain: Array<{ seq: string; resource_id: string }> = await ds.query(
      `SELECT seq, resource_id FROM audit_events WHERE tenant_id = $1 ORDER BY seq`,
      [tenant],
    );
    expect(chain.map((r) => [Number(r.seq), r.resource_id])).toEqual([
      [1, 'p-2'],
      [2, 'p-1'],
    ]);
    expect(await audit.verify(ds, tenant)).toMatchObject({ valid: true, checked: 2 });
  });

  it('never links an event whose transaction or savepoint rolled back, and links the rest in order', async () => {
    const tenant = randomUUID();
    await ds
      .transaction(async (m) => {
        await audit.append(m, event(tenant, 1));
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await ds.transaction(async (m) => {
      await audit.append(m, event(tenant, 2));
      await m.query('SAVEPOINT s');
      await audit.append(m, event(tenant, 3));
      await m.query('ROLLBACK TO SAVEPOINT s');
      await audit.append(m, event(tenant, 4));
      await audit.append(m, event(tenant, 5));
    });
    const chain: Array<{ seq: string; resource_id: string }> = await ds.query(
      `SELECT seq, resource_id FROM audit_events WHERE tenant_id = $1 ORDER BY seq`,
      [tenant],
    );
    expect(chain.map((r) => [Number(r.seq), r.resource_id])).toEqual([
      [1, 'p-2'],
      [2, 'p-4'],
      [3, 'p-5'],
    ]);
    expect(await audit.verify(ds, tenant)).toMatchObject({ valid: true, checked: 3 });
  });

  it('lets no one but the link trigger fill in a pending event, not even its own transaction', async () => {
    const tenant = randomUUID();
    await expect(
      ds.transaction(async (m) => {
        await audit.append(m, event(tenant, 1));
        await m.query(`UPDATE audit_events SET seq = 1, prev_hash = 'x', hash = 'y' WHERE tenant_id = $1`, [
          tenant,
        ]);
      }),
    ).rejects.toThrow(/append-only: UPDATE/);
    expect(await ds.query(`SELECT 1 FROM audit_events WHERE tenant_id = $1`, [tenant])).toEqual([]);
  });

  it('reports exactly the row whose content a superuser altered behind the triggers', async () => {
    const [victim] = await ds.query(`SELECT id FROM audit_events WHERE tenant_id = $1 AND seq = 137`, [
      tenantA,
    ]);
    await ds.query(`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    try {
      await ds.query(
        `UPDATE audit_events SET data = jsonb_set(data, '{after,weight}', '9999') WHERE id = $1`,
        [victim.id],
      );
    } finally {
      await ds.query(`ALTER TABLE audit_events ENABLE TRIGGER USER`);
    }
    const result = await audit.verify(ds, tenantA, 50);
    expect(result).toMatchObject({
      valid: false,
      checked: 136,
      firstBroken: { id: victim.id, seq: 137, reason: 'content-altered' },
    });
    expect((await audit.verify(ds, tenantB)).valid).toBe(true);
  });

  it('reports a deleted row as a sequence gap at the row after it', async () => {
    await ds.query(`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    try {
      await ds.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 10`, [tenantB]);
    } finally {
      await ds.query(`ALTER TABLE audit_events ENABLE TRIGGER USER`);
    }
    expect(await audit.verify(ds, tenantB)).toMatchObject({
      valid: false,
      checked: 9,
      firstBroken: { seq: 11, reason: 'sequence-gap' },
    });
  });
});
