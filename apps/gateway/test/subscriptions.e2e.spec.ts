import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '@heliomesh/observability';
import { GraphqlClient, Subscription } from './graphql-client.js';
import {
  type GatewayPlatform,
  setUpTenant,
  startGatewayPlatform,
  type TenantSetup,
} from './gateway-platform.js';

let p: GatewayPlatform;
let t: TenantSetup;
let replica: RunningService;
/** The same tenant's operator, talking to the second replica. */
let onReplica: GraphqlClient;

beforeAll(async () => {
  p = await startGatewayPlatform({ gateway: { ROLLOUT_POLL_MS: 300 } });
  t = await setUpTenant(p, { tenant: 'live', namespaces: ['shop'] });
  replica = await p.startReplica();
  onReplica = new GraphqlClient(replica.url, t.operator.token);
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

const createTimeout = (client: GraphqlClient, name: string, service = 'ratings') =>
  client.query('mutation($i: PolicyInput!) { createPolicy(input: $i) { policy { id } } }', {
    i: { name, kind: 'Timeout', target: { namespace: 'shop', service }, spec: { timeout: '3s' } },
  });

describe('authentication on connection', () => {
  it.each([
    [{}, 'AUTH_MISSING'],
    [{ authorization: 'Bearer nope' }, 'AUTH_INVALID'],
    [{ authorization: `Bearer hm_${'x'.repeat(43)}` }, 'AUTH_INVALID'],
  ])('connection params %j: every operation fails with %s at $.connectionParams', async (params, code) => {
    const ws = p.admin.ws(params);
    const sub = new Subscription(ws, 'subscription { auditEvents { seq } }');
    const err = await sub.next().catch((e: Error) => e.message);
    expect(err).toContain(code);
    expect(err).toContain('$.connectionParams.authorization');
    await ws.dispose();
  });

  it('takes the token from connection params in any case, or under headers', async () => {
    for (const params of [
      { Authorization: `Bearer ${t.viewer.token}` },
      { headers: { authorization: `Bearer ${t.viewer.token}` } },
    ]) {
      const ws = p.admin.ws(params);
      const sub = new Subscription(ws, 'subscription { auditEvents(afterSeq: 0) { seq } }');
      expect((await sub.next()).data).toEqual({ auditEvents: { seq: 1 } });
      await sub.stop();
      await ws.dispose();
    }
  });
});

describe('auditEvents across replicas', () => {
  it('a write on one replica reaches subscribers on both', async () => {
    const wsA = t.viewer.ws();
    const wsB = new GraphqlClient(replica.url, t.viewer.token).ws();
    const q = 'subscription { auditEvents { seq action resourceKind actor } }';
    const [onA, onB] = [new Subscription(wsA, q), new Subscription(wsB, q)];
    await new Promise((r) => setTimeout(r, 300));
    const created = await createTimeout(t.operator, 'live-a');
    expect(created.errors).toBeUndefined();
    const isCreate = (r: { data?: { auditEvents: { action: string } } | null }) =>
      r.data?.auditEvents.action === 'policy.create';
    const [a, b] = await Promise.all([onA.next(isCreate), onB.next(isCreate)]);
    expect(a.data).toEqual(b.data);
    expect(a.data!.auditEvents).toMatchObject({ resourceKind: 'Policy', actor: 'token:live-operator@live' });
    await Promise.all([onA.stop(), onB.stop(), wsA.dispose(), wsB.dispose()]);
  });

  it('afterSeq replays the stored events in order, then continues live without gaps or repeats', async () => {
    const ws = onReplica.ws();
    const sub = new Subscription<{ auditEvents: { seq: number } }>(
      ws,
      'subscription { auditEvents(afterSeq: 0) { seq } }',
    );
    const stored = (await t.viewer.query('{ auditEvents(first: 1) { nodes { seq } } }')).data.auditEvents
      .nodes[0].seq as number;
    await sub.next((r) => r.data!.auditEvents.seq === stored);
    expect((await createTimeout(t.operator, 'live-b', 'cart')).errors).toBeUndefined();
    await sub.next((r) => r.data!.auditEvents.seq === stored + 1);
    expect(sub.results.map((r) => r.data!.auditEvents.seq)).toEqual(
      Array.from({ length: stored + 1 }, (_, i) => i + 1),
    );
    await sub.stop();
    await ws.dispose();
  });
});

describe('rolloutProgress across replicas (Redis pub/sub)', () => {
  let rolloutId: string;

  beforeAll(async () => {
    const started = await t.operator.query(
      'mutation($s: JSON!) { startRollout(spec: $s) { rollout { id phase } } }',
      {
        s: {
          target: { namespace: 'shop', service: 'reviews' },
          stable: 'v1',
          canary: 'v2',
          strategy: { type: 'canary', stepWeight: 25, maxWeight: 50, interval: '1h' },
        },
      },
    );
    expect(started.errors, started.text).toBeUndefined();
    rolloutId = started.data.startRollout.rollout.id;
  });

  it('a late subscriber gets the current state first, then each command issued on another replica', async () => {
    const ws = new GraphqlClient(replica.url, t.viewer.token).ws();
    const sub = new Subscription<{
      rolloutProgress: { kind: string; seq: number; phase: string; steps: number; message: string };
    }>(
      ws,
      'subscription($id: ID!) { rolloutProgress(id: $id) { kind seq phase steps canaryWeight eta message measurements { metric } } }',
      { id: rolloutId },
    );
    const snapshot = (await sub.next()).data!.rolloutProgress;
    const { data } = await t.viewer.query('query($id: ID!) { rollout(id: $id) { step { total } } }', {
      id: rolloutId,
    });
    expect(snapshot).toMatchObject({
      kind: 'snapshot',
      seq: 1,
      phase: 'Initializing',
      steps: data.rollout.step.total,
    });
    // No worker runs here, so the rollout stays Initializing, where abort is the command that applies.
    const aborted = await t.operator.query(
      'mutation($id: ID!) { abortRollout(id: $id, reason: "not today") { phase } }',
      { id: rolloutId },
    );
    expect(aborted.data.abortRollout.phase, aborted.text).toBe('RollingBack');
    const event = (await sub.next()).data!.rolloutProgress;
    expect(event).toMatchObject({ kind: 'command', seq: 2, phase: 'RollingBack' });
    expect(event.message).toMatch(/abort/i);
    await sub.stop();
    await ws.dispose();
  });

  it('reads from the database what Redis never brought', async () => {
    const ws = t.viewer.ws();
    const sub = new Subscription<{ rolloutProgress: { kind: string; seq: number } }>(
      ws,
      'subscription($id: ID!) { rolloutProgress(id: $id) { kind seq } }',
      { id: rolloutId },
    );
    const snapshot = (await sub.next()).data!.rolloutProgress;
    // An event stored by a writer whose publish never reached Redis: only the database has it.
    await p.gateway.app.get(DataSource).query(
      `INSERT INTO rollout_events (rollout_id, seq, tenant_id, tick, attempt, type, phase, step_index, canary_weight, actor, message, data)
       SELECT id, event_seq + 1, tenant_id, tick, attempt, 'webhook', phase, step_index, canary_weight, 'worker', 'rollback notification sent', '{}'
       FROM rollouts WHERE id = $1`,
      [rolloutId],
    );
    const missed = (await sub.next(undefined, 10_000)).data!.rolloutProgress;
    expect(missed).toEqual({ kind: 'webhook', seq: snapshot.seq + 1 });
    await sub.stop();
    await ws.dispose();
  });
});
