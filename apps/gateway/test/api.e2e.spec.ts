import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@heliomesh/testing';
import type { GraphqlResponse } from './graphql-client.js';
import {
  type GatewayPlatform,
  setUpTenant,
  startGatewayPlatform,
  type TenantSetup,
} from './gateway-platform.js';

let p: GatewayPlatform;
let t: TenantSetup;
let istio: CustomObjectsApi;
let reviewsId: string;
let policyId: string;

const split = (v1: number, v2: number, name = 'reviews-split') => ({
  name,
  kind: 'TrafficSplit',
  target: { namespace: 'shop', service: 'reviews' },
  spec: {
    weights: [
      { version: 'v1', weight: v1 },
      { version: 'v2', weight: v2 },
    ],
  },
});

async function reviewsWeights(): Promise<Record<string, number> | undefined> {
  try {
    const vs = (await istio.getNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: 'shop',
      plural: 'virtualservices',
      name: 'heliomesh-reviews',
    })) as { spec: { http: Array<{ route: Array<{ destination: { subset: string }; weight?: number }> }> } };
    const route = vs.spec.http.at(-1)!.route;
    return Object.fromEntries(route.map((r) => [r.destination.subset, r.weight ?? 100]));
  } catch {
    return undefined;
  }
}

const CREATE = `mutation($input: PolicyInput!, $dryRun: Boolean) {
  createPolicy(input: $input, dryRun: $dryRun) {
    policy { id revision status { phase } service { name } }
    warnings { code }
    dryRun { yaml diff }
  }
}`;
const UPDATE = `mutation($id: ID!, $rev: Int!, $input: PolicyInput!, $dryRun: Boolean) {
  updatePolicy(id: $id, expectedRevision: $rev, input: $input, dryRun: $dryRun) {
    policy { id revision } dryRun { yaml diff }
  }
}`;

