import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditTails,
  eventually,
  recordStatements,
  setUpTenant,
  statementsAfterAudit,
  type TenantSetup,
} from '@heliomesh/testing';
import { defaultWeights, getVirtualService, type Platform, startPlatform } from './platform-harness.js';

let p: Platform;
let t: TenantSetup;
let reviewsId: string;
let policyId: string;

const split = (v1: number, v2: number) => ({
  name: 'reviews-split',
  kind: 'TrafficSplit',
  target: { namespace: 'shop', service: 'reviews' },
  spec: {
    weights: [
      { version: 'v1', weight: v1 },
      { version: 'v2', weight: v2 },
    ],
  },
});

beforeAll(async () => {
  p = await startPlatform();
  t = await setUpTenant(p.admin, {
    tenant: 'shop-team',
    cluster: 'sandbox',
    kubeconfig: p.sandbox.kubeconfig,
    namespaces: ['shop'],
  });
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

describe('a policy write reaches the cluster', () => {
  it('discovers the services of the claimed namespace with their versions', async () => {
    const services = await t.operator.get('/v1/services?namespace=shop&limit=100');
    expect(services.status).toBe(200);
    const reviews = services.body.items.find((s: { name: string }) => s.name === 'reviews');
    expect(reviews.versions.map((v: { name: string }) => v.name)).toEqual(['v1', 'v2', 'v3']);
    expect(reviews.versions[0].pods).toBeGreaterThan(0);
    reviewsId = reviews.id;
  });

  it('applies a 90/10 TrafficSplit to the cluster within 2 s and reports it Applied', async () => {
    const created = await t.operator.post('/v1/policies', split(90, 10), {
      'x-change-reason': 'canary 10 %',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    policyId = created.body.policy.id;
    const started = Date.now();
    const vs = await eventually(
      async () => {
        const found = await getVirtualService(p, 'shop', 'heliomesh-reviews');
        return defaultWeights(found)?.['v2'] === 10 && found;
      },
      10_000,
      50,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(defaultWeights(vs)).toEqual({ v1: 90, v2: 10 });
    expect(vs.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'heliomesh',
      'heliomesh.io/tenant': 'shop-team',
    });
    const applied = await eventually(async () => {
      const r = await t.operator.get(`/v1/policies/${policyId}`);
      return r.body.status.phase === 'Applied' && r.body;
    });
    expect(applied.status.appliedRevision).toBe(1);
  });

  it('serves the generated config and explains which policy set the weights', async () => {
    const config = await t.viewer.get(`/v1/services/${reviewsId}/config`);
    expect(config.body.yaml).toContain('name: heliomesh-reviews');
    const explain = await t.viewer.get(`/v1/services/${reviewsId}/explain`);
    expect(explain.body.entries).toContainEqual(
      expect.objectContaining({
        source: 'policy',
        policyId,
        policyRevision: 1,
        objectKind: 'VirtualService',
      }),
    );
  });

  it('restores a hand-edited VirtualService and audits the drift', async () => {
    await p.istio.patchNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: 'shop',
      plural: 'virtualservices',
      name: 'heliomesh-reviews',
      body: [
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
      ],
    });
    await eventually(
      async () => defaultWeights(await getVirtualService(p, 'shop', 'heliomesh-reviews'))?.['v2'] === 10,
      10_000,
    );
    const audit = await eventually(async () => {
      const r = await t.viewer.get('/v1/audit?action=reconcile.drift-repaired');
      return r.body.items.length > 0 && r.body;
    });
    expect(audit.items[0].resourceId).toBe(reviewsId);
  });

  it('dry-runs an update: YAML and diff back, nothing stored', async () => {
    const before = await t.viewer.get('/v1/audit');
    const dry = await t.operator.put(`/v1/policies/${policyId}?dryRun=true`, split(50, 50), {
      'if-match': '1',
    });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.yaml).toContain('weight: 50');
    expect(dry.body.diff).toMatch(/^-\s+weight: 90$/m);
    expect(dry.body.diff).toMatch(/^\+\s+weight: 50$/m);
    // Only what changes shows up: no reordered keys, no unchanged objects.
    const changed = (dry.body.diff as string)
      .split('\n')
      .filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
    expect(changed.every((l) => /weight|sources/.test(l))).toBe(true);
    expect((await t.viewer.get(`/v1/policies/${policyId}`)).body.revision).toBe(1);
    expect((await t.viewer.get('/v1/audit')).body.items[0].id).toBe(before.body.items[0].id);
  });

  it('updates with If-Match, refuses a stale revision, and keeps the history', async () => {
    const stale = await t.operator.put(`/v1/policies/${policyId}`, split(80, 20), { 'if-match': '7' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('REVISION_MISMATCH');
    const missing = await t.operator.put(`/v1/policies/${policyId}`, split(80, 20));
    expect(missing.status).toBe(428);
    const updated = await t.operator.put(`/v1/policies/${policyId}`, split(80, 20), { 'if-match': '"1"' });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.policy.revision).toBe(2);
    await eventually(
      async () => defaultWeights(await getVirtualService(p, 'shop', 'heliomesh-reviews'))?.['v2'] === 20,
      10_000,
    );
    const history = await t.viewer.get(`/v1/policies/${policyId}/history`);
    expect(history.body.map((r: { revision: number; change: string }) => [r.revision, r.change])).toEqual([
      [1, 'create'],
      [2, 'update'],
    ]);
    expect(history.body[0].spec.weights[1].weight).toBe(10);
  });

  it('rejects a second split of the same service at write time, naming both policies', async () => {
    const second = await t.operator.post('/v1/policies', { ...split(70, 30), name: 'another-split' });
    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe('POLICY_REJECTED');
    expect(second.body.error.message).toContain('reviews-split');
  });

  it('prunes the generated objects when the policy is deleted', async () => {
    const deleted = await t.operator.delete(`/v1/policies/${policyId}`);
    expect(deleted.status, deleted.text).toBe(200);
    await eventually(
      async () => (await getVirtualService(p, 'shop', 'heliomesh-reviews')) === undefined,
      10_000,
    );
    expect((await t.viewer.get(`/v1/policies/${policyId}`)).status).toBe(404);
    expect((await t.viewer.get(`/v1/policies/${policyId}/history`)).body).toHaveLength(3);
  });

  it('audits each change of a bundle, in document order, with the request that made it', async () => {
    const timeout = (service: string, value: string) => `apiVersion: heliomesh.io/v1alpha1
kind: Timeout
metadata: { name: ${service}-timeout, namespace: shop }
spec: { target: { service: ${service} }, timeout: ${value} }
`;
    const bundle = [timeout('ratings', '2s'), timeout('cart', '3s'), timeout('payment', '4s')].join('---\n');
    const applied = await t.operator.request('POST', '/v1/apply', { body: bundle });
    expect(applied.status, applied.text).toBe(200);
    const audit = await t.viewer.get('/v1/audit?action=policy.create&limit=3');
    const events = [...audit.body.items].reverse();
    expect(events.map((e: { data: { after: { name: string } } }) => e.data.after.name)).toEqual([
      'ratings-timeout',
      'cart-timeout',
      'payment-timeout',
    ]);
    expect(events.map((e: { seq: number }) => e.seq - events[0].seq)).toEqual([0, 1, 2]);
    expect(new Set(events.map((e: { requestId: string }) => e.requestId)).size).toBe(1);
  });

  it("appends the audit events last, so the tenant's chain stays locked only for the commit", async () => {
    const timeout = (service: string, value: string) => ({
      name: `${service}-timeout`,
      kind: 'Timeout',
      target: { namespace: 'shop', service },
      spec: { timeout: value },
    });
    const shipping = await t.operator.post('/v1/policies', timeout('shipping', '2s'));
    expect(shipping.status, shipping.text).toBe(201);
    const bundle = ['inventory', 'recommendation']
      .map(
        (service) => `apiVersion: heliomesh.io/v1alpha1
kind: Timeout
metadata: { name: ${service}-timeout, namespace: shop }
spec: { target: { service: ${service} }, timeout: 9s }
`,
      )
      .join('---\n');
    const statements = recordStatements(p.api.app.get(DataSource));
    try {
      const updated = await t.operator.put(
        `/v1/policies/${shipping.body.policy.id}`,
        timeout('shipping', '5s'),
        { 'if-match': '1' },
      );
      expect(updated.status, updated.text).toBe(200);
      const applied = await t.operator.request('POST', '/v1/apply', { body: bundle });
      expect(applied.body.created, applied.text).toEqual([
        'shop/inventory-timeout',
        'shop/recommendation-timeout',
      ]);
    } finally {
      statements.stop();
    }
    const tails = auditTails(statements);
    expect(tails.map((tail) => tail.length)).toEqual([2, 3]); // one event, then two, and the COMMIT
    for (const tail of tails) expect(statementsAfterAudit(tail)).toEqual([]);
  });

  it('keeps a valid audit chain through all of it', async () => {
    const verify = await t.viewer.get('/v1/audit/verify');
    expect(verify.body).toMatchObject({ valid: true });
    expect(verify.body.checked).toBeGreaterThan(5);
  });
});
