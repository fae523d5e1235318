import {
  KubernetesObjectApi,
  KubeConfig,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setUpTenant, type TenantSetup } from '@heliomesh/testing';
import { type Platform, startPlatform } from './platform-harness.js';

/** A second, small workload for tenant B in its own namespace. */
async function deployOther(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const api = KubernetesObjectApi.makeApiClient(kc);
  const labels = { app: 'ledger', version: 'v1' };
  const objects: KubernetesObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bank' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ledger-v1', namespace: 'bank' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'ledger:1' }] } },
      },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ledger', namespace: 'bank' },
      spec: { selector: { app: 'ledger' }, ports: [{ name: 'http', port: 8080 }] },
    } as KubernetesObject,
  ];
  for (const o of objects)
    await api.patch(o, undefined, undefined, 'test', true, PatchStrategy.ServerSideApply);
}

let p: Platform;
const tenants: Record<
  'a' | 'b',
  TenantSetup & { admin: ApiClient; policyId: string; serviceId: string; tokenId: string }
> = {} as never;

beforeAll(async () => {
  p = await startPlatform();
  await deployOther(p.sandbox.kubeconfig);
  for (const [key, name, namespace, service] of [
    ['a', 'team-a', 'shop', 'reviews'],
    ['b', 'team-b', 'bank', 'ledger'],
  ] as const) {
    const setup = await setUpTenant(p.admin, {
      tenant: name,
      cluster: 'sandbox',
      kubeconfig: p.sandbox.kubeconfig,
      namespaces: [namespace],
    });
    const adminToken = await p.admin
      .forTenant(name)
      .post('/v1/tokens', { name: `${name}-admin`, role: 'admin' });
    const policy = await setup.operator.post('/v1/policies', {
      name: `${name}-timeout`,
      kind: 'Timeout',
      target: { namespace, service },
      spec: { timeout: '2s' },
    });
    expect(policy.status, policy.text).toBe(201);
    tenants[key] = {
      ...setup,
      admin: p.admin.as(adminToken.body.secret),
      policyId: policy.body.policy.id,
      serviceId: policy.body.policy.serviceId,
      tokenId: adminToken.body.token.id,
    };
  }
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

describe.each([
  ['a', 'b'],
  ['b', 'a'],
] as const)("tenant %s cannot read or change tenant %s's anything", (self, other) => {
  const me = () => tenants[self];
  const them = () => tenants[other];

  it.each([
    ['GET policy', () => me().operator.get(`/v1/policies/${them().policyId}`)],
    ['GET policy history', () => me().operator.get(`/v1/policies/${them().policyId}/history`)],
    [
      'PUT policy',
      () =>
        me().operator.put(
          `/v1/policies/${them().policyId}`,
          {
            name: `team-${other}-timeout`,
            kind: 'Timeout',
            target: { namespace: 'shop', service: 'reviews' },
            spec: { timeout: '1s' },
          },
          { 'if-match': '1' },
        ),
    ],
    ['DELETE policy', () => me().operator.delete(`/v1/policies/${them().policyId}`)],
    ['GET service', () => me().operator.get(`/v1/services/${them().serviceId}`)],
    ['GET service config', () => me().operator.get(`/v1/services/${them().serviceId}/config`)],
    ['GET service explain', () => me().operator.get(`/v1/services/${them().serviceId}/explain`)],
    ['GET tenant', () => me().operator.get(`/v1/tenants/${them().tenant.id}`)],
    ['DELETE token', () => me().admin.delete(`/v1/tokens/${them().tokenId}`)],
  ])('%s answers 404', async (_name, call) => {
    const res = await call();
    expect(res.status, res.text).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('lists only its own policies, services, tenants, tokens, claims and audit events', async () => {
    const otherIds = new Set([them().policyId, them().serviceId, them().tenant.id, them().tokenId]);
    const lists = await Promise.all([
      me().operator.get('/v1/policies?limit=500'),
      me().operator.get('/v1/services?limit=500'),
      me().operator.get('/v1/tenants'),
      me().admin.get('/v1/tokens'),
      me().operator.get('/v1/namespaces'),
      me().operator.get('/v1/audit?limit=500'),
    ]);
    for (const list of lists) {
      expect(list.status, list.text).toBe(200);
      const text = JSON.stringify(list.body);
      for (const id of otherIds) expect(text).not.toContain(id);
      expect(text).not.toContain(them().tenant.name);
    }
  });

  it("writes nothing into the other tenant's namespace, and exports none of it", async () => {
    const namespace = other === 'a' ? 'shop' : 'bank';
    const service = other === 'a' ? 'reviews' : 'ledger';
    const create = await me().operator.post('/v1/policies', {
      name: 'sneaky',
      kind: 'Timeout',
      target: { namespace, service },
      spec: { timeout: '1s' },
    });
    expect(create.status).toBe(422);
    expect(create.body.error.code).toBe('NAMESPACE_NOT_CLAIMED');
    const bundle = `apiVersion: heliomesh.io/v1alpha1\nkind: Timeout\nmetadata: { name: sneaky, namespace: ${namespace} }\nspec: { target: { service: ${service} }, timeout: 1s }\n`;
    const apply = await me().operator.request('POST', '/v1/apply', { body: bundle });
    expect(apply.status).toBe(422);
    const exported = await me().operator.get('/v1/export');
    expect(exported.text).not.toContain(`namespace: ${namespace}`);
  });

  it('cannot act for the other tenant through X-Heliomesh-Tenant', async () => {
    const res = await me().operator.forTenant(them().tenant.name).get('/v1/policies');
    expect(res.status).toBe(403);
  });

  it('verifies only its own audit chain, and the other tenant still finds its objects intact', async () => {
    const verify = await me().operator.get('/v1/audit/verify');
    expect(verify.body).toMatchObject({ tenantId: me().tenant.id, valid: true });
    const theirs = await them().operator.get(`/v1/policies/${them().policyId}`);
    expect(theirs.body.revision).toBe(1);
  });
});
