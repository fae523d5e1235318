import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLIED_HASH_ANNOTATION, Applier, type KubeObject } from '../src/index.js';
import { destinationRule, startSandbox, virtualService, type Sandbox } from './support/sandbox.js';

let sb: Sandbox;
let applier: Applier;
const tenant = { tenant: 'acme', service: 'reviews' };

beforeAll(async () => {
  sb = await startSandbox();
  applier = new Applier(sb.registry);
});

afterAll(async () => {
  await sb.stop();
});

async function live(obj: KubeObject): Promise<KubeObject> {
  const found = await sb.cluster.objects.get({
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace!,
    name: obj.metadata.name,
  });
  if (!found) throw new Error(`${obj.metadata.name} is not there`);
  return found;
}

/** A write as kubectl would send it: a merge patch recorded under another field manager. */
async function foreignMergePatch(obj: KubeObject, patch: unknown, manager = 'kubectl-edit'): Promise<void> {
  const rt = await sb.cluster.objects.resolve(obj);
  await sb.cluster.api.send({
    method: 'PATCH',
    path: `/apis/${rt.apiVersion}/namespaces/${obj.metadata.namespace}/${rt.plural}/${obj.metadata.name}`,
    query: { fieldManager: manager },
    contentType: 'application/merge-patch+json',
    body: patch,
  });
}

