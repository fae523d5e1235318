import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ROLLOUT_NOTIFY_TOPIC,
  RolloutsService,
  SecretBox,
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from '@heliomesh/core';
import { createDataSource, type DatabaseConnector } from '@heliomesh/db';
import { InMemoryMetricsProvider } from '@heliomesh/metrics';
import { type Logger, ServiceMetrics } from '@heliomesh/observability';
import {
  QUEUE_NAMES,
  redisOptionsFromUrl,
  ROLLOUT_NOTIFY_ATTEMPTS,
  rolloutNotifyJobId,
  WORKER_TIMING,
} from '@heliomesh/queue';
import {
  createTestDatabase,
  eventually,
  spawnNode,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueQueuePrefix,
} from '@heliomesh/testing';
import type { WorkerConfig } from '../src/config.js';
import { OutboxRelayService } from '../src/outbox/outbox-relay.service.js';
import { RolloutProcessor } from '../src/rollout.processor.js';
import { AnalysisRunner } from '../src/rollouts/analysis/analysis-runner.service.js';
import { RolloutEngine } from '../src/rollouts/engine/rollout-engine.service.js';
import { RolloutNotifier } from '../src/rollouts/engine/rollout-notifier.service.js';
import { RolloutMetrics } from '../src/rollouts/rollout-metrics.service.js';
import { InMemoryTrafficProvider } from '../src/rollouts/traffic/in-memory-traffic.provider.js';
import { HttpWebhookCaller } from '../src/rollouts/webhooks/webhook.client.js';
import { WebhookRunner } from '../src/rollouts/webhooks/webhook-runner.service.js';
import { CapturingPublisher, type Seeded, seedTenant, takeTicks } from './rollout-fixtures.js';

/**
 * Notification webhooks (post-rollout, rollback) are outbox messages of the commit that sends
 * them, relayed to `notify` jobs on the rollout queue and retried until the receiver answers:
 * the real relay, queue, processor and engine on Postgres and Redis, and a local HTTP receiver.
 */

const KEY = Buffer.alloc(32, 9).toString('base64');
const BACKOFF_MS = 50;
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const logger = quiet as unknown as Logger;

interface Delivery {
  path: string;
  event: string;
  delivery: string;
  signature: string | undefined;
  body: string;
}

let tdb: TestDatabase;
let db: DataSource;
let hooks: Server;
let hookUrl: string;
/** Every request the receiver got, answered or not. */
const requests: Delivery[] = [];
/** How many more requests each path answers 503 to (`Infinity`: every one). */
const failing = new Map<string, number>();
const publisher = new CapturingPublisher();
const box = new SecretBox(KEY);
let engine: RolloutEngine;
let notifier: RolloutNotifier;
let rollouts: RolloutsService;
let t: Seeded;
const running: Array<() => Promise<void>> = [];
const metrics = new ServiceMetrics('rollout-worker');
const rolloutMetrics = new RolloutMetrics(metrics);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDataSource({ url: tdb.url, poolSize: 6 });
  await db.initialize();
  hooks = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = req.url ?? '/';
      requests.push({
        path,
        event: String(req.headers[WEBHOOK_EVENT_HEADER]),
        delivery: String(req.headers[WEBHOOK_DELIVERY_HEADER]),
        signature: req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined,
        body,
      });
      const left = failing.get(path) ?? 0;
      if (left > 0) failing.set(path, left - 1);
      res.writeHead(left > 0 ? 503 : 200).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  // No analysis steps: the in-memory traffic provider applies routes at once, so ticks are quick.
  const traffic = new InMemoryTrafficProvider(() => 0);
  const webhooks = new WebhookRunner(new HttpWebhookCaller());
  engine = new RolloutEngine(
    db,
    traffic,
    new AnalysisRunner(new InMemoryMetricsProvider()),
    webhooks,
    box,
    publisher,
  );
  notifier = new RolloutNotifier(db, webhooks, box, publisher);
  rollouts = new RolloutsService(db, box, publisher, { tenantLimit: 10 });
  t = await seedTenant(db, 'acme', {
    reviews: ['v1', 'v2'],
    ratings: ['v1', 'v2'],
    details: ['v1', 'v2'],
    cart: ['v1', 'v2'],
    search: ['v1', 'v2'],
  });
}, 60_000);

afterEach(async () => {
  while (running.length) await running.pop()!();
});

afterAll(async () => {
  hooks?.close();
  await db?.destroy();
  await tdb?.drop();
});

/**
 * What a worker runs for the rollout queue: the outbox relay (woken by NOTIFY, polling every
 * 100 ms) and the rollout processor on a BullMQ worker, with notification retries 50 ms apart.
 */
