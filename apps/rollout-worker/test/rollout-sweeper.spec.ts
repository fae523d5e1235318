import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RolloutsService, SecretBox } from '@heliomesh/core';
import { createDataSource, type DatabaseConnector } from '@heliomesh/db';
import type { Logger } from '@heliomesh/observability';
import { QUEUE_NAMES, redisOptionsFromUrl, rolloutTickJobId } from '@heliomesh/queue';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniqueQueuePrefix } from '@heliomesh/testing';
import type { WorkerConfig } from '../src/config.js';
import { RolloutSweeper } from '../src/rollouts/rollout-sweeper.service.js';
import { CapturingPublisher, seedTenant, takeTicks } from './rollout-fixtures.js';

let tdb: TestDatabase;
let db: DataSource;
let queue: Queue;
const warnings: unknown[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDataSource({ url: tdb.url, poolSize: 3 });
  await db.initialize();
  queue = new Queue(QUEUE_NAMES.rollout, {
    connection: { ...redisOptionsFromUrl(TEST_REDIS_URL), maxRetriesPerRequest: null },
    prefix: uniqueQueuePrefix('sweep'),
  });
}, 60_000);

afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await db?.destroy();
  await tdb?.drop();
});

describe('the rollout sweeper', () => {
  it('queues an overdue tick that has no job, and leaves a live one alone', async () => {
    const t = await seedTenant(db, 'acme', { reviews: ['v1', 'v2'] });
    const rollouts = new RolloutsService(
      db,
      new SecretBox(Buffer.alloc(32, 3).toString('base64')),
      new CapturingPublisher(),
      { tenantLimit: 5 },
    );
    const { rollout } = await rollouts.create(t.operator, {
      target: { namespace: 'shop-acme', service: 'reviews' },
      stable: 'v1',
      canary: 'v2',
      strategy: { type: 'canary', steps: [{ setWeight: 10 }] },
    });
    // The outbox message was taken but never reached the queue (Redis flushed, say), and time passed.
    expect(await takeTicks(db)).toHaveLength(1);
    await db.query(`UPDATE rollouts SET next_tick_at = now() - interval '1 minute' WHERE id = $1`, [
      rollout.id,
    ]);
    const logger = {
      warn: (...args: unknown[]) => warnings.push(args),
      info: () => undefined,
    } as unknown as Logger;
    const sweeper = new RolloutSweeper(
      db,
      { ready: () => Promise.resolve() } as unknown as DatabaseConnector,
      queue,
      { ROLLOUT_SWEEP_INTERVAL_MS: 60_000 } as WorkerConfig,
      logger,
    );
    expect(await sweeper.sweep()).toBe(1);
    const job = await queue.getJob(rolloutTickJobId({ rolloutId: rollout.id, tick: 1 }));
    expect(job?.data).toEqual({ rolloutId: rollout.id, tick: 1 });
    expect(await sweeper.sweep()).toBe(0);
    await job!.remove();
    expect(await sweeper.sweep()).toBe(1);
    expect(warnings).toHaveLength(2);
    // Not overdue (or finished): nothing to do.
    await db.query(`UPDATE rollouts SET next_tick_at = now() + interval '1 minute' WHERE id = $1`, [
      rollout.id,
    ]);
    await (await queue.getJob(rolloutTickJobId({ rolloutId: rollout.id, tick: 1 })))!.remove();
    expect(await sweeper.sweep()).toBe(0);
  });
});
