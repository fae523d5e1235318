import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataSource, ensureDatabase, migrateWithLock, MIGRATIONS } from '../src/index.js';
import { databaseUrl, dropDatabase, freshDatabaseName } from './fresh-database.js';

const name = freshDatabaseName();
const url = databaseUrl(name);

afterAll(() => dropDatabase(name));

describe('database lifecycle', () => {
  it('creates a missing database, and is a no-op the second time', async () => {
    expect(await ensureDatabase(url)).toBe('created');
    expect(await ensureDatabase(url)).toBe('exists');
  });

  it('applies each migration once when replicas migrate at the same time', async () => {
    const replicas = [0, 1, 2].map(() => createDataSource({ url, poolSize: 2 }));
    await Promise.all(replicas.map((ds) => ds.initialize()));
    try {
      const results = await Promise.all(replicas.map((ds) => migrateWithLock(ds)));
      const applied = results.flat();
      expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT name FROM schema_migrations ORDER BY id');
      await client.end();
      expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      await Promise.all(replicas.map((ds) => ds.destroy()));
    }
  });
});