describe('Applier against kube-sim', () => {
  it('creates objects, then re-applying the same set issues no write at all', async () => {
    const ns = await sb.namespace('idem');
    const objects = [virtualService(ns, 'reviews', tenant), destinationRule(ns, 'reviews', tenant)];
    const first = await applier.applyAll('sim', objects);
    expect(first.results.map((r) => r.outcome)).toEqual(['created', 'created']);
    const vs = await live(objects[0]!);
    expect(vs.metadata.annotations?.[APPLIED_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{64}$/);
    expect(vs.metadata.managedFields?.map((m) => [m.manager, m.operation])).toEqual([['heliomesh', 'Apply']]);

    sb.sim.resetStats();
    const second = await applier.applyAll('sim', objects);
    expect(second.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(second.results.every((r) => r.writes === 0)).toBe(true);
    expect(sb.sim.stats().writes).toBe(0);
    expect(sb.sim.stats().byVerb).toEqual({ get: 2 });
  });

  it('reads a large set with one list per kind and namespace instead of one GET per object', async () => {
    const ns = await sb.namespace('bulk');
    const objects = Array.from({ length: 30 }, (_, i) => virtualService(ns, `svc-${i}`, tenant));
    const first = await applier.applyAll('sim', objects);
    expect(first.created).toBe(30);
    sb.sim.resetStats();
    const second = await applier.applyAll('sim', objects);
    expect(second.unchanged).toBe(30);
    expect(sb.sim.stats().writes).toBe(0);
    expect(sb.sim.stats().byVerb).toEqual({ list: 1 });
  });

  it('writes only what changed, once', async () => {
    const ns = await sb.namespace('change');
    await applier.applyAll('sim', [virtualService(ns, 'a', tenant, 90), virtualService(ns, 'b', tenant, 90)]);
    sb.sim.resetStats();
    const report = await applier.applyAll('sim', [
      virtualService(ns, 'a', tenant, 50),
      virtualService(ns, 'b', tenant, 90),
    ]);
    expect(report.results.map((r) => r.outcome)).toEqual(['configured', 'unchanged']);
    expect(report.results[0]!.writes).toBe(1);
    expect(sb.sim.stats().writes).toBe(1);
    const a = await live(virtualService(ns, 'a'));
    expect(
      (a['spec'] as { http: Array<{ route: Array<{ weight: number }> }> }).http[0]!.route.map(
        (r) => r.weight,
      ),
    ).toEqual([50, 50]);
  });

  it('repairs a hand edit of a field it applied even though the edit left the hash annotation alone', async () => {
    const ns = await sb.namespace('edit');
    const desired = virtualService(ns, 'reviews', tenant, 90);
    await applier.apply('sim', desired);
    await foreignMergePatch(desired, {
      spec: { http: [{ route: [{ destination: { host: 'evil' }, weight: 100 }] }] },
    });
    const edited = await live(desired);
    expect(edited.metadata.annotations?.[APPLIED_HASH_ANNOTATION]).toBeDefined();

    const repaired = await applier.apply('sim', desired);
    expect(repaired.outcome).toBe('configured');
    expect(repaired.reason).toContain('changed or removed');
    expect((await live(desired))['spec']).toEqual(desired['spec']);
    sb.sim.resetStats();
    expect((await applier.apply('sim', desired)).outcome).toBe('unchanged');
    expect(sb.sim.stats().writes).toBe(0);
  });

  it('removes fields another writer added, which a force apply alone would leave in place', async () => {
    const ns = await sb.namespace('added');
    const desired = virtualService(ns, 'reviews', tenant);
    await applier.apply('sim', desired);
    await foreignMergePatch(desired, {
      spec: { gateways: ['mesh', 'public-gw'] },
      metadata: { labels: { team: 'x' } },
    });

    const repaired = await applier.apply('sim', desired);
    expect(repaired.outcome).toBe('configured');
    expect(repaired.reason).toBe('fields were added by kubectl-edit');
    expect(repaired.writes).toBe(2);
    const after = await live(desired);
    expect(after['spec']).toEqual(desired['spec']);
    // Someone else's label is not ours to remove.
    expect(after.metadata.labels?.['team']).toBe('x');
    sb.sim.resetStats();
    expect((await applier.apply('sim', desired)).outcome).toBe('unchanged');
    expect(sb.sim.stats().writes).toBe(0);
  });

  it('takes fields back from another server-side apply manager that forced them', async () => {
    const ns = await sb.namespace('rival');
    const desired = destinationRule(ns, 'reviews', tenant);
    await applier.apply('sim', desired);
    const rival = { ...desired, metadata: { name: 'reviews', namespace: ns }, spec: { host: 'other.svc' } };
    await sb.cluster.objects.apply(rival, { fieldManager: 'rival', force: true });
    const result = await applier.apply('sim', desired);
    expect(result.outcome).toBe('configured');
    const after = await live(desired);
    expect(after['spec']).toEqual(desired['spec']);
    expect(after.metadata.managedFields?.map((m) => m.manager)).toEqual(['heliomesh']);
  });

  it('is idempotent for built-in kinds the server defaults (Service, ConfigMap)', async () => {
    const ns = await sb.namespace('builtin');
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'reviews', namespace: ns, labels: { app: 'reviews' } },
      spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] },
    };
    const config: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: ns },
      data: { a: '1' },
    };
    expect((await applier.applyAll('sim', [service, config])).created).toBe(2);
    const svc = await live(service);
    expect((svc['spec'] as { clusterIP?: string }).clusterIP).toBeTruthy();
    sb.sim.resetStats();
    expect((await applier.applyAll('sim', [service, config])).unchanged).toBe(2);
    expect(sb.sim.stats().writes).toBe(0);
  });

  it('reports invalid objects per object, with the server causes, and applies the rest', async () => {
    const ns = await sb.namespace('invalid');
    const bad = virtualService(ns, 'bad', tenant);
    (bad['spec'] as { http: Array<{ route: Array<{ weight: unknown }> }> }).http[0]!.route[0]!.weight =
      'heavy';
    const notServed: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: ns },
    };
    const noNamespace: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    const good = virtualService(ns, 'good', tenant);
    const report = await applier.applyAll('sim', [bad, notServed, noNamespace, good, good]);
    expect(report.results.map((r) => r.outcome)).toEqual(['failed', 'failed', 'failed', 'created', 'failed']);
    const [invalid, missing, unnamespaced, , duplicate] = report.results;
    expect(invalid!.error?.code).toBe('KUBE_INVALID');
    expect(invalid!.error?.kubeStatus).toBe(422);
    expect(invalid!.error?.causes[0]?.field).toContain('weight');
    expect(invalid!.reason).toContain(`VirtualService ${ns}/bad`);
    expect(missing!.error?.code).toBe('KUBE_KIND_NOT_SERVED');
    expect(unnamespaced!.error?.code).toBe('KUBE_OBJECT_INVALID');
    expect(duplicate!.error?.message).toContain('appears more than once');
    expect(report.failed).toBe(4);
  });

  it('never takes over an object that is not ours, also when the set is read with one list', async () => {
    const ns = await sb.namespace('foreign');
    const theirs = { ...virtualService(ns, 'svc-3'), spec: { hosts: ['theirs'] } };
    await sb.cluster.objects.apply(theirs, { fieldManager: 'team-b', force: false });
    for (const size of [1, 25]) {
      const set = Array.from({ length: size }, (_, i) => virtualService(ns, `svc-${i + 3}`, tenant));
      const report = await applier.applyAll('sim', set);
      expect(report.results[0]!.outcome).toBe('failed');
      expect(report.results[0]!.error).toMatchObject({ code: 'KUBE_FOREIGN_OBJECT', status: 409 });
      expect(report.results[0]!.reason).toContain(
        `VirtualService ${ns}/svc-3 already exists and is not Heliomesh's`,
      );
      expect(report.failed).toBe(1);
      expect((await live(theirs))['spec']).toEqual({ hosts: ['theirs'] });
    }
    const adopting = new Applier(sb.registry, { adopt: true });
    expect((await adopting.apply('sim', virtualService(ns, 'svc-3', tenant))).outcome).toBe('configured');
    expect((await live(theirs)).metadata.labels?.['heliomesh.io/tenant']).toBe('acme');
  });

  it('plans with server-side dry runs and writes nothing', async () => {
    const ns = await sb.namespace('plan');
    const existing = virtualService(ns, 'same', tenant);
    const changed = virtualService(ns, 'changed', tenant, 90);
    await applier.applyAll('sim', [existing, changed]);
    const before = sb.sim.resourceVersion();
    const plan = await applier.plan('sim', [
      existing,
      { ...existing, kind: 'lower' },
      virtualService(ns, 'changed', tenant, 10),
      virtualService(ns, 'new', tenant),
    ]);
    expect(plan.map((p) => p.action)).toEqual(['none', 'error', 'update', 'create']);
    plan.splice(1, 1);
    expect(plan[1]!.live).toBeDefined();
    expect(
      (plan[1]!.planned!['spec'] as { http: Array<{ route: Array<{ weight: number }> }> }).http[0]!.route[0]!
        .weight,
    ).toBe(10);
    expect(sb.sim.resourceVersion()).toBe(before);
  });
});
