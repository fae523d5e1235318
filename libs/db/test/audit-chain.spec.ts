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
    const rows = await Promise.all(writes);
    expect(new Set(rows.map((r) => `${r.tenantId}:${r.seq}`)).size).toBe(1_000);

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
    const [row] = await ds.query(
      `INSERT INTO audit_events (tenant_id, actor, action, resource_kind, seq, prev_hash, hash) VALUES ($1, 'x', 'y', 'z', 1, 'forged', 'forged') RETURNING seq, hash`,
      [tenantB],
    );
    expect(Number(row.seq)).toBe(501);
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await audit.verify(ds, tenantB)).toMatchObject({ valid: true, checked: 501 });
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