beforeAll(async () => {
  p = await startGatewayPlatform({ worker: true });
  t = await setUpTenant(p, { tenant: 'shop-team', namespaces: ['shop'] });
  const kc = new KubeConfig();
  kc.loadFromString(p.sandbox.kubeconfig);
  istio = kc.makeApiClient(CustomObjectsApi);
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

describe('queries', () => {
  it('me: the token, its role and the tenant it acts in', async () => {
    const res = await t.operator.query('{ me { tokenName role platformToken actor tenant { id name } } }');
    expect(res.data.me).toEqual({
      tokenName: 'shop-team-operator',
      role: 'OPERATOR',
      platformToken: false,
      actor: 'token:shop-team-operator@shop-team',
      tenant: { id: t.tenant.id, name: 'shop-team' },
    });
    const platform = await p.admin.forTenant('shop-team').query('{ me { platformToken tenant { name } } }');
    expect(platform.data.me).toEqual({ platformToken: true, tenant: { name: 'shop-team' } });
  });

  it('tenants and clusters as Relay connections', async () => {
    const all = await p.admin.query(
      '{ tenants { nodes { name } pageInfo { hasNextPage } } clusters { nodes { name connection } } }',
    );
    expect(all.data.tenants.nodes).toEqual([{ name: 'shop-team' }]);
    expect(all.data.clusters.nodes).toEqual([{ name: 'sandbox', connection: 'sandbox' }]);
    const own = await t.viewer.query('{ tenants(first: 1) { edges { cursor node { name } } } }');
    expect(own.data.tenants.edges).toHaveLength(1);
  });

  it('services: paged by cursor, every edge resuming right after its node, with versions', async () => {
    const q = `query($after: String) { services(filter: { namespace: "shop" }, first: 4, after: $after) {
      edges { cursor node { id name versions { name pods } } } pageInfo { hasNextPage endCursor } } }`;
    const names: string[] = [];
    let after: string | null = null;
    let first: { edges: Array<{ cursor: string; node: { name: string } }> } | undefined;
    do {
      const res: GraphqlResponse = await t.viewer.query(q, { after });
      expect(res.errors).toBeUndefined();
      first ??= res.data.services;
      names.push(...res.data.services.edges.map((e: { node: { name: string } }) => e.node.name));
      const info: { hasNextPage: boolean; endCursor: string } = res.data.services.pageInfo;
      expect(info.endCursor).toBe(res.data.services.edges.at(-1).cursor);
      after = info.hasNextPage ? info.endCursor : null;
    } while (after);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('reviews');
    const resumed = await t.viewer.query(q, { after: first!.edges[1]!.cursor });
    expect(resumed.data.services.edges[0].node.name).toBe(first!.edges[2]!.node.name);
    const all = await t.viewer.query('{ services(first: 50) { nodes { id name versions { name pods } } } }');
    const reviews = all.data.services.nodes.find((s: { name: string }) => s.name === 'reviews');
    expect(reviews.versions.map((v: { name: string }) => v.name)).toEqual(['v1', 'v2', 'v3']);
    expect(reviews.versions[0].pods).toBeGreaterThan(0);
    reviewsId = reviews.id;
    const one = await t.viewer.query(
      'query($id: ID!) { service(id: $id) { id name versions { name pods } } }',
      { id: reviewsId },
    );
    expect(one.data.service).toEqual(reviews);
  });

  it('serves the schema that is checked in', async () => {
    const res = await t.viewer.query(getIntrospectionQuery());
    const served = printSchema(lexicographicSortSchema(buildClientSchema(res.data)));
    const file = readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8');
    expect(served).toBe(printSchema(lexicographicSortSchema(buildSchema(file))));
  });
});

describe('policy mutations reach the cluster', () => {
  it('createPolicy stores a TrafficSplit that the worker applies to the sandbox', async () => {
    const res = await t.operator.query(
      CREATE,
      { input: split(90, 10) },
      { 'x-change-reason': 'canary 10 %' },
    );
    expect(res.errors, res.text).toBeUndefined();
    expect(res.data.createPolicy).toMatchObject({
      policy: { revision: 1, status: { phase: 'Pending' }, service: { name: 'reviews' } },
      dryRun: null,
    });
    policyId = res.data.createPolicy.policy.id;
    await eventually(async () => (await reviewsWeights())?.['v2'] === 10, 15_000, 50);
    const applied = await eventually(async () => {
      const r = await t.viewer.query(
        'query($id: ID!) { policy(id: $id) { status { phase appliedRevision } } }',
        { id: policyId },
      );
      return r.data.policy.status.phase === 'Applied' && r.data.policy;
    }, 15_000);
    expect(applied.status.appliedRevision).toBe(1);
  });

  it('the service shows its policies, generated YAML, explain entries and findings', async () => {
    const res = await t.viewer.query(
      `query($id: ID!) { service(id: $id) {
        policies { id name kind }
        generatedConfig { host yaml emitted findings { code } }
        explain { source policyId policyRevision objectKind }
        findings { code severity }
      } }`,
      { id: reviewsId },
    );
    const s = res.data.service;
    expect(s.policies).toEqual([{ id: policyId, name: 'reviews-split', kind: 'TrafficSplit' }]);
    expect(s.generatedConfig).toMatchObject({ host: 'reviews.shop.svc.cluster.local', emitted: true });
    expect(s.generatedConfig.yaml).toContain('name: heliomesh-reviews');
    expect(s.explain).toContainEqual({
      source: 'policy',
      policyId,
      policyRevision: 1,
      objectKind: 'VirtualService',
    });
    expect(s.findings).toEqual(
      s.generatedConfig.findings.map((f: { code: string }) => expect.objectContaining(f)),
    );
  });

  it('a dry run returns YAML and a diff and stores nothing', async () => {
    const res = await t.operator.query(UPDATE, { id: policyId, rev: 1, input: split(50, 50), dryRun: true });
    expect(res.data.updatePolicy.policy).toBeNull();
    expect(res.data.updatePolicy.dryRun.yaml).toContain('weight: 50');
    expect(res.data.updatePolicy.dryRun.diff).toMatch(/^\+\s+weight: 50$/m);
    const dryCreate = await t.operator.query(CREATE, { input: split(70, 30, 'other-split'), dryRun: true });
    expect(dryCreate.errors?.[0]?.extensions.code).toBe('POLICY_REJECTED');
    const still = await t.viewer.query('query($id: ID!) { policy(id: $id) { revision } }', { id: policyId });
    expect(still.data.policy.revision).toBe(1);
  });

  it('updatePolicy needs the revision read: a stale one is REVISION_MISMATCH at $.expectedRevision', async () => {
    const stale = await t.operator.query(UPDATE, { id: policyId, rev: 7, input: split(80, 20) });
    expect(stale.errors![0]!.extensions).toMatchObject({
      code: 'REVISION_MISMATCH',
      status: 412,
      path: '$.expectedRevision',
    });
    const bad = await t.operator.query(UPDATE, {
      id: policyId,
      rev: 1,
      input: { ...split(80, 20), spec: { weights: [] } },
    });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'POLICY_INVALID', status: 422 });
    expect(bad.errors![0]!.extensions.path).toMatch(/^\$\.input\.spec/);
    const ok = await t.operator.query(UPDATE, { id: policyId, rev: 1, input: split(80, 20) });
    expect(ok.data.updatePolicy.policy.revision).toBe(2);
    await eventually(async () => (await reviewsWeights())?.['v2'] === 20, 15_000, 50);
    const history = await t.viewer.query(
      'query($id: ID!) { policy(id: $id) { history { revision change spec } } }',
      { id: policyId },
    );
    expect(
      history.data.policy.history.map((r: { revision: number; change: string }) => [r.revision, r.change]),
    ).toEqual([
      [1, 'create'],
      [2, 'update'],
    ]);
  });

  it('lists policies by filter, and a viewer cannot write', async () => {
    const res = await t.viewer.query(
      'query($s: ID) { byKind: policies(filter: { kind: TrafficSplit }) { nodes { id } } byService: policies(filter: { serviceId: $s }) { nodes { id } } none: policies(filter: { kind: Timeout }) { nodes { id } } }',
      { s: reviewsId },
    );
    expect(res.data).toEqual({
      byKind: { nodes: [{ id: policyId }] },
      byService: { nodes: [{ id: policyId }] },
      none: { nodes: [] },
    });
    const denied = await t.viewer.query(CREATE, { input: split(50, 50, 'viewer-split') });
    expect(denied.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('applyBundle: dry run, then apply, then prune; gitOpsExport has what is generated', async () => {
    const bundle = `apiVersion: heliomesh.io/v1alpha1
kind: Timeout
metadata: { name: ratings-timeout, namespace: shop }
spec: { target: { service: ratings }, timeout: 2s }
`;
    const APPLY = `mutation($y: String!, $prune: Boolean, $dry: Boolean) { applyBundle(yaml: $y, prune: $prune, dryRun: $dry) { created configured unchanged deleted dryRun { yaml } } }`;
    const dry = await t.operator.query(APPLY, { y: bundle, dry: true });
    expect(dry.data.applyBundle).toMatchObject({
      created: ['shop/ratings-timeout'],
      dryRun: { yaml: expect.stringContaining('timeout: 2s') },
    });
    const applied = await t.operator.query(APPLY, { y: bundle });
    expect(applied.data.applyBundle).toMatchObject({ created: ['shop/ratings-timeout'], dryRun: null });
    const again = await t.operator.query(APPLY, { y: bundle });
    expect(again.data.applyBundle.unchanged).toEqual(['shop/ratings-timeout']);
    const invalid = await t.operator.query(APPLY, { y: bundle.replace('2s', 'soon') });
    expect(invalid.errors![0]!.extensions).toMatchObject({
      code: 'BUNDLE_INVALID',
      path: expect.stringMatching(/^\$\.yaml\.documents\[0\]/),
    });
    const exported = await t.viewer.query('{ gitOpsExport }');
    expect(exported.data.gitOpsExport).toContain('name: heliomesh-reviews');
    const pruned = await t.operator.query(APPLY, { y: bundle, prune: true });
    expect(pruned.data.applyBundle.deleted).toEqual(['shop/reviews-split']);
    await eventually(async () => (await reviewsWeights()) === undefined, 15_000, 50);
  });

  it('deletePolicy with a dry run first, and its history stays readable', async () => {
    const [ratings] = (await t.viewer.query('{ policies { nodes { id name revision } } }')).data.policies
      .nodes;
    const DELETE =
      'mutation($id: ID!, $rev: Int, $dry: Boolean) { deletePolicy(id: $id, expectedRevision: $rev, dryRun: $dry) { id deleted dryRun { diff } } }';
    const dry = await t.operator.query(DELETE, { id: ratings.id, rev: ratings.revision, dry: true });
    expect(dry.data.deletePolicy).toMatchObject({ deleted: false, dryRun: { diff: expect.any(String) } });
    const done = await t.operator.query(DELETE, { id: ratings.id, rev: ratings.revision });
    expect(done.data.deletePolicy).toEqual({ id: ratings.id, deleted: true, dryRun: null });
    const gone = await t.viewer.query('query($id: ID!) { policy(id: $id) { id } }', { id: ratings.id });
    expect(gone.data.policy).toBeNull();
    expect(gone.errors![0]!.extensions.code).toBe('NOT_FOUND');
    const history = await t.viewer.query(
      'query($id: ID!) { policies(filter: { serviceId: $id }) { nodes { id } } }',
      { id: reviewsId },
    );
    expect(history.data.policies.nodes).toEqual([]);
  });
});

describe('audit and tokens', () => {
  it('auditEvents newest first with filters and cursors, and a valid chain', async () => {
    const q = `query($after: String) { auditEvents(filter: { action: "policy.*" }, first: 2, after: $after) {
      edges { cursor node { seq action actor resourceKind data } } pageInfo { hasNextPage endCursor } } }`;
    const first = await t.viewer.query(q);
    const seqs = first.data.auditEvents.edges.map((e: { node: { seq: number } }) => e.node.seq);
    expect(seqs[0]).toBeGreaterThan(seqs[1]);
    const next = await t.viewer.query(q, { after: first.data.auditEvents.pageInfo.endCursor });
    expect(next.data.auditEvents.edges[0].node.seq).toBeLessThan(seqs[1]);
    const reason = await t.viewer.query(
      '{ auditEvents(filter: { action: "policy.create" }) { nodes { reason } } }',
    );
    expect(reason.data.auditEvents.nodes.map((n: { reason: string | null }) => n.reason)).toContain(
      'canary 10 %',
    );
    const chain = await t.viewer.query('{ auditChain { tenantId valid checked firstBroken { seq } } }');
    expect(chain.data.auditChain).toMatchObject({ tenantId: t.tenant.id, valid: true, firstBroken: null });
    expect(chain.data.auditChain.checked).toBeGreaterThan(5);
  });

  it('tokens: an admin creates one (the secret works), lists it and revokes it', async () => {
    const created = await t.admin.query(
      'mutation { createToken(input: { name: "ci", role: VIEWER }) { token { id name role prefix } secret } }',
    );
    const { token, secret } = created.data.createToken;
    expect(token).toMatchObject({ name: 'ci', role: 'VIEWER' });
    expect(secret.startsWith(token.prefix)).toBe(true);
    expect((await t.admin.as(secret).query('{ me { tokenName } }')).data.me.tokenName).toBe('ci');
    const listed = await t.admin.query('{ tokens(first: 10) { nodes { name revokedAt } } }');
    expect(listed.data.tokens.nodes.map((n: { name: string }) => n.name)).toContain('ci');
    const revoked = await t.admin.query('mutation($id: ID!) { revokeToken(id: $id) { revokedAt } }', {
      id: token.id,
    });
    expect(revoked.data.revokeToken.revokedAt).not.toBeNull();
    expect((await t.admin.as(secret).query('{ me { tokenName } }')).errors![0]!.extensions.code).toBe(
      'AUTH_REVOKED',
    );
    const operator = await t.operator.query(
      'mutation { createToken(input: { name: "x", role: ADMIN }) { secret } }',
    );
    expect(operator.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const past = await t.admin.query(
      'mutation { createToken(input: { name: "old", role: VIEWER, expiresAt: "2001-01-01T00:00:00Z" }) { secret } }',
    );
    expect(past.errors![0]!.extensions).toMatchObject({ code: 'INPUT_INVALID', path: '$.input.expiresAt' });
  });
});
