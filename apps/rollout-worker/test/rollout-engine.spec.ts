import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PoliciesService,
  RolloutsService,
  SecretBox,
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from '@heliomesh/core';
import { createDataSource } from '@heliomesh/db';
import { InMemoryMetricsProvider, measured } from '@heliomesh/metrics';
import {
  auditTails,
  createTestDatabase,
  recordStatements,
  statementsAfterAudit,
  type TestDatabase,
} from '@heliomesh/testing';
import { HeliomeshError } from '@heliomesh/util';
import { AnalysisRunner } from '../src/rollouts/analysis/analysis-runner.service.js';
import { RolloutEngine, type TickReport } from '../src/rollouts/engine/rollout-engine.service.js';
import { RolloutNotifier } from '../src/rollouts/engine/rollout-notifier.service.js';
import { InMemoryTrafficProvider } from '../src/rollouts/traffic/in-memory-traffic.provider.js';
import { HttpWebhookCaller } from '../src/rollouts/webhooks/webhook.client.js';
import { WebhookRunner } from '../src/rollouts/webhooks/webhook-runner.service.js';
import {
  CapturingPublisher,
  type Seeded,
  seedTenant,
  takeNotifications,
  takeTicks,
} from './rollout-fixtures.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
let tdb: TestDatabase;
let db: DataSource;
let hooks: Server;
let hookUrl: string;
const received: Array<{
  type: string;
  body: string;
  signature: string | undefined;
  delivery: string | undefined;
}> = [];
let confirmStatus = 200;
const metrics = new InMemoryMetricsProvider();
// Routes count as applied long ago: this suite runs ticks as fast as it can, not on their schedule.
const traffic = new InMemoryTrafficProvider(() => 0);
const publisher = new CapturingPublisher();
let analysisGate: Promise<void> | undefined;
let engine: RolloutEngine;
let notifier: RolloutNotifier;
let rollouts: RolloutsService;
let t: Seeded;

function healthy(namespace: string, service: string): void {
  const sel = (version: string) => ({ kind: 'service', namespace, service, version });
  metrics
    .setAnswer('successRate', sel('v2'), measured(100, { requestCount: 500 }))
    .setAnswer('requestCount', sel('v2'), measured(500))
    .setAnswer('requestCount', sel('v1'), measured(4_500));
}

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
      const type = String(req.headers['x-heliomesh-event']);
      received.push({
        type,
        body,
        signature: req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined,
        delivery: req.headers[WEBHOOK_DELIVERY_HEADER] as string | undefined,
      });
      res.writeHead(type === 'confirm-promotion' ? confirmStatus : 200).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  const runner = new AnalysisRunner(metrics);
  const analyst = {
    run: async (...args: Parameters<AnalysisRunner['run']>) => {
      await analysisGate;
      return runner.run(...args);
    },
    isOnline: () => runner.isOnline(),
  };
  const box = new SecretBox(KEY);
  engine = new RolloutEngine(
    db,
    traffic,
    analyst,
    new WebhookRunner(new HttpWebhookCaller()),
    box,
    publisher,
  );
  notifier = new RolloutNotifier(db, new WebhookRunner(new HttpWebhookCaller()), box, publisher);
  rollouts = new RolloutsService(db, box, publisher, { tenantLimit: 3 });
  t = await seedTenant(db, 'acme', {
    reviews: ['v1', 'v2'],
    ratings: ['v1', 'v2'],
    details: ['v1', 'v2'],
    cart: ['v1', 'v2'],
  });
  for (const s of ['reviews', 'ratings', 'details', 'cart']) healthy('shop-acme', s);
}, 60_000);

afterAll(async () => {
  hooks?.close();
  await db?.destroy();
  await tdb?.drop();
});

const body = (service: string, extra: Record<string, unknown> = {}) => ({
  target: { namespace: 'shop-acme', service },
  stable: 'v1',
  canary: 'v2',
  analysis: {
    interval: '1s',
    metrics: [{ name: 'success', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } }],
  },
  strategy: {
    type: 'canary',
    steps: [{ setWeight: 10 }, { analysis: {} }, { setWeight: 50 }, { analysis: {} }],
  },
  ...extra,
});

/**
 * Runs every due tick and notification (what the relay and the queue do), until none is left or
 * `max` rounds ran.
 */
