import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRolloutSpec, RolloutRoutesRepository, RolloutsService, SecretBox } from '@heliomesh/core';
import { createDataSource, inTenantTx } from '@heliomesh/db';
import { createTestDatabase, type TestDatabase } from '@heliomesh/testing';
import { HeliomeshError } from '@heliomesh/util';
import { HttpWebhookCaller } from '../src/rollouts/webhooks/webhook.client.js';
import { CapturingPublisher, type Seeded, seedTenant, takeTicks } from './rollout-fixtures.js';

let tdb: TestDatabase;
let db: DataSource;
let rollouts: RolloutsService;
let acme: Seeded;
let other: Seeded;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDataSource({ url: tdb.url, poolSize: 4 });
  await db.initialize();
  rollouts = new RolloutsService(
    db,
    new SecretBox(Buffer.alloc(32, 1).toString('base64')),
    new CapturingPublisher(),
    {
      tenantLimit: 2,
    },
  );
  acme = await seedTenant(db, 'acme', { a: ['v1', 'v2'], b: ['v1', 'v2'], c: ['v1', 'v2'] });
  other = await seedTenant(db, 'other', { a: ['v1', 'v2'] });
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await tdb?.drop();
});

const body = (service: string, namespace = 'shop-acme') => ({
  target: { namespace, service },
  stable: 'v1',
  canary: 'v2',
  strategy: { type: 'canary', steps: [{ setWeight: 20 }, { pause: {} }] },
});

async function rejected(p: Promise<unknown>): Promise<HeliomeshError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HeliomeshError);
  return err as HeliomeshError;
}

