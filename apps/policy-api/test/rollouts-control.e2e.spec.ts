import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rolloutChannel, verifyWebhookSignature } from '@heliomesh/core';
import { eventually, setUpTenant, type TenantSetup } from '@heliomesh/testing';
import { defaultWeights, getVirtualService } from './platform-harness.js';
import {
  eventsOf,
  type RolloutPlatform,
  startRollout,
  startRolloutPlatform,
  SUCCESS_AND_LATENCY,
  waitForRollout,
} from './rollouts-harness.js';

let r: RolloutPlatform;
let outsider: TenantSetup;
let hooks: Server;
let hookUrl: string;
let confirmStatus = 503;
const calls: Array<{ event: string; body: string; signature: string | undefined }> = [];
const target = { namespace: 'shop', service: 'reviews' };
const analysis = {
  interval: '2s',
  window: '2s',
  minRequests: 20,
  failureLimit: 0,
  metrics: SUCCESS_AND_LATENCY,
};

beforeAll(async () => {
  r = await startRolloutPlatform('control-team');
  outsider = await setUpTenant(r.p.admin, {
    tenant: 'outsiders',
    cluster: 'sandbox',
    kubeconfig: r.p.sandbox.kubeconfig,
    namespaces: ['outside'],
  });
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const event = String(req.headers['x-heliomesh-event']);
      calls.push({ event, body, signature: req.headers['x-heliomesh-signature'] as string | undefined });
      res.writeHead(event === 'confirm-promotion' ? confirmStatus : 200).end();
    });
  });
  await new Promise<void>((res) => hooks.listen(0, '127.0.0.1', res));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  hooks?.close();
  await r?.stop();
});

// A failed test must not leave a rollout holding the service for the next one.
afterEach(async () => {
  const active = await r.t.viewer.get('/v1/rollouts?active=true');
  for (const rollout of active.body.items ?? []) {
    await r.t.operator.post(`/v1/rollouts/${rollout.id}/abort`, { reason: 'test cleanup' });
    await waitForRollout(r.t.viewer, rollout.id, (v) => v.phase === 'Aborted', 30_000);
  }
});

const gateHolds = async (id: string) =>
  (await eventsOf(r.t.viewer, id)).filter(
    (e) => e.type === 'gate' && e.message.startsWith('Holding: confirm-promotion'),
  );

async function reviewsWeight(version: string): Promise<number | undefined> {
  return defaultWeights(await getVirtualService(r.p, 'shop', 'heliomesh-reviews'))?.[version];
}

