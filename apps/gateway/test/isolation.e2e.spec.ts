import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlResponse, Subscription } from './graphql-client.js';
import {
  type GatewayPlatform,
  setUpTenant,
  startGatewayPlatform,
  type TenantSetup,
} from './gateway-platform.js';

/** Tenant B's workload: a ledger with two versions in its own namespace. */
async function deployBank(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const api = KubernetesObjectApi.makeApiClient(kc);
  const deployment = (version: string): KubernetesObject =>
    ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `ledger-${version}`, namespace: 'bank' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'ledger', version } },
        template: {
          metadata: { labels: { app: 'ledger', version } },
          spec: { containers: [{ name: 'app', image: `ledger:${version}` }] },
        },
      },
    }) as KubernetesObject;
  const objects: KubernetesObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bank' } },
    deployment('v1'),
    deployment('v2'),
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

interface TenantFixture extends TenantSetup {
  namespace: string;
  service: string;
  policyId: string;
  serviceId: string;
  rolloutId: string;
}

let p: GatewayPlatform;
const tenants = {} as Record<'a' | 'b', TenantFixture>;

beforeAll(async () => {
  p = await startGatewayPlatform();
  await deployBank(p.sandbox.kubeconfig);
  for (const [key, name, namespace, service] of [
    ['a', 'team-a', 'shop', 'reviews'],
    ['b', 'team-b', 'bank', 'ledger'],
  ] as const) {
    const setup = await setUpTenant(p, { tenant: name, namespaces: [namespace] });
    const policy = await setup.operator.query(
      'mutation($i: PolicyInput!) { createPolicy(input: $i) { policy { id serviceId } } }',
      {
        i: {
          name: `${name}-timeout`,
          kind: 'Timeout',
          target: { namespace, service },
          spec: { timeout: '2s' },
        },
      },
    );
    expect(policy.errors, policy.text).toBeUndefined();
    const rollout = await setup.operator.query(
      'mutation($s: JSON!) { startRollout(spec: $s) { rollout { id } } }',
      {
        s: {
          target: { namespace, service },
          stable: 'v1',
          canary: 'v2',
          strategy: { type: 'canary', stepWeight: 50, maxWeight: 100, interval: '1h' },
        },
      },
    );
    expect(rollout.errors, rollout.text).toBeUndefined();
    tenants[key] = {
      ...setup,
      namespace,
      service,
      policyId: policy.data.createPolicy.policy.id,
      serviceId: policy.data.createPolicy.policy.serviceId,
      rolloutId: rollout.data.startRollout.rollout.id,
    };
  }
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

const notFound = (res: GraphqlResponse) => {
  expect(res.status, res.text).toBe(200);
  expect(res.errors?.[0]?.extensions, res.text).toMatchObject({ code: 'NOT_FOUND', status: 404 });
};

describe.each([
  ['a', 'b'],
  ['b', 'a'],
] as const)("over GraphQL, tenant %s cannot read or change tenant %s's anything", (self, other) => {
  const me = () => tenants[self];
  const them = () => tenants[other];
  const id = (field: 'policyId' | 'serviceId' | 'rolloutId') => ({ id: them()[field] });

  it.each<[string, () => Promise<GraphqlResponse>]>([
    [
      'policy(id)',
      () => me().operator.query('query($id: ID!) { policy(id: $id) { id name } }', id('policyId')),
    ],
    [
      'service(id)',
      () => me().operator.query('query($id: ID!) { service(id: $id) { id name } }', id('serviceId')),
    ],
    [
      'rollout(id)',
      () => me().operator.query('query($id: ID!) { rollout(id: $id) { id phase } }', id('rolloutId')),
    ],
    [
      'updatePolicy',
      () =>
        me().operator.query(
          'mutation($id: ID!, $i: PolicyInput!) { updatePolicy(id: $id, expectedRevision: 1, input: $i) { policy { id } } }',
          {
            ...id('policyId'),
            i: {
              name: `team-${other}-timeout`,
              kind: 'Timeout',
              target: { namespace: them().namespace, service: them().service },
              spec: { timeout: '1s' },
            },
          },
        ),
    ],
    [
      'deletePolicy',
      () => me().operator.query('mutation($id: ID!) { deletePolicy(id: $id) { deleted } }', id('policyId')),
    ],
    [
      'pauseRollout',
      () => me().operator.query('mutation($id: ID!) { pauseRollout(id: $id) { phase } }', id('rolloutId')),
    ],
    [
      'abortRollout',
      () => me().operator.query('mutation($id: ID!) { abortRollout(id: $id) { phase } }', id('rolloutId')),
    ],
    [
      'promoteRollout',
      () => me().operator.query('mutation($id: ID!) { promoteRollout(id: $id) { phase } }', id('rolloutId')),
    ],
    [
      'revokeToken',
      () =>
        me().admin.query('mutation($id: ID!) { revokeToken(id: $id) { id } }', {
          id: them().tokenIds.viewer,
        }),
    ],
    [
      'topology(namespace)',
      () =>
        me().viewer.query('query($ns: String!) { topology(namespace: $ns) { nodes { id } } }', {
          ns: them().namespace,
        }),
    ],
  ])('%s answers null / NOT_FOUND', async (_name, call) => {
    const res = await call();
    notFound(res);
    expect(JSON.stringify(res.data ?? null)).not.toContain(them().namespace);
  });

  it('lists only its own services, policies, rollouts, tenants, tokens and audit events', async () => {
    const res = await me().admin.query(`{
      services(first: 100) { nodes { id namespace policies { id } } }
      policies(first: 100) { nodes { id service { id } history { revision } } }
      rollouts(first: 20) { nodes { id serviceId targetService { id } events(first: 20) { nodes { seq } } } }
      tenants { nodes { id name } }
      tokens { nodes { id } }
      auditEvents(first: 500) { nodes { id resourceId data } }
      gitOpsExport
    }`);
    expect(res.errors, res.text).toBeUndefined();
    const text = JSON.stringify(res.data);
    for (const secret of [
      them().policyId,
      them().serviceId,
      them().rolloutId,
      them().tenant.id,
      them().tokenIds.viewer,
      them().tenant.name,
      `namespace: ${them().namespace}`,
    ])
      expect(text).not.toContain(secret);
    expect(res.data.policies.nodes.map((n: { id: string }) => n.id)).toEqual([me().policyId]);
    expect(res.data.rollouts.nodes.map((n: { id: string }) => n.id)).toEqual([me().rolloutId]);
  });

  it("writes nothing into the other tenant's namespace", async () => {
    const create = await me().operator.query(
      'mutation($i: PolicyInput!) { createPolicy(input: $i) { policy { id } } }',
      {
        i: {
          name: 'sneaky',
          kind: 'Timeout',
          target: { namespace: them().namespace, service: them().service },
          spec: { timeout: '1s' },
        },
      },
    );
    expect(create.errors![0]!.extensions.code).toBe('NAMESPACE_NOT_CLAIMED');
    const bundle = `apiVersion: heliomesh.io/v1alpha1\nkind: Timeout\nmetadata: { name: sneaky, namespace: ${them().namespace} }\nspec: { target: { service: ${them().service} }, timeout: 1s }\n`;
    const apply = await me().operator.query('mutation($y: String!) { applyBundle(yaml: $y) { created } }', {
      y: bundle,
    });
    expect(apply.errors![0]!.extensions.status).toBe(422);
    const rollout = await me().operator.query(
      'mutation($s: JSON!) { startRollout(spec: $s) { rollout { id } } }',
      {
        s: {
          target: { namespace: them().namespace, service: them().service },
          stable: 'v1',
          canary: 'v2',
          strategy: { type: 'canary', stepWeight: 50, maxWeight: 100, interval: '1h' },
        },
      },
    );
    expect(rollout.errors![0]!.extensions.code).toBe('NAMESPACE_NOT_CLAIMED');
  });

  it('cannot act for the other tenant with X-Heliomesh-Tenant, over HTTP or in connection parameters', async () => {
    const res = await me().operator.forTenant(them().tenant.name).query('{ policies { nodes { id } } }');
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const ws = me().operator.forTenant(them().tenant.name).ws();
    const sub = new Subscription(ws, 'subscription { auditEvents { seq } }');
    await expect(sub.next()).rejects.toThrow(/FORBIDDEN/);
    await ws.dispose();
  });

  it("cannot subscribe to the other tenant's rollout or namespace health", async () => {
    const ws = me().viewer.ws();
    for (const [query, variables] of [
      ['subscription($id: ID!) { rolloutProgress(id: $id) { seq } }', { id: them().rolloutId }],
      [
        'subscription($ns: String!) { serviceHealth(namespace: $ns) { namespace } }',
        { ns: them().namespace },
      ],
    ] as const) {
      const sub = new Subscription(ws, query, variables);
      await expect(sub.next()).rejects.toThrow(/NOT_FOUND/);
    }
    await ws.dispose();
  });

  it('streams only its own audit events', async () => {
    const ws = me().viewer.ws();
    const sub = new Subscription<{ auditEvents: { action: string; resourceId: string } }>(
      ws,
      'subscription { auditEvents { action resourceId } }',
    );
    await new Promise((r) => setTimeout(r, 300));
    await them().admin.query('mutation { createToken(input: { name: "noise", role: VIEWER }) { secret } }');
    const mine = await me().admin.query(
      'mutation { createToken(input: { name: "mine", role: VIEWER }) { token { id } } }',
    );
    const got = await sub.next((r) => r.data?.auditEvents.action === 'token.create');
    expect(got.data!.auditEvents.resourceId).toBe(mine.data.createToken.token.id);
    expect(JSON.stringify(sub.results)).not.toContain('noise');
    await sub.stop();
    await ws.dispose();
  });

  it('verifies only its own audit chain', async () => {
    const res = await me().viewer.query('{ auditChain { tenantId valid } }');
    expect(res.data.auditChain).toEqual({ tenantId: me().tenant.id, valid: true });
  });
});