async function startPipeline(prefix: string, opts: { processor?: boolean } = {}): Promise<Queue> {
  // One connection for the queues and the relay's readiness check, as the queue module shares it.
  const redis = new Redis({ ...redisOptionsFromUrl(TEST_REDIS_URL), maxRetriesPerRequest: null });
  const rolloutQueue = new Queue(QUEUE_NAMES.rollout, { connection: redis, prefix });
  const reconcileQueue = new Queue(QUEUE_NAMES.reconcile, { connection: redis, prefix });
  const config = {
    DATABASE_URL: tdb.url,
    OUTBOX_POLL_MS: 100,
    ROLLOUT_CONCURRENCY: 4,
    ROLLOUT_NOTIFY_BACKOFF_MS: BACKOFF_MS,
  } as WorkerConfig;
  await rolloutQueue.waitUntilReady();
  const relay = new OutboxRelayService(
    db,
    { ready: () => Promise.resolve() } as unknown as DatabaseConnector,
    reconcileQueue,
    rolloutQueue,
    redis,
    config,
    logger,
  );
  relay.onApplicationBootstrap();
  let worker: Worker | undefined;
  if (opts.processor !== false) worker = startProcessor(prefix);
  running.push(async () => {
    await relay.onApplicationShutdown();
    await worker?.close();
    await rolloutQueue.obliterate({ force: true }).catch(() => undefined);
    await reconcileQueue.obliterate({ force: true }).catch(() => undefined);
    await Promise.all([rolloutQueue.close(), reconcileQueue.close()]);
    await redis.quit();
  });
  return rolloutQueue;
}

function startProcessor(prefix: string): Worker {
  const processor = new RolloutProcessor(
    { ROLLOUT_CONCURRENCY: 4 } as WorkerConfig,
    engine,
    notifier,
    rolloutMetrics,
    metrics,
    logger,
  );
  const worker = new Worker(QUEUE_NAMES.rollout, (job: Job) => processor.process(job), {
    connection: { ...redisOptionsFromUrl(TEST_REDIS_URL), maxRetriesPerRequest: null },
    prefix,
    concurrency: 4,
    ...WORKER_TIMING,
  });
  worker.on('error', () => undefined);
  return worker;
}

async function create(service: string, hookPath: string, retries = 0) {
  return rollouts.create(t.operator, {
    target: { namespace: 'shop-acme', service },
    stable: 'v1',
    canary: 'v2',
    strategy: { type: 'canary', steps: [{ setWeight: 50 }] },
    webhooks: [{ name: 'done', type: 'post-rollout', url: `${hookUrl}${hookPath}`, retries }],
  });
}

async function phaseOf(id: string): Promise<string> {
  return (await rollouts.get(t.viewer, id)).phase;
}

async function webhookEvents(id: string) {
  return (await rollouts.events(t.viewer, id, { limit: 1_000 })).filter((e) => e.type === 'webhook');
}

async function succeededTick(id: string): Promise<number> {
  const events = await rollouts.events(t.viewer, id, { limit: 1_000 });
  return events.find((e) => e.type === 'transition' && e.phase === 'Succeeded')!.tick;
}

const at = (path: string) => requests.filter((r) => r.path === path);