describe('rollout use cases', () => {
  it('let viewers read and only operators steer', async () => {
    expect(await rejected(rollouts.create(acme.viewer, body('a')))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    const { rollout } = await rollouts.create(acme.operator, body('a'));
    expect((await rollouts.get(acme.viewer, rollout.id)).id).toBe(rollout.id);
    expect((await rollouts.list(acme.viewer, { active: 'true' })).items.map((r) => r.id)).toEqual([
      rollout.id,
    ]);
    for (const command of ['pause', 'resume', 'promote', 'abort', 'retry'] as const)
      expect(await rejected(rollouts[command](acme.viewer, rollout.id, {}))).toMatchObject({
        code: 'FORBIDDEN',
      });
  });

  it('keep one rollout per service and at most the tenant limit at once', async () => {
    expect(await rejected(rollouts.create(acme.operator, body('a')))).toMatchObject({
      code: 'ROLLOUT_IN_PROGRESS',
      status: 409,
      path: '$.target.service',
    });
    await rollouts.create(acme.operator, body('b'));
    const limit = await rejected(rollouts.create(acme.operator, body('c')));
    expect(limit).toMatchObject({ code: 'ROLLOUT_LIMIT_REACHED', status: 429 });
    expect(limit.message).toMatch(/already runs 2 rollouts, the most allowed at once \(2\)/);
    // Another tenant has its own budget.
    await rollouts.create(other.operator, body('a', 'shop-other'));
  });

  it("hide other tenants' rollouts behind row-level security", async () => {
    const [mine] = (await rollouts.list(acme.viewer, {})).items;
    expect(await rejected(rollouts.get(other.viewer, mine!.id))).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
    });
    expect(await rejected(rollouts.abort(other.operator, mine!.id))).toMatchObject({ code: 'NOT_FOUND' });
    const routes = await inTenantTx(db, other.tenantId, (m) =>
      new RolloutRoutesRepository().routesFor(m, acme.tenantId, acme.clusterId),
    );
    expect(routes).toEqual([]);
    const visible: unknown[] = await inTenantTx(db, other.tenantId, (m) =>
      m.query(`SELECT seq FROM rollout_events WHERE rollout_id = $1`, [mine!.id]),
    );
    expect(visible).toEqual([]);
  });

  it('validate what users send, with the path of the problem', async () => {
    expect(await rejected(rollouts.create(acme.operator, { ...body('c'), stable: 'v9' }))).toMatchObject({
      code: 'VERSION_NOT_FOUND',
      status: 422,
      path: '$.stable',
    });
    expect(await rejected(rollouts.create(acme.operator, { ...body('nope') }))).toMatchObject({
      code: 'SERVICE_NOT_FOUND',
      path: '$.target.service',
    });
    expect(
      await rejected(
        rollouts.create(acme.operator, { ...body('c'), target: { namespace: 'shop-other', service: 'a' } }),
      ),
    ).toMatchObject({ code: 'NAMESPACE_NOT_CLAIMED' });
    expect(
      await rejected(rollouts.create(acme.operator, { ...body('c'), strategy: { type: 'canary' } })),
    ).toMatchObject({ code: 'ROLLOUT_SPEC_INVALID', path: '$.strategy' });
    const [mine] = (await rollouts.list(acme.viewer, { active: 'true' })).items;
    expect(
      await rejected(rollouts.promote(acme.operator, mine!.id, { full: true, skipAnalysis: true })),
    ).toMatchObject({ code: 'REASON_REQUIRED', path: '$.reason' });
    expect(await rejected(rollouts.promote(acme.operator, mine!.id, { everything: true }))).toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(await rejected(rollouts.events(acme.viewer, mine!.id, { limit: 5_000 }))).toMatchObject({
      code: 'LIMIT_INVALID',
    });
    expect(await rejected(rollouts.get(acme.viewer, 'not-a-uuid'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('schedule the first tick through the outbox, and none while waiting for a human', async () => {
    await takeTicks(db);
    const { rollout } = await rollouts
      .create(other.operator, { ...body('a', 'shop-other'), stable: 'v2', canary: 'v1' })
      .catch(async () => {
        const [active] = (await rollouts.list(other.viewer, { active: 'true' })).items;
        await rollouts.abort(other.operator, active!.id);
        return { rollout: active! };
      });
    const ticks = await takeTicks(db);
    expect(ticks.map((t) => t.rolloutId)).toContain(rollout.id);
    expect(parseRolloutSpec(rollout.spec)).toBeTruthy();
  });
});

describe('webhook calls', () => {
  let server: Server;
  let url: string;
  let calls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls++;
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(), 3_000);
      if (req.url === '/flaky') return void res.writeHead(calls % 2 === 1 ? 500 : 204).end();
      res.writeHead(req.url === '/ok' ? 202 : 418).end('x'.repeat(100_000));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => void server.closeAllConnections?.());

  const hook = (path: string, retries = 0, timeout = '5s') => ({
    name: 'h',
    type: 'rollout' as const,
    url: `${url}${path}`,
    timeout,
    retries,
  });
  const payload = {
    event: 'rollout' as const,
    rolloutId: 'r',
    tenantId: 't',
    namespace: 'n',
    service: 's',
    stable: 'v1',
    canary: 'v2',
    phase: 'Progressing' as const,
    stepIndex: 0,
    canaryWeight: 10,
    attempt: 1,
  };

  it('pass on 2xx, fail on anything else, retry, and give up on a timeout', async () => {
    const caller = new HttpWebhookCaller();
    expect(await caller.call(hook('/ok'), payload, null)).toMatchObject({
      ok: true,
      status: 202,
      attempts: 1,
    });
    expect(await caller.call(hook('/teapot', 1), payload, null)).toMatchObject({
      ok: false,
      status: 418,
      attempts: 2,
      error: 'answered HTTP 418',
    });
    calls = 0;
    expect(await caller.call(hook('/flaky', 2), payload, null)).toMatchObject({
      ok: true,
      status: 204,
      attempts: 2,
    });
    const slow = await caller.call(hook('/slow', 0, '1s'), payload, null);
    expect(slow).toMatchObject({ ok: false, error: 'no answer within 1s', attempts: 1 });
    expect(slow.durationMs).toBeLessThan(2_500);
    expect(await caller.call({ ...hook('/ok'), url: 'http://127.0.0.1:1/' }, payload, null)).toMatchObject({
      ok: false,
    });
  });
});
