import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applier, MANAGED_BY_LABEL, Pruner, TENANT_LABEL, objectKey, type KubeObject } from '../src/index.js';
import { destinationRule, startSandbox, virtualService, type Sandbox } from './support/sandbox.js';

let sb: Sandbox;
let applier: Applier;
let pruner: Pruner;

beforeAll(async () => {
  sb = await startSandbox();
  applier = new Applier(sb.registry);
  pruner = new Pruner(sb.registry);
});

afterAll(async () => {
  await sb.stop();
});

async function names(ns: string, kind: 'VirtualService' | 'DestinationRule'): Promise<string[]> {
  const list = await sb.cluster.objects.list(
    { apiVersion: 'networking.istio.io/v1', kind },
    { namespace: ns },
  );
  return list.items.map((o) => o.metadata.name).sort();
}

/** Objects created as someone else would: plain create, whatever labels they carry. */
async function createForeign(obj: KubeObject): Promise<void> {
  await sb.cluster.objects.apply(obj, { fieldManager: 'someone-else', force: false });
}

describe('Pruner against kube-sim', () => {
  it('deletes only our undesired objects of the tenant; foreign, unlabelled and other tenants survive', async () => {
    const ns = await sb.namespace('prune');
    const acme = { tenant: 'acme', service: 'reviews' };
    await applier.applyAll('sim', [
      virtualService(ns, 'keep', acme),
      virtualService(ns, 'stale', acme),
      destinationRule(ns, 'stale-dr', acme),
      virtualService(ns, 'other-tenant', { tenant: 'globex', service: 'reviews' }),
    ]);
    await createForeign(virtualService(ns, 'foreign'));
    // Says it is managed by us but has no tenant label: not provably ours.
    await createForeign({
      ...virtualService(ns, 'half-labelled'),
      metadata: { name: 'half-labelled', namespace: ns, labels: { [MANAGED_BY_LABEL]: 'heliomesh' } },
    });
    // The tenant label without managed-by: somebody's copy, not ours.
    await createForeign({
      ...virtualService(ns, 'copied'),
      metadata: { name: 'copied', namespace: ns, labels: { [TENANT_LABEL]: 'acme' } },
    });

    const report = await pruner.prune('sim', { tenant: 'acme', namespaces: [ns] }, [
      virtualService(ns, 'keep', acme),
      // Asked to keep nothing else, and "desiring" a foreign object changes nothing either way.
      objectKey(virtualService(ns, 'foreign')),
    ]);
    expect(report.deleted.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'DestinationRule/stale-dr',
      'VirtualService/stale',
    ]);
    expect(report.kept).toBe(1);
    expect(report.failed).toEqual([]);
    expect(await names(ns, 'VirtualService')).toEqual([
      'copied',
      'foreign',
      'half-labelled',
      'keep',
      'other-tenant',
    ]);
    expect(await names(ns, 'DestinationRule')).toEqual([]);
  });

  it('scopes to one service and keeps the tenant’s other services', async () => {
    const ns = await sb.namespace('svc');
    await applier.applyAll('sim', [
      virtualService(ns, 'reviews', { tenant: 'acme', service: 'reviews' }),
      virtualService(ns, 'ratings', { tenant: 'acme', service: 'ratings' }),
    ]);
    const report = await pruner.prune('sim', { tenant: 'acme', service: 'reviews', namespaces: [ns] }, []);
    expect(report.deleted.map((r) => r.name)).toEqual(['reviews']);
    expect(await names(ns, 'VirtualService')).toEqual(['ratings']);
  });

  it('a dry run reports the same deletions and deletes nothing', async () => {
    const ns = await sb.namespace('dry');
    await applier.applyAll('sim', [virtualService(ns, 'stale', { tenant: 'acme' })]);
    const before = sb.sim.resourceVersion();
    const report = await pruner.prune('sim', { tenant: 'acme', namespaces: [ns] }, [], { dryRun: true });
    expect(report.deleted.map((r) => r.name)).toEqual(['stale']);
    expect(sb.sim.resourceVersion()).toBe(before);
  });

  it('re-checks an object that changed between the list and the delete: taken over by someone, it survives', async () => {
    const ns = await sb.namespace('race');
    await applier.applyAll('sim', [virtualService(ns, 'moved', { tenant: 'acme' })]);
    const objects = sb.cluster.objects;
    const realDelete = objects.delete.bind(objects);
    let raced = false;
    // The race, injected exactly where it hurts: after the prune listed the object, before its delete.
    objects.delete = async (ref, call) => {
      if (!raced) {
        raced = true;
        await sb.cluster.api.send({
          method: 'PATCH',
          path: `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices/moved`,
          contentType: 'application/merge-patch+json',
          query: { fieldManager: 'team-b' },
          body: { metadata: { labels: { [MANAGED_BY_LABEL]: 'team-b' } } },
        });
      }
      return realDelete(ref, call);
    };
    try {
      sb.sim.resetStats();
      const report = await pruner.prune('sim', { tenant: 'acme', namespaces: [ns] }, []);
      expect(report.deleted).toEqual([]);
      expect(report.failed).toEqual([]);
    } finally {
      objects.delete = realDelete;
    }
    expect(
      sb.sim
        .requestLog()
        .filter((r) => r.verb === 'delete')
        .map((r) => r.status),
    ).toEqual([409]);
    expect(await names(ns, 'VirtualService')).toEqual(['moved']);
  });

  it('refuses a scope that could select more than one tenant', async () => {
    for (const tenant of ['', 'acme,app.kubernetes.io/managed-by', '!acme', 'a b'])
      await expect(pruner.prune('sim', { tenant }, [])).rejects.toMatchObject({
        code: 'KUBE_SCOPE_INVALID',
        path: '$.tenant',
      });
  });

  it('skips kinds the cluster does not serve', async () => {
    const ns = await sb.namespace('kinds');
    const report = await pruner.prune(
      'sim',
      {
        tenant: 'acme',
        namespaces: [ns],
        kinds: [
          { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
          { apiVersion: 'example.com/v1', kind: 'Widget' },
        ],
      },
      [],
    );
    expect(report.skippedKinds).toEqual([{ apiVersion: 'example.com/v1', kind: 'Widget' }]);
  });
});
