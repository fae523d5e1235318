import { randomBytes } from 'node:crypto';
import pg from 'pg';

// libs/testing depends on this lib, so these tests make their own (empty, unmigrated) databases:
// migrating from nothing is exactly what they exercise.
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export function freshDatabaseName(): string {
  return `hmt_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}