describe('notification webhooks through the outbox and the queue', () => {
  it('delivers one signed post-rollout call with a stable delivery id when a rollout succeeds', async () => {
    const queue = await startPipeline(uniqueQueuePrefix('notify-ok'));
    const { rollout, webhookSecret } = await create('reviews', '/ok');
    await eventually(async () => (await phaseOf(rollout.id)) === 'Succeeded', 15_000);
    const [call] = await eventually(async () => at('/ok').length > 0 && at('/ok'), 10_000, 20);
    const deliveryId = `${rollout.id}-post-rollout-${await succeededTick(rollout.id)}`;
    expect(call).toMatchObject({ event: 'post-rollout', delivery: deliveryId });
    expect(verifyWebhookSignature(webhookSecret!, call!.signature, call!.body)).toBe(true);
    expect(JSON.parse(call!.body)).toMatchObject({
      event: 'post-rollout',
      deliveryId,
      rolloutId: rollout.id,
      phase: 'Succeeded',
      canaryWeight: 100,
    });
    const [event] = await eventually(async () => {
      const events = await webhookEvents(rollout.id);
      return events.length > 0 && events;
    });
    expect(event!.message).toBe('post-rollout hook "done" passed.');
    expect(event!.data).toMatchObject({ hook: 'post-rollout', deliveryId, delivery: 1 });
    const job = await queue.getJob(rolloutNotifyJobId({ deliveryId }));
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toMatchObject({ result: 'delivered', deliveryId });
    // Nothing else arrives later: one notification, one call.
    await new Promise((r) => setTimeout(r, 300));
    expect(at('/ok')).toHaveLength(1);
    expect(await webhookEvents(rollout.id)).toHaveLength(1);
  });

  it('retries a notification whose receiver fails until it answers, with the same delivery id', async () => {
    failing.set('/flaky', 3);
    const queue = await startPipeline(uniqueQueuePrefix('notify-retry'));
    // The hook's own quick retry is used up first (2 calls per job): the queue retries the job.
    const { rollout, webhookSecret } = await create('ratings', '/flaky', 1);
    const events = await eventually(
      async () => {
        const found = await webhookEvents(rollout.id);
        return found.length > 0 && found;
      },
      15_000,
      50,
    );
    const deliveryId = `${rollout.id}-post-rollout-${await succeededTick(rollout.id)}`;
    const calls = at('/flaky');
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((c) => c.delivery))).toEqual(new Set([deliveryId]));
    for (const c of calls) expect(verifyWebhookSignature(webhookSecret!, c.signature, c.body)).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]!.message).toBe('post-rollout hook "done" passed.');
    expect(events[0]!.data).toMatchObject({ deliveryId, delivery: 2 });
    const job = await queue.getJob(rolloutNotifyJobId({ deliveryId }));
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(job?.returnvalue).toMatchObject({ result: 'delivered' });
  });

  it('records the failure as an event after the last attempt instead of failing the job', async () => {
    failing.set('/down', Infinity);
    const queue = await startPipeline(uniqueQueuePrefix('notify-down'));
    const { rollout } = await create('details', '/down');
    const [event] = await eventually(
      async () => {
        const found = await webhookEvents(rollout.id);
        return found.length > 0 && found;
      },
      15_000,
      50,
    );
    const deliveryId = `${rollout.id}-post-rollout-${await succeededTick(rollout.id)}`;
    expect(at('/down')).toHaveLength(ROLLOUT_NOTIFY_ATTEMPTS);
    expect(event!.message).toBe(
      `post-rollout hook "done" answered HTTP 503. Gave up after ${ROLLOUT_NOTIFY_ATTEMPTS} deliveries.`,
    );
    expect(event!.data).toMatchObject({ deliveryId, delivery: ROLLOUT_NOTIFY_ATTEMPTS });
    const job = await queue.getJob(rolloutNotifyJobId({ deliveryId }));
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toMatchObject({ result: 'gave-up' });
    failing.delete('/down');
  });

  it('keeps a notification committed while no relay ran, and one whose worker was killed, until it is sent', async () => {
    // The transition to Succeeded commits with no relay and no worker: the process that
    // committed it never calls the receiver (as if SIGKILLed right after the commit).
    const { rollout, webhookSecret } = await create('cart', '/late');
    for (let i = 0; i < 20 && (await phaseOf(rollout.id)) !== 'Succeeded'; i++)
      for (const tick of await takeTicks(db)) await engine.tick(tick);
    expect(await phaseOf(rollout.id)).toBe('Succeeded');
    const deliveryId = `${rollout.id}-post-rollout-${await succeededTick(rollout.id)}`;
    expect(at('/late')).toEqual([]);
    const pending = await db.query(
      `SELECT payload FROM outbox WHERE topic = $1 AND published_at IS NULL AND payload->>'rolloutId' = $2`,
      [ROLLOUT_NOTIFY_TOPIC, rollout.id],
    );
    expect(pending).toEqual([{ payload: { rolloutId: rollout.id, type: 'post-rollout', deliveryId } }]);

    // A worker takes the relayed job and dies mid-job (SIGKILL, like the queue's crash test).
    const prefix = uniqueQueuePrefix('notify-crash');
    const redis = new URL(TEST_REDIS_URL);
    const doomed = spawnNode('apps/rollout-worker/test/fixtures/hanging-worker.mjs', {
      REDIS_HOST: redis.hostname,
      REDIS_PORT: redis.port || '6379',
      QUEUE_PREFIX: prefix,
      QUEUE_NAME: QUEUE_NAMES.rollout,
      WORKER_TIMING: JSON.stringify(WORKER_TIMING),
    });
    const queue = await startPipeline(prefix, { processor: false });
    const jobId = rolloutNotifyJobId({ deliveryId });
    await doomed.waitForOutput(new RegExp(`started ${jobId}`), 10_000);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(at('/late')).toEqual([]);

    // A relayed message relayed again (its publish mark lost) does not queue the job twice.
    await db.query(`UPDATE outbox SET published_at = NULL WHERE topic = $1 AND payload->>'deliveryId' = $2`, [
      ROLLOUT_NOTIFY_TOPIC,
      deliveryId,
    ]);
    const worker = startProcessor(prefix);
    running.push(() => worker.close());
    const [call] = await eventually(async () => at('/late').length > 0 && at('/late'), 10_000, 20);
    expect(call).toMatchObject({ event: 'post-rollout', delivery: deliveryId });
    expect(verifyWebhookSignature(webhookSecret!, call!.signature, call!.body)).toBe(true);
    await eventually(async () => (await webhookEvents(rollout.id)).length === 1);
    await eventually(async () => (await queue.getJobCounts('completed')).completed === 1);
    const job = await queue.getJob(jobId);
    expect(job?.stalledCounter).toBe(1);
    await eventually(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM outbox WHERE topic = $1 AND published_at IS NULL AND payload->>'deliveryId' = $2`,
            [ROLLOUT_NOTIFY_TOPIC, deliveryId],
          )
        ).length === 0,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(at('/late')).toHaveLength(1);
    expect(await queue.getJobCounts('completed', 'waiting', 'delayed', 'active')).toEqual({
      completed: 1,
      waiting: 0,
      delayed: 0,
      active: 0,
    });
  });
});
