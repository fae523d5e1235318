import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_TOPOLOGY,
  deployTopology,
  loadTopologyFile,
  setUpTenant,
  type TenantSetup,
} from '@heliomesh/testing';
import { type Platform, startPlatform } from './platform-harness.js';

/** Discovery of a namespace nobody synced yet, asked for several times at once. */
let p: Platform;
let t: TenantSetup;

beforeAll(async () => {
  p = await startPlatform();
  t = await setUpTenant(p.admin, {
    tenant: 'sync-team',
    cluster: 'sandbox',
    kubeconfig: p.sandbox.kubeconfig,
    namespaces: ['shop'],
  });
  const demo = await loadTopologyFile(DEMO_TOPOLOGY);
  await deployTopology(p.sandbox.kubeconfig, {
    ...demo,
    namespace: 'shop2',
    services: demo.services.map((s) => ({ ...s, namespace: 'shop2' })),
  });
  const claim = await p.admin.post('/v1/namespaces', {
    tenant: 'sync-team',
    cluster: 'sandbox',
    namespace: 'shop2',
  });
  expect(claim.status, claim.text).toBe(201);
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

describe('concurrent service syncs', () => {
  it('all succeed, and each service is discovered once', async () => {
    const syncs = await Promise.all([1, 2, 3, 4].map(() => t.operator.post('/v1/services/sync')));
    expect(syncs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const added = syncs.flatMap((r) =>
      (r.body as Array<{ added: string[] }>).flatMap((report) => report.added),
    );
    const listed = await t.operator.get('/v1/services?namespace=shop2&limit=100');
    const names = (listed.body.items as Array<{ name: string }>).map((s) => s.name);
    expect(names.length).toBeGreaterThanOrEqual(8);
    expect(new Set(names).size).toBe(names.length);
    // Whichever sync ran first added them all; the others found them stored.
    expect(added.sort()).toEqual(names.map((n) => `shop2/${n}`).sort());
  });
});
