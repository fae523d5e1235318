import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditRepository,
  createDataSource,
  ensureDatabase,
  inSystemTx,
  inTenantTx,
  migrateWithLock,
  PolicyEntity,
} from '../src/index.js';
import { databaseUrl, dropDatabase, freshDatabaseName } from './fresh-database.js';

const name = freshDatabaseName();
let ds: DataSource;
let tenantA: string;
let tenantB: string;
let clusterId: string;

beforeAll(async () => {
  const url = databaseUrl(name);
  await ensureDatabase(url);
  ds = createDataSource({ url, poolSize: 4 });
  await ds.initialize();
  await migrateWithLock(ds);
  [{ id: tenantA }] = await ds.query(`INSERT INTO tenants (name) VALUES ('team-a') RETURNING id`);
  [{ id: tenantB }] = await ds.query(`INSERT INTO tenants (name) VALUES ('team-b') RETURNING id`);
  [{ id: clusterId }] = await ds.query(
    `INSERT INTO clusters (name, connection) VALUES ('c1', 'sandbox') RETURNING id`,
  );
  for (const [tenant, policy] of [
    [tenantA, 'split-a'],
    [tenantB, 'split-b'],
  ] as const) {
    await ds.query(
      `INSERT INTO policies (tenant_id, cluster_id, namespace, name, kind, target, spec, created_by, updated_by) VALUES ($1, $2, 'ns', $3, 'TrafficSplit', '{}', '{}', 'test', 'test')`,
      [tenant, clusterId, policy],
    );
  }
});

afterAll(async () => {
  await ds?.destroy();
  await dropDatabase(name);
});

describe('row-level security', () => {
  it('shows a tenant only its own rows', async () => {
    const names = await inTenantTx(ds, tenantA, (m) => m.getRepository(PolicyEntity).find());
    expect(names.map((p) => p.name)).toEqual(['split-a']);
    const tenants = await inTenantTx(ds, tenantB, (m) => m.query(`SELECT name FROM tenants`));
    expect(tenants).toEqual([{ name: 'team-b' }]);
  });

  it("refuses to write a row into another tenant's data", async () => {
    await expect(
      inTenantTx(ds, tenantA, (m) =>
        m.query(
          `INSERT INTO policies (tenant_id, cluster_id, namespace, name, kind, target, spec, created_by, updated_by) VALUES ($1, $2, 'ns', 'sneaky', 'TrafficSplit', '{}', '{}', 'x', 'x')`,
          [tenantB, clusterId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("cannot update or delete another tenant's rows (they are invisible)", async () => {
    const updated = await inTenantTx(ds, tenantA, (m) =>
      m.query(`UPDATE policies SET spec = '{"x":1}' WHERE name = 'split-b'`),
    );
    expect(updated[1]).toBe(0);
    const deleted = await inTenantTx(ds, tenantA, (m) =>
      m.query(`DELETE FROM policies WHERE name = 'split-b'`),
    );
    expect(deleted[1]).toBe(0);
    const [row] = await ds.query(`SELECT spec FROM policies WHERE name = 'split-b'`);
    expect(row.spec).toEqual({});
  });

  it('sees nothing without a tenant, and cannot read cluster credentials', async () => {
    await expect(inTenantTx(ds, '', (m) => m.query(`SELECT * FROM policies`))).resolves.toEqual([]);
    await expect(inTenantTx(ds, tenantA, (m) => m.query(`SELECT credentials FROM clusters`))).rejects.toThrow(
      /permission denied/,
    );
    await expect(inTenantTx(ds, tenantA, (m) => m.query(`SELECT name FROM clusters`))).resolves.toEqual([
      { name: 'c1' },
    ]);
  });

  it("keeps each tenant's audit chain to itself while the chain stays linked", async () => {
    const audit = new AuditRepository();
    await inTenantTx(ds, tenantA, (m) =>
      audit.append(m, { tenantId: tenantA, actor: 'a', action: 'x', resourceKind: 'Policy' }),
    );
    await inSystemTx(ds, (m) =>
      audit.append(m, { tenantId: tenantB, actor: 'b', action: 'x', resourceKind: 'Policy' }),
    );
    await inTenantTx(ds, tenantA, (m) =>
      audit.append(m, { tenantId: tenantA, actor: 'a', action: 'y', resourceKind: 'Policy' }),
    );
    const seen = await inTenantTx(ds, tenantA, (m) =>
      m.query(`SELECT tenant_id, seq FROM audit_events ORDER BY seq`),
    );
    expect(seen).toEqual([
      { tenant_id: tenantA, seq: '1' },
      { tenant_id: tenantA, seq: '2' },
    ]);
    expect(await inTenantTx(ds, tenantA, (m) => audit.verify(m, tenantA))).toMatchObject({
      valid: true,
      checked: 2,
    });
    await expect(
      inTenantTx(ds, tenantA, (m) =>
        audit.append(m, { tenantId: tenantB, actor: 'a', action: 'forge', resourceKind: 'Policy' }),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('does not leak the tenant or role to the next user of a pooled connection', async () => {
    await inTenantTx(ds, tenantA, async () => undefined);
    const [row] = await ds.query(
      `SELECT current_user AS role, current_setting('heliomesh.tenant_id', true) AS tenant`,
    );
    expect(row.role).not.toBe('heliomesh_app');
    expect(row.tenant ?? '').toBe('');
  });
});
