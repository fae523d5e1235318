import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDataSource, migrateWithLock, MIGRATIONS } from '@heliomesh/db';
import { sha256Hex, sleep } from '@heliomesh/util';

/** The server tests run against; the database part of the URL is ignored. */
export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const TEMPLATE_LOCK_KEY = '7522537958006730100';
const STALE_AFTER_SECONDS = 2 * 60 * 60;
const OBJECT_IN_USE = '55006';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function urlFor(database: string): string {
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor('postgres'), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrations identify the template: a new or edited migration gives a fresh one. */
function templateName(): string {
  const fingerprint = MIGRATIONS.map((m) => `${m.name}:${m.prototype.up.toString()}`).join('\n');
  return `heliomesh_tpl_${sha256Hex(fingerprint).slice(0, 12)}`;
}

let templateReady: Promise<string> | undefined;

/**
 * Builds (once per machine and schema version) a migrated template database. Every test file
 * then gets its own copy in milliseconds with CREATE DATABASE ... TEMPLATE.
 */
function ensureTemplate(): Promise<string> {
  templateReady ??= withAdmin(async (admin) => {
    const name = templateName();
    await admin.query('SELECT pg_advisory_lock($1::bigint)', [TEMPLATE_LOCK_KEY]);
    try {
      await dropStaleTestDatabases(admin);
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return name;
      const building = `${name}_build`;
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(building)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(building)}`);
      const ds = createDataSource({
        url: urlFor(building),
        applicationName: 'heliomesh-test-template',
        poolSize: 2,
      });
      await ds.initialize();
      try {
        await migrateWithLock(ds);
      } finally {
        await ds.destroy();
      }
      await admin.query(
        `ALTER DATABASE ${pg.escapeIdentifier(building)} RENAME TO ${pg.escapeIdentifier(name)}`,
      );
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1::bigint)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return templateReady;
}

async function dropStaleTestDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'hmt\\_%'`,
  );
  const now = Math.floor(Date.now() / 1000);
  for (const { datname } of rows) {
    const created = Number(datname.split('_')[1]);
    if (Number.isFinite(created) && now - created > STALE_AFTER_SECONDS) {
      await admin
        .query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`)
        .catch(() => undefined);
    }
  }
}

/** A freshly migrated database of its own, so test files can run in parallel and never share rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `hmt_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(
          `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`,
        );
        return;
      } catch (err) {
        // Another file copying the same template at this instant holds it briefly.
        if ((err as { code?: string }).code !== OBJECT_IN_USE || attempt > 50) throw err;
        await sleep(50 + Math.random() * 100);
      }
    }
  });
  return {
    name,
    url: urlFor(name),
    drop: () =>
      withAdmin((admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

/** A BullMQ key prefix no other test file uses. */
export function uniqueQueuePrefix(label = 't'): string {
  return `hmtest-${label}-${randomBytes(4).toString('hex')}`;
}
