import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '@heliomesh/observability';
import { eventually } from '@heliomesh/testing';
import { GraphqlClient, Subscription } from './graphql-client.js';
import {
  type GatewayPlatform,
  setUpTenant,
  startGatewayPlatform,
  type TenantSetup,
} from './gateway-platform.js';

/**
 * Audit events reach subscribers on every replica through Redis: the worker relays each
 * commit's NOTIFY to the tenant's channel. The gateways' fallback poll is set to ten minutes
 * here, so only the Redis path can deliver within the test's time.
 */
let p: GatewayPlatform;
let t: TenantSetup;
let replica: RunningService;

beforeAll(async () => {
  p = await startGatewayPlatform({ worker: true, gateway: { AUDIT_POLL_MS: 600_000 } });
  await eventually(() => auditListenerConnected(p.db.url), 60_000, 200);
  t = await setUpTenant(p, { tenant: 'wake', namespaces: ['shop'] });
  replica = await p.startReplica();
}, 120_000);

/** The worker's relay is listening once its connection shows up in the database. */
async function auditListenerConnected(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'heliomesh-audit-listener' AND query ILIKE 'LISTEN%'`,
    );
    return rows.length > 0;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await p?.stop();
});

type AuditResult = { data?: { auditEvents: { seq: number; action: string; resourceId: string } } | null };

describe('auditEvents with Redis as the emitter', () => {
  it('writes on one replica reach subscribers on both within moments, in order, without gaps', async () => {
    const q = 'subscription { auditEvents { seq action resourceId } }';
    const sockets = [t.viewer.ws(), new GraphqlClient(replica.url, t.viewer.token).ws()];
    const subs = sockets.map((ws) => new Subscription<AuditResult['data'] & object>(ws, q));
    await new Promise((r) => setTimeout(r, 500));
    const head = (await t.viewer.query('{ auditEvents(first: 1) { nodes { seq } } }')).data.auditEvents
      .nodes[0].seq as number;

    const started = Date.now();
    const created = await t.operator.query(
      'mutation($i: PolicyInput!) { createPolicy(input: $i) { policy { id } } }',
      {
        i: {
          name: 'wake-1',
          kind: 'Timeout',
          target: { namespace: 'shop', service: 'ratings' },
          spec: { timeout: '3s' },
        },
      },
    );
    expect(created.errors, created.text).toBeUndefined();
    const isCreate = (r: AuditResult) => r.data?.auditEvents.action === 'policy.create';
    const [a, b] = await Promise.all(subs.map((s) => s.next(isCreate, 10_000)));
    const latencyMs = Date.now() - started;
    expect(a!.data).toEqual(b!.data);
    expect(a!.data!.auditEvents.resourceId).toBe(created.data.createPolicy.policy.id);
    // The fallback poll runs every ten minutes here: only Redis can have been this fast.
    expect(latencyMs).toBeLessThan(5_000);

    // A burst from both replicas: every subscriber gets every event once, in sequence order.
    const clients = [t.operator, new GraphqlClient(replica.url, t.operator.token)];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        clients[i % 2]!.query('mutation($i: PolicyInput!) { createPolicy(input: $i) { policy { id } } }', {
          i: {
            name: `wake-burst-${i}`,
            kind: 'Timeout',
            target: { namespace: 'shop', service: 'cart' },
            spec: { timeout: '2s' },
          },
        }),
      ),
    );
    const last = (await t.viewer.query('{ auditEvents(first: 1) { nodes { seq } } }')).data.auditEvents
      .nodes[0].seq as number;
    for (const sub of subs) {
      await sub.next((r) => r.data?.auditEvents.seq === last, 10_000);
      const seqs = sub.results.map((r) => r.data!.auditEvents.seq).filter((seq) => seq <= last);
      expect(seqs).toEqual(Array.from({ length: last - head }, (_, i) => head + 1 + i));
    }
    await Promise.all(subs.map((s) => s.stop()));
    await Promise.all(sockets.map((ws) => ws.dispose()));
  });
});
