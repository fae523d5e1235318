import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, ensureDatabase, warmPool } from '../src/index.js';
import { databaseUrl, dropDatabase, freshDatabaseName } from './fresh-database.js';

const name = freshDatabaseName();
const sources: DataSource[] = [];

beforeAll(async () => {
  await ensureDatabase(databaseUrl(name));
});

afterAll(async () => {
  await Promise.all(sources.map((s) => s.destroy()));
  await dropDatabase(name);
});

async function open(poolMin: number): Promise<{ ds: DataSource; backends: () => Promise<number> }> {
  const applicationName = `warm-${randomUUID().slice(0, 8)}`;
  const ds = createDataSource({ url: databaseUrl(name), applicationName, poolMin });
  await ds.initialize();
  sources.push(ds);
  const backends = async () =>
    Number(
      (
        await ds.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1`, [
          applicationName,
        ])
      )[0].n,
    );
  return { ds, backends };
}

describe('warmPool', () => {
  it('opens the pool minimum at once, as distinct Postgres backends that stay connected', async () => {
    const { ds, backends } = await open(4);
    expect(await backends()).toBe(1); // the connection TypeORM opened to initialise
    await warmPool(ds, 4);
    expect(await backends()).toBe(4);
    // Concurrent queries up to the minimum reuse them instead of opening more.
    await Promise.all(Array.from({ length: 4 }, () => ds.query('SELECT pg_sleep(0.05)')));
    expect(await backends()).toBe(4);
  });

  it('fails without leaking: connections it did get go back to the pool', async () => {
    const ds = createDataSource({ url: databaseUrl(name), poolSize: 2, poolMin: 2, connectTimeoutMs: 300 });
    await ds.initialize();
    sources.push(ds);
    // Four wanted from a pool of two: two connect, two time out waiting for a slot.
    await expect(warmPool(ds, 4)).rejects.toThrow(/timeout/i);
    const pool = (ds.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 2, idle: 2 });
    expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('opens nothing when the minimum is 0 (the pool grows on demand)', async () => {
    const { ds, backends } = await open(0);
    await warmPool(ds, 0);
    expect(await backends()).toBe(1);
  });
});
