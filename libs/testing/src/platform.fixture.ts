import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ApiClient } from './api-client.util.js';

/** A platform admin token for tests, registered through ADMIN_TOKEN. */
export function testAdminToken(): string {
  // The token format of @heliomesh/auth, written out here so the harness does not depend on it.
  return `hm_${randomBytes(32).toString('base64url')}`;
}

export interface TenantSetup {
  tenant: { id: string; name: string };
  /** An operator token of the tenant. */
  operator: ApiClient;
  viewer: ApiClient;
  clusterId: string;
}

/**
 * Registers the sandbox cluster (once per admin client and name), creates a tenant with an
 * operator and a viewer token, claims `namespaces` for it and discovers their services.
 */
export async function setUpTenant(
  admin: ApiClient,
  opts: { tenant: string; cluster: string; kubeconfig: string; namespaces: string[] },
): Promise<TenantSetup> {
  const clusters = await admin.get<Array<{ id: string; name: string }>>('/v1/clusters');
  let clusterId = clusters.body.find((c) => c.name === opts.cluster)?.id;
  if (!clusterId) {
    const registered = await admin.post('/v1/clusters', {
      name: opts.cluster,
      connection: 'sandbox',
      kubeconfig: opts.kubeconfig,
    });
    expect(registered.status, registered.text).toBe(201);
    clusterId = registered.body.cluster.id as string;
  }
  const tenant = await admin.post('/v1/tenants', { name: opts.tenant });
  expect(tenant.status, tenant.text).toBe(201);
  for (const namespace of opts.namespaces) {
    const claim = await admin.post('/v1/namespaces', {
      tenant: opts.tenant,
      cluster: opts.cluster,
      namespace,
    });
    expect(claim.status, claim.text).toBe(201);
  }
  const scoped = admin.forTenant(opts.tenant);
  const operator = await scoped.post('/v1/tokens', { name: `${opts.tenant}-operator`, role: 'operator' });
  expect(operator.status, operator.text).toBe(201);
  const viewer = await scoped.post('/v1/tokens', { name: `${opts.tenant}-viewer`, role: 'viewer' });
  expect(viewer.status, viewer.text).toBe(201);
  const operatorClient = admin.as(operator.body.secret);
  const sync = await operatorClient.post('/v1/services/sync');
  expect(sync.status, sync.text).toBe(200);
  return {
    tenant: { id: tenant.body.id, name: opts.tenant },
    operator: operatorClient,
    viewer: admin.as(viewer.body.secret),
    clusterId,
  };
}
