import { type Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@heliomesh/config';
import type { RunningService } from '@heliomesh/observability';
import { enqueueReconcile, QUEUE_NAMES, redisOptionsFromUrl, WORKER_TIMING } from '@heliomesh/queue';
import {
  createTestDatabase,
  eventually,
  spawnNode,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueQueuePrefix,
} from '@heliomesh/testing';
import { workerEnv } from '../src/config.js';
import { startWorker } from '../src/worker.bootstrap.js';

let db: TestDatabase;
const services: RunningService[] = [];
const queues: Queue[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await Promise.all(queues.map((q) => q.close()));
  await db?.drop();
});

async function start(prefix: string): Promise<RunningService> {
  const config = loadConfig(workerEnv, {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
  const service = await startWorker({ ...config, WORKER_PORT: 0 });
  services.push(service);
  return service;
}

function reconcileQueue(prefix: string): Queue {
  const queue = new Queue(QUEUE_NAMES.reconcile, {
    connection: { ...redisOptionsFromUrl(TEST_REDIS_URL), maxRetriesPerRequest: null },
    prefix,
  });
  queues.push(queue);
  return queue;
}

describe('rollout-worker queues', () => {
  it('processes a reconcile job from the producer against real Redis, and counts it', async () => {
    const prefix = uniqueQueuePrefix('produce');
    const service = await start(prefix);
    const queue = reconcileQueue(prefix);
    const jobId = await enqueueReconcile(queue, {
      tenantId: '00000000-0000-4000-8000-000000000003',
      serviceId: '00000000-0000-4000-8000-000000000001',
      reason: 'policy-change',
    });
    const job: Job = await eventually(
      async () => (await queue.getJobState(jobId!)) === 'completed' && queue.getJob(jobId!),
    );
    expect(job.returnvalue).toEqual({ status: 'skipped', reason: 'the service no longer exists' });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(
      /heliomesh_jobs_total\{queue="reconcile",outcome="completed",service="rollout-worker"\} 1/,
    );
  });

  it('hands the job of a worker killed mid-job to another worker within 5 s', async () => {
    const prefix = uniqueQueuePrefix('crash');
    const redis = new URL(TEST_REDIS_URL);
    const doomed = spawnNode('apps/rollout-worker/test/fixtures/hanging-worker.mjs', {
      REDIS_HOST: redis.hostname,
      REDIS_PORT: redis.port || '6379',
      QUEUE_PREFIX: prefix,
      QUEUE_NAME: QUEUE_NAMES.reconcile,
      WORKER_TIMING: JSON.stringify(WORKER_TIMING),
    });
    const queue = reconcileQueue(prefix);
    const jobId = await enqueueReconcile(queue, {
      tenantId: '00000000-0000-4000-8000-000000000003',
      serviceId: '00000000-0000-4000-8000-000000000002',
      reason: 'drift',
    });
    await doomed.waitForOutput(new RegExp(`started ${jobId}`), 10_000);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const killedAt = Date.now();

    await start(prefix);
    const job: Job = await eventually(
      async () => (await queue.getJobState(jobId!)) === 'completed' && queue.getJob(jobId!),
      10_000,
      50,
    );
    const recoveredInMs = Date.now() - killedAt;
    expect(recoveredInMs).toBeLessThan(5_000);
    expect(job.returnvalue).toEqual({ status: 'skipped', reason: 'the service no longer exists' });
    expect(job.stalledCounter).toBe(1);
  });
});
