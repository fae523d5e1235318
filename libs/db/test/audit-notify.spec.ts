import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_CHANNEL,
  AuditRepository,
  createDataSource,
  ensureDatabase,
  migrateWithLock,
  parseAuditNotification,
} from '../src/index.js';
import { databaseUrl, dropDatabase, freshDatabaseName } from './fresh-database.js';

const name = freshDatabaseName();
let ds: DataSource;
let listener: pg.Client;
const heard: string[] = [];
const audit = new AuditRepository();

beforeAll(async () => {
  const url = databaseUrl(name);
  await ensureDatabase(url);
  ds = createDataSource({ url, poolSize: 4 });
  await ds.initialize();
  await migrateWithLock(ds);
  listener = new pg.Client({ connectionString: url });
  await listener.connect();
  listener.on('notification', (n) => {
    if (n.channel === AUDIT_CHANNEL) heard.push(n.payload ?? '');
  });
  await listener.query(`LISTEN ${AUDIT_CHANNEL}`);
});

afterAll(async () => {
  await listener?.end();
  await ds?.destroy();
  await dropDatabase(name);
});

const event = (tenantId: string) => ({
  tenantId,
  actor: 'token:t',
  action: 'policy.create',
  resourceKind: 'Policy',
});

/** Notifications arrive asynchronously; a marker event committed last tells when the rest are in. */
async function heardUntilMarker(): Promise<string[]> {
  const marker = randomUUID();
  await ds.transaction((m) => audit.append(m, event(marker)));
  const deadline = Date.now() + 5_000;
  while (!heard.some((p) => p.startsWith(marker)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  return heard.splice(0).filter((p) => !p.startsWith(marker));
}

describe('audit notifications', () => {
  it('announce each committed event as tenant:seq, in commit order, and nothing of a rollback', async () => {
    const tenant = randomUUID();
    await ds.transaction(async (m) => {
      await audit.append(m, event(tenant));
      await audit.append(m, event(tenant));
    });
    await expect(
      ds.transaction(async (m) => {
        await audit.append(m, event(tenant));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await ds.transaction((m) => audit.append(m, event(tenant)));
    const got = (await heardUntilMarker()).map(parseAuditNotification);
    expect(got).toEqual([
      { tenantId: tenant, seq: 1 },
      { tenantId: tenant, seq: 2 },
      { tenantId: tenant, seq: 3 },
    ]);
  });
});

describe('parseAuditNotification', () => {
  it('reads what the trigger writes', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (tenantId, seq) => {
        expect(parseAuditNotification(`${tenantId}:${seq}`)).toEqual({ tenantId, seq });
      }),
    );
  });

  it.each([
    undefined,
    '',
    'x:1',
    `${randomUUID()}:0`,
    `${randomUUID()}:-1`,
    `${randomUUID()}:1:2`,
    `${randomUUID()}`,
    `${randomUUID()}:9007199254740993`,
  ])('rejects %j', (payload) => {
    expect(parseAuditNotification(payload)).toBeNull();
  });
});