async function drain(max = 100): Promise<TickReport[]> {
  const reports: TickReport[] = [];
  for (let i = 0; i < max; i++) {
    const ticks = await takeTicks(db);
    const notifications = await takeNotifications(db);
    if (ticks.length === 0 && notifications.length === 0) break;
    for (const tick of ticks) reports.push(await engine.tick(tick));
    for (const n of notifications) await notifier.deliver(n, { attempt: 1, final: true });
  }
  return reports;
}

async function rolloutEvents(id: string) {
  return rollouts.events(t.viewer, id, { limit: 1_000 });
}

async function audit(id: string): Promise<Array<{ action: string; data: Record<string, unknown> }>> {
  return db.query(`SELECT action, data FROM audit_events WHERE resource_id = $1 ORDER BY seq`, [id]);
}

describe('the rollout engine on Postgres', () => {
  it('runs a canary from creation to success, audits every step once and pins the release', async () => {
    const statements = recordStatements(db);
    const created = await rollouts.create(
      t.operator,
      body('reviews', {
        webhooks: [
          { name: 'load', type: 'pre-rollout', url: `${hookUrl}/pre` },
          { name: 'step', type: 'rollout', url: `${hookUrl}/step` },
          { name: 'confirm', type: 'confirm-promotion', url: `${hookUrl}/confirm`, retries: 0 },
          { name: 'done', type: 'post-rollout', url: `${hookUrl}/done` },
        ],
      }),
    );
    expect(created.rollout).toMatchObject({
      phase: 'Initializing',
      webhooksSigned: true,
      step: { index: 0, total: 4 },
    });
    expect(created.webhookSecret).toMatch(/^whsec_/);
    await drain().finally(() => statements.stop());
    const view = await rollouts.get(t.viewer, created.rollout.id);
    expect(view).toMatchObject({ phase: 'Succeeded', canaryWeight: 100, failedChecks: 0, eta: null });
    expect(traffic.calls.filter((c) => c.rolloutId === view.id).map((c) => c.route.canaryWeight)).toEqual([
      0, 10, 50, 100,
    ]);
    expect(traffic.released).toContain(view.id);

    const events = await rolloutEvents(view.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'created',
        'gate',
        'route',
        'analysis',
        'step',
        'transition',
        'pin',
        'webhook',
      ]),
    );
    const actions = (await audit(view.id)).map((a) => a.action);
    expect(actions.filter((a) => a === 'rollout.step-completed')).toHaveLength(4);
    expect(
      (await audit(view.id))
        .filter((a) => a.action === 'rollout.step-completed')
        .map((a) => a.data['stepIndex']),
    ).toEqual([0, 1, 2, 3]);
    expect(actions).toEqual(
      expect.arrayContaining([
        'rollout.create',
        'rollout.started',
        'rollout.promoting',
        'rollout.switched',
        'rollout.succeeded',
      ]),
    );
    const [pinAudit] = await db.query(`SELECT action FROM audit_events WHERE actor = $1`, [
      `system:rollout:${view.id}`,
    ]);
    expect(pinAudit).toEqual({ action: 'policy.create' });
    // Every audited transaction appended last (decision 0004); the final tick's transition and
    // the pinned release's policy event went in together, after the pin's locks and writes.
    const tails = auditTails(statements);
    expect(tails.length).toBeGreaterThanOrEqual(actions.length);
    for (const tail of tails) expect(statementsAfterAudit(tail)).toEqual([]);
    expect(tails.filter((tail) => tail.length === 3)).toHaveLength(1);
    const analysed = (await audit(view.id)).find(
      (a) => a.action === 'rollout.step-completed' && a.data['stepIndex'] === 1,
    )!;
    expect(analysed.data['verdicts']).toEqual([
      expect.objectContaining({
        metric: 'success',
        outcome: 'pass',
        query: 'request-success-rate',
        window: '1s',
      }),
    ]);

    const [pin] = await db.query(`SELECT name, spec, created_by FROM policies WHERE service_id = $1`, [
      t.serviceIds['reviews'],
    ]);
    expect(pin).toEqual({
      name: 'reviews-release',
      spec: { weights: [{ version: 'v2', weight: 100 }] },
      created_by: `system:rollout:${view.id}`,
    });
    const reconciles = await db.query(
      `SELECT payload FROM outbox WHERE topic = 'reconcile' AND payload->>'serviceId' = $1`,
      [t.serviceIds['reviews']],
    );
    // The in-memory traffic provider queues nothing itself; this is the pinned policy's reconcile.
    expect(reconciles).toEqual([
      { payload: { tenantId: t.tenantId, serviceId: t.serviceIds['reviews'], reason: 'policy-change' } },
    ]);

    const types = received.map((r) => r.type);
    expect(types[0]).toBe('pre-rollout');
    expect(types.filter((x) => x === 'rollout')).toHaveLength(4);
    expect(types.slice(-2)).toEqual(['confirm-promotion', 'post-rollout']);
    for (const r of received)
      expect(verifyWebhookSignature(created.webhookSecret!, r.signature, r.body)).toBe(true);
    // The notification's delivery id names the tick that committed Succeeded, in header and body.
    const done = received.at(-1)!;
    const succeededTick = events.find((e) => e.type === 'transition' && e.phase === 'Succeeded')!.tick;
    expect(done.delivery).toBe(`${view.id}-post-rollout-${succeededTick}`);
    expect(JSON.parse(done.body)).toMatchObject({ event: 'post-rollout', deliveryId: done.delivery });
    expect(new Set(received.map((r) => r.delivery)).size).toBe(received.length);
    expect(JSON.parse(received.at(-2)!.body)).toMatchObject({
      event: 'confirm-promotion',
      canaryWeight: 50,
      rolloutId: view.id,
    });

    const progress = publisher.events.filter((e) => e.rolloutId === view.id);
    expect(progress.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect(progress[0]).toMatchObject({
      schema: 1,
      service: 'reviews',
      stable: 'v1',
      canary: 'v2',
      steps: 4,
    });
  });

  it('holds at a failing confirm-promotion gate, without sending the canary 100 %', async () => {
    confirmStatus = 503;
    const { rollout } = await rollouts.create(
      t.operator,
      body('ratings', {
        webhooks: [{ name: 'confirm', type: 'confirm-promotion', url: `${hookUrl}/confirm`, retries: 1 }],
      }),
    );
    for (let i = 0; i < 12; i++) {
      const ticks = await takeTicks(db);
      for (const tick of ticks) await engine.tick(tick);
      if ((await rollouts.get(t.viewer, rollout.id)).phase === 'Promoting' && i > 8) break;
    }
    const held = await rollouts.get(t.viewer, rollout.id);
    expect(held).toMatchObject({ phase: 'Promoting', canaryWeight: 50 });
    const gates = (await rolloutEvents(rollout.id)).filter((e) => e.type === 'gate');
    expect(gates.length).toBeGreaterThanOrEqual(1);
    expect(gates[0]!.message).toMatch(/Holding: confirm-promotion hook "confirm" answered HTTP 503/);
    confirmStatus = 200;
    await drain();
    expect((await rollouts.get(t.viewer, rollout.id)).phase).toBe('Succeeded');
  });

  it('refuses weight writes while a rollout drives the service, naming it, and allows them after', async () => {
    const policies = new PoliciesService(db);
    const { rollout } = await rollouts.create(t.operator, body('details'));
    await engine.tick((await takeTicks(db))[0]!);
    const split = {
      name: 'details-split',
      kind: 'TrafficSplit',
      target: { namespace: 'shop-acme', service: 'details' },
      spec: {
        weights: [
          { version: 'v1', weight: 50 },
          { version: 'v2', weight: 50 },
        ],
      },
    };
    const err = await policies.create(t.operator, split).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeliomeshError);
    expect(err).toMatchObject({ code: 'ROLLOUT_IN_PROGRESS', status: 409 });
    expect((err as HeliomeshError).message).toContain(rollout.id);
    const other = await policies.create(t.operator, {
      ...split,
      name: 'cart-timeout',
      kind: 'Timeout',
      target: { namespace: 'shop-acme', service: 'cart' },
      spec: { timeout: '2s' },
    });
    expect('policy' in other).toBe(true);
    await rollouts.abort(t.operator, rollout.id, { reason: 'testing the guard' });
    await drain();
    expect((await rollouts.get(t.viewer, rollout.id)).phase).toBe('Aborted');
    // The rollout left all traffic on stable in a TrafficSplit; that policy is the one to change now.
    const page = await policies.list(t.viewer, { serviceId: t.serviceIds['details'] });
    const pinned = page.items.find((p) => p.name === 'details-release')!;
    expect(pinned.spec).toEqual({ weights: [{ version: 'v1', weight: 100 }] });
    const written = await policies.update(
      t.operator,
      pinned.id,
      { ...split, name: 'details-release' },
      { expectedRevision: 1 },
    );
    expect('policy' in written && written.policy.revision).toBe(2);
  });

  it('lets a command win over a tick in flight: the tick leaves no trace', async () => {
    const { rollout } = await rollouts.create(t.operator, body('cart'));
    await drain(2);
    let release!: () => void;
    analysisGate = new Promise((r) => (release = r));
    const [due] = await takeTicks(db);
    const inFlight = engine.tick(due!);
    await new Promise((r) => setTimeout(r, 100));
    const before = (await rolloutEvents(rollout.id)).length;
    await rollouts.pause(t.operator, rollout.id, { reason: 'investigating' });
    release();
    analysisGate = undefined;
    expect(await inFlight).toMatchObject({ result: 'lost-race' });
    const events = await rolloutEvents(rollout.id);
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ type: 'command', phase: 'Paused', actor: 'token:acme-operator' });
    expect(await engine.tick(due!)).toMatchObject({ result: 'stale' });
    expect(await takeTicks(db)).toEqual([]);
    await rollouts.resume(t.operator, rollout.id);
    const [again] = await takeTicks(db);
    // The same tick delivered twice, both read before either commits: exactly one takes effect.
    let go!: () => void;
    analysisGate = new Promise((r) => (go = r));
    const both = Promise.all([engine.tick(again!), engine.tick(again!)]);
    await new Promise((r) => setTimeout(r, 100));
    go();
    analysisGate = undefined;
    const [a, b] = await both;
    expect([a.result, b.result].sort()).toEqual(['advanced', 'lost-race']);
    await drain();
    expect((await rollouts.get(t.viewer, rollout.id)).phase).toBe('Succeeded');
  });

  it('retries an aborted rollout from the first step without a new spec', async () => {
    const { rollout } = await rollouts.create(
      t.operator,
      body('reviews', { strategy: { type: 'canary', steps: [{ setWeight: 30 }, { pause: {} }] } }),
    );
    await drain();
    expect(await rollouts.get(t.viewer, rollout.id)).toMatchObject({
      phase: 'Paused',
      phaseReason: { code: 'pause-step' },
    });
    await rollouts.abort(t.operator, rollout.id);
    await drain();
    expect((await rollouts.get(t.viewer, rollout.id)).phase).toBe('Aborted');
    const retried = await rollouts.retry(t.operator, rollout.id, { reason: 'fixed the config' });
    expect(retried).toMatchObject({ phase: 'Initializing', attempt: 2, step: { index: 0 } });
    await drain();
    const paused = await rollouts.get(t.viewer, rollout.id);
    expect(paused).toMatchObject({ phase: 'Paused', attempt: 2, canaryWeight: 30 });
    await rollouts.promote(t.operator, rollout.id, {});
    await drain();
    expect((await rollouts.get(t.viewer, rollout.id)).phase).toBe('Succeeded');
    const actions = (await audit(rollout.id)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['rollout.abort', 'rollout.aborted', 'rollout.retry', 'rollout.promote']),
    );
  });

  it('queues the next tick itself after the commit when given a queue, writing no outbox message for it', async () => {
    const queued: Array<{ rolloutId: string; tick: number; delayMs: number }> = [];
    const direct = new RolloutEngine(
      db,
      traffic,
      new AnalysisRunner(metrics),
      new WebhookRunner(new HttpWebhookCaller()),
      new SecretBox(KEY),
      publisher,
      async (rolloutId, tick, delayMs) => queued.push({ rolloutId, tick, delayMs }),
    );
    const { rollout } = await rollouts.create(
      t.operator,
      body('ratings', { strategy: { type: 'canary', steps: [{ setWeight: 10 }, { analysis: {} }] } }),
    );
    const [first] = await takeTicks(db);
    expect(first).toMatchObject({ rolloutId: rollout.id, tick: 1 });
    expect(await direct.tick(first!)).toMatchObject({ result: 'advanced' });
    expect(queued).toEqual([{ rolloutId: rollout.id, tick: 2, delayMs: expect.any(Number) }]);
    expect(queued[0]!.delayMs).toBeLessThanOrEqual(0);
    expect(await takeTicks(db)).toEqual([]);
    await direct.tick({ rolloutId: rollout.id, tick: 2 });
    expect(queued[1]).toMatchObject({ tick: 3 });
    expect(queued[1]!.delayMs).toBeGreaterThan(500);
    await rollouts.abort(t.operator, rollout.id);
  });
});
