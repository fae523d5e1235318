import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDataSource,
  ensureDatabase,
  migrateWithLock,
  OUTBOX_CHANNEL,
  OutboxRepository,
} from '../src/index.js';
import { databaseUrl, dropDatabase, freshDatabaseName } from './fresh-database.js';

const name = freshDatabaseName();
let ds: DataSource;
const outbox = new OutboxRepository();
const tenantId = randomUUID();

beforeAll(async () => {
  const url = databaseUrl(name);
  await ensureDatabase(url);
  ds = createDataSource({ url, poolSize: 6 });
  await ds.initialize();
  await migrateWithLock(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await dropDatabase(name);
});

describe('outbox', () => {
  it('keeps nothing from a rolled-back transaction and wakes listeners on commit', async () => {
    const listener = new pg.Client({ connectionString: databaseUrl(name) });
    await listener.connect();
    const notified = new Promise<void>((resolve) => listener.once('notification', () => resolve()));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    await expect(
      ds.transaction(async (m) => {
        await outbox.add(m, { tenantId, topic: 'reconcile', payload: { n: 0 } });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await outbox.pendingCount(ds)).toBe(0);
    await ds.transaction((m) => outbox.add(m, { tenantId, topic: 'reconcile', payload: { n: 1 } }));
    await notified;
    await listener.end();
    expect(await outbox.pendingCount(ds)).toBe(1);
  });

  it('publishes in order, keeps what failed for the next round, and never hands one message to two relays', async () => {
    for (let n = 2; n <= 40; n++)
      await ds.transaction((m) => outbox.add(m, { tenantId, topic: 'reconcile', payload: { n } }));
    const failed = await outbox.relayBatch(ds, 100, async () => {
      throw new Error('redis is down');
    });
    expect(failed).toEqual({ published: 0, failed: 40 });
    expect(await outbox.pendingCount(ds)).toBe(40);

    const seen: number[] = [];
    const relay = () =>
      outbox.relayBatch(ds, 7, async (messages) => {
        await new Promise((r) => setTimeout(r, 5));
        for (const msg of messages) seen.push(msg.payload['n'] as number);
        return new Set(messages.map((msg) => msg.id));
      });
    while ((await outbox.pendingCount(ds)) > 0) await Promise.all([relay(), relay(), relay()]);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const [row] = await ds.query(`SELECT max(attempts) AS attempts, min(last_error) AS err FROM outbox`);
    expect(Number(row.attempts)).toBe(2);
    expect(row.err).toBe('redis is down');
  });
});
