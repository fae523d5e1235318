import pg from 'pg';
import type { DataSource } from 'typeorm';
import { HeliomeshError } from '@heliomesh/util';

/** Postgres error codes we act on. */
const DUPLICATE_DATABASE = '42P04';
const INSUFFICIENT_PRIVILEGE = '42501';
const INVALID_CATALOG_NAME = '3D000';

/** Any 64-bit key works; this one is "heliomes" in ASCII, so it is recognisable in pg_locks. */
export const MIGRATION_LOCK_KEY = '7522537958006730099';

function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name)
    throw new HeliomeshError({
      code: 'CONFIG_DATABASE_NAME',
      status: 500,
      message: `DATABASE_URL ${redactUrl(url)} names no database`,
    });
  return name;
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

/**
 * Creates the database named in `url` when it is missing and the role may create databases.
 * Safe when several processes race: the loser sees "already exists" and carries on.
 */
export async function ensureDatabase(url: string): Promise<'exists' | 'created'> {
  const name = databaseName(url);
  const target = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await target.connect();
    return 'exists';
  } catch (err) {
    if (pgCode(err) !== INVALID_CATALOG_NAME) throw err;
  } finally {
    await target.end().catch(() => undefined);
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 3_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return 'created';
  } catch (err) {
    if (pgCode(err) === DUPLICATE_DATABASE) return 'exists';
    if (pgCode(err) === INSUFFICIENT_PRIVILEGE) {
      throw new HeliomeshError({
        code: 'DATABASE_MISSING',
        status: 500,
        message: `database "${name}" does not exist and this role may not create it; create it with: createdb ${name}`,
        cause: err,
      });
    }
    throw err;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Runs pending migrations while holding a session advisory lock, so replicas that start
 * together apply each migration exactly once; the others wait, then find nothing to do.
 */
export async function migrateWithLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Opens `count` pool connections at once and returns them to the pool, which keeps them (its
 * `min`). Each is a Postgres backend that has started and run a query before the first request
 * needs it; a pool that only grows under load opens them all when the load steps up instead.
 */
export async function warmPool(dataSource: DataSource, count: number): Promise<void> {
  if (count <= 0) return;
  const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  // Held together, so they are `count` distinct connections; each returned once it answered,
  // and only those obtained (a failed connect has nothing to return).
  const clients = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      const client = await pool.connect();
      try {
        await client.query('SELECT 1');
        return client;
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
    }),
  );
  for (const c of clients) if (c.status === 'fulfilled') c.value.release();
  const failed = clients.find((c): c is PromiseRejectedResult => c.status === 'rejected');
  if (failed) throw failed.reason;
}