describe('steering a rollout through the API', () => {
  it('pauses, resumes and promotes with roles, refuses weight writes meanwhile, and holds at a failing gate', async () => {
    const { id, webhookSecret } = await startRollout(r.t.operator, {
      target,
      stable: 'v1',
      canary: 'v2',
      strategy: {
        type: 'canary',
        steps: [
          { setWeight: 10 },
          { pause: {} },
          { setWeight: 40 },
          { analysis: {} },
          { setWeight: 70 },
          { pause: { duration: '30s' } },
        ],
      },
      analysis,
      webhooks: [
        { name: 'step', type: 'rollout', url: `${hookUrl}/step` },
        { name: 'confirm', type: 'confirm-promotion', url: `${hookUrl}/confirm`, retries: 0, timeout: '2s' },
      ],
    });
    expect(webhookSecret).toMatch(/^whsec_/);
    expect((await r.t.viewer.get(`/v1/rollouts/${id}`)).body.spec.webhooks[0]).not.toHaveProperty('secret');
    await waitForRollout(r.t.viewer, id, (v) => v.phase === 'Paused' && v.canaryWeight === 10);

    // Roles: viewers read but cannot steer; other tenants do not even see it.
    expect((await r.t.viewer.post(`/v1/rollouts/${id}/resume`)).status).toBe(403);
    expect((await outsider.operator.post(`/v1/rollouts/${id}/abort`)).status).toBe(404);
    expect((await outsider.viewer.get(`/v1/rollouts/${id}`)).status).toBe(404);

    // The rollout is the only writer of reviews' weights while it runs.
    const split = await r.t.operator.post('/v1/policies', {
      name: 'reviews-split',
      kind: 'TrafficSplit',
      target,
      spec: {
        weights: [
          { version: 'v1', weight: 50 },
          { version: 'v2', weight: 50 },
        ],
      },
    });
    expect(split.status).toBe(409);
    expect(split.body.error.code).toBe('ROLLOUT_IN_PROGRESS');
    expect(split.body.error.message).toContain(id);

    expect(
      (await r.t.operator.post(`/v1/rollouts/${id}/resume`, {}, { 'x-change-reason': 'looks good at 10 %' }))
        .status,
    ).toBe(200);
    await waitForRollout(r.t.viewer, id, (v) => v.step.index === 3);
    const skip = await r.t.operator.post(`/v1/rollouts/${id}/promote`, {});
    expect(skip.status).toBe(409);
    expect(skip.body.error.code).toBe('ANALYSIS_WOULD_BE_SKIPPED');

    const paused = await r.t.operator.post(`/v1/rollouts/${id}/pause`, { reason: 'checking dashboards' });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.body).toMatchObject({ phase: 'Paused', canaryWeight: 40, phaseReason: { code: 'manual' } });
    await new Promise((res) => setTimeout(res, 2_500));
    expect(await waitForRollout(r.t.viewer, id, () => true)).toMatchObject({
      phase: 'Paused',
      canaryWeight: 40,
    });
    expect(await reviewsWeight('v2')).toBe(40);
    expect((await r.t.operator.post(`/v1/rollouts/${id}/resume`)).status).toBe(200);

    // Skip the timed pause at 70 %, then the confirm-promotion gate holds while it fails.
    await waitForRollout(r.t.viewer, id, (v) => v.step.index === 5, 60_000);
    expect((await r.t.operator.post(`/v1/rollouts/${id}/promote`, {})).status).toBe(200);
    await eventually(async () => (await gateHolds(id)).length >= 2, 30_000);
    expect(await waitForRollout(r.t.viewer, id, () => true)).toMatchObject({
      phase: 'Promoting',
      canaryWeight: 70,
    });
    expect(await reviewsWeight('v2')).toBe(70);
    const [gate] = await gateHolds(id);
    expect(gate!.message).toMatch(/Holding: confirm-promotion hook "confirm" answered HTTP 503/);
    confirmStatus = 200;
    await waitForRollout(r.t.viewer, id, (v) => v.phase === 'Succeeded', 60_000);
    await eventually(async () => (await reviewsWeight('v2')) === 100, 30_000);

    // Every call was signed with the secret handed out at creation; a changed body does not verify.
    expect(calls.map((c) => c.event)).toEqual(expect.arrayContaining(['rollout', 'confirm-promotion']));
    for (const c of calls) expect(verifyWebhookSignature(webhookSecret!, c.signature, c.body)).toBe(true);
    expect(
      verifyWebhookSignature(
        webhookSecret!,
        calls[0]!.signature,
        calls[0]!.body.replace('Progressing', 'Promoting'),
      ),
    ).toBe(false);
    expect(JSON.parse(calls.at(-1)!.body)).toMatchObject({
      event: 'confirm-promotion',
      rolloutId: id,
      canaryWeight: 70,
      stable: 'v1',
      canary: 'v2',
    });

    const audit = await r.t.viewer.get(`/v1/audit?resourceId=${id}&action=rollout.*`);
    const actions = audit.body.items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['rollout.pause', 'rollout.resume', 'rollout.promote', 'rollout.succeeded']),
    );
    expect(
      audit.body.items.find(
        (a: { action: string; reason: string | null }) =>
          a.action === 'rollout.resume' && a.reason === 'looks good at 10 %',
      ),
    ).toBeTruthy();
  }, 150_000);

  it('aborts back to stable, retries without a new spec, promotes skipping analysis with an audited reason, and streams progress', async () => {
    const redis = new Redis(r.p.redisUrl);
    const messages: Array<{ seq: number; type: string; phase: string }> = [];
    try {
      const { id } = await startRollout(r.t.operator, {
        target,
        stable: 'v2',
        canary: 'v1',
        strategy: { type: 'canary', steps: [{ setWeight: 50 }, { analysis: { runs: 5 } }] },
        analysis,
      });
      await redis.subscribe(rolloutChannel(id));
      redis.on('message', (_channel: string, message: string) => messages.push(JSON.parse(message)));
      await waitForRollout(r.t.viewer, id, (v) => v.canaryWeight === 50);
      expect((await r.t.operator.post(`/v1/rollouts/${id}/abort`, { reason: 'wrong build' })).status).toBe(
        200,
      );
      await waitForRollout(r.t.viewer, id, (v) => v.phase === 'Aborted');
      await eventually(
        async () => (await reviewsWeight('v1')) === undefined || (await reviewsWeight('v1')) === 0,
        30_000,
      );
      expect((await r.t.viewer.post(`/v1/rollouts/${id}/retry`)).status).toBe(403);
      const retried = await r.t.operator.post(`/v1/rollouts/${id}/retry`, {});
      expect(retried.body).toMatchObject({ phase: 'Initializing', attempt: 2 });
      await waitForRollout(r.t.viewer, id, (v) => v.canaryWeight === 50);
      const noReason = await r.t.operator.post(`/v1/rollouts/${id}/promote`, {
        full: true,
        skipAnalysis: true,
      });
      expect(noReason.status).toBe(422);
      expect(noReason.body.error).toMatchObject({ code: 'REASON_REQUIRED', path: '$.reason' });
      const promoted = await r.t.operator.post(`/v1/rollouts/${id}/promote`, {
        full: true,
        skipAnalysis: true,
        reason: 'hotfix INC-42',
      });
      expect(promoted.status, promoted.text).toBe(200);
      await waitForRollout(r.t.viewer, id, (v) => v.phase === 'Succeeded', 60_000);
      const audit = await r.t.viewer.get(`/v1/audit?resourceId=${id}&action=rollout.promote`);
      expect(audit.body.items[0]).toMatchObject({
        reason: 'hotfix INC-42',
        data: { command: { kind: 'promote', full: true, skipAnalysis: true } },
      });

      const stored = await eventsOf(r.t.viewer, id);
      await eventually(async () => messages.length >= stored.length - 2, 10_000);
      // Subscribed after creation: the stream picks up after the first event(s), each event once and
      // none missing. A tick and a notification job publish independently, so arrival order can
      // differ from `seq` order; subscribers order by `seq` (as the GraphQL stream does).
      const seqs = messages.map((m) => m.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
      const newest = messages.reduce((a, b) => (b.seq > a.seq ? b : a));
      expect(newest).toMatchObject({ phase: 'Succeeded' });
      const missed = await r.t.viewer.get(`/v1/rollouts/${id}/events?afterSeq=0&limit=${seqs[0]! - 1 || 1}`);
      expect(missed.body[0].type).toBe('created');
    } finally {
      redis.disconnect();
    }
  }, 150_000);

  it('answers malformed rollouts and commands with 4xx and stores nothing', async () => {
    const before = (await r.t.viewer.get('/v1/rollouts?limit=500')).body.items.length;
    const [anyRollout] = (await r.t.viewer.get('/v1/rollouts?active=false&limit=1')).body.items;
    const json = fc.jsonValue({ maxDepth: 3 });
    const requests = fc.oneof(
      json.map((b) => ({ path: '/v1/rollouts', body: b })),
      json.map((b) => ({ path: '/v1/rollouts', body: { target, stable: 'v1', canary: 'v2', strategy: b } })),
      json.map((b) => ({ path: `/v1/rollouts/${anyRollout.id}/promote`, body: b })),
      json.map((b) => ({ path: `/v1/rollouts/${anyRollout.id}/pause`, body: b })),
      fc.string().map((s) => ({ path: `/v1/rollouts/${encodeURIComponent(s)}/abort`, body: {} })),
    );
    await fc.assert(
      fc.asyncProperty(requests, async ({ path, body }) => {
        const res = await r.t.operator.post(path, body);
        expect(res.status, `${path} ${JSON.stringify(body)} -> ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.error.code).toMatch(/^[A-Z_0-9]+$/);
      }),
      { numRuns: 150 },
    );
    expect((await r.t.viewer.get('/v1/rollouts?limit=500')).body.items.length).toBe(before);
  }, 120_000);
});
