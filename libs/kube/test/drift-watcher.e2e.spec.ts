import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Applier,
  DriftWatcher,
  MANAGED_BY_LABEL,
  Pruner,
  type DriftEvent,
  type KubeObject,
} from '../src/index.js';
import {
  destinationRule,
  eventually,
  startSandbox,
  virtualService,
  type Sandbox,
} from './support/sandbox.js';

let sb: Sandbox;
let watcher: DriftWatcher;
let applier: Applier;
const events: Array<DriftEvent & { at: number }> = [];
const errors: unknown[] = [];
const acme = { tenant: 'acme', service: 'reviews' };

beforeAll(async () => {
  sb = await startSandbox();
  watcher = new DriftWatcher(sb.registry, {
    kinds: [
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' },
    ],
    restartDelayMs: { base: 100, max: 1000 },
    onError: (_c, _k, err) => errors.push(err),
  });
  watcher.on((e) => events.push({ ...e, at: Date.now() }));
  await watcher.start('sim');
  applier = new Applier(sb.registry, { cache: watcher });
});

afterAll(async () => {
  await watcher.stop();
  await sb.stop();
});

const inNs = (ns: string) => events.filter((e) => e.namespace === ns);

/** Waits for the watcher's cache to hold the object as last applied. */
async function cached(obj: KubeObject): Promise<void> {
  await eventually(() => {
    const seen = watcher.lookup('sim', {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      namespace: obj.metadata.namespace!,
      name: obj.metadata.name,
    });
    return seen ? seen : undefined;
  });
}

async function mergePatch(obj: KubeObject, patch: unknown, manager = 'kubectl-edit'): Promise<number> {
  const plural = obj.kind === 'VirtualService' ? 'virtualservices' : 'destinationrules';
  await sb.cluster.api.send({
    method: 'PATCH',
    path: `/apis/networking.istio.io/v1/namespaces/${obj.metadata.namespace}/${plural}/${obj.metadata.name}`,
    query: { fieldManager: manager },
    contentType: 'application/merge-patch+json',
    body: patch,
  });
  return Date.now();
}

async function foreignDelete(obj: KubeObject): Promise<number> {
  await sb.cluster.objects.delete({
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace!,
    name: obj.metadata.name,
  });
  return Date.now();
}

/** Lets in-flight watch events arrive, so "no event" assertions mean something. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('DriftWatcher against kube-sim', () => {
  it('does not report our own creates, updates and no-op re-applies', async () => {
    const ns = await sb.namespace('own');
    await applier.applyAll('sim', [virtualService(ns, 'a', acme, 90), destinationRule(ns, 'a', acme)]);
    await applier.applyAll('sim', [virtualService(ns, 'a', acme, 50), destinationRule(ns, 'a', acme)]);
    await settle();
    expect(inNs(ns)).toEqual([]);
  });

  it('reports a foreign edit within 2 s, with tenant, service and who edited', async () => {
    const ns = await sb.namespace('edit');
    const vs = virtualService(ns, 'reviews', acme);
    await applier.apply('sim', vs);
    await cached(vs);
    const editedAt = await mergePatch(vs, { spec: { http: [{ route: [{ destination: { host: 'x' } }] }] } });
    const event = await eventually(() => inNs(ns)[0], 2000);
    expect(event.at - editedAt).toBeLessThan(2000);
    expect(event).toMatchObject({
      cluster: 'sim',
      kind: 'VirtualService',
      name: 'reviews',
      change: 'modified',
      tenant: 'acme',
      service: 'reviews',
      editors: ['kubectl-edit'],
    });
    expect(event.reason).toContain('changed or removed');
  });

  it('reports a foreign delete within 2 s, and not our own prune', async () => {
    const ns = await sb.namespace('delete');
    const [a, b] = [virtualService(ns, 'a', acme), virtualService(ns, 'b', acme)];
    await applier.applyAll('sim', [a, b]);
    await cached(b);
    const deletedAt = await foreignDelete(a);
    const event = await eventually(() => inNs(ns)[0], 2000);
    expect(event.at - deletedAt).toBeLessThan(2000);
    expect(event).toMatchObject({ name: 'a', change: 'deleted', tenant: 'acme' });

    await new Pruner(sb.registry).prune('sim', { tenant: 'acme', namespaces: [ns] }, []);
    await settle();
    expect(inNs(ns).map((e) => `${e.change}:${e.name}`)).toEqual(['deleted:a']);
  });

  it('reports a foreign edit once, and our two-step repair of it not at all', async () => {
    const ns = await sb.namespace('repair');
    const vs = virtualService(ns, 'reviews', acme);
    await applier.apply('sim', vs);
    await cached(vs);
    // Changes a field we own and adds one we do not: the repair is an apply (whose result still
    // has the added field, out of sync) and then a patch removing it.
    await mergePatch(vs, { spec: { hosts: ['elsewhere'], gateways: ['public'] } }, 'helm');
    const event = await eventually(() => inNs(ns)[0], 2000);
    expect(event.editors).toEqual(['helm']);
    const repaired = await applier.apply('sim', vs);
    expect(repaired.writes).toBe(2);
    await settle();
    expect(inNs(ns)).toHaveLength(1);
  });

  it('reports an object that lost our label as modified, not deleted', async () => {
    const ns = await sb.namespace('label');
    const dr = destinationRule(ns, 'reviews', acme);
    await applier.apply('sim', dr);
    await cached(dr);
    await mergePatch(dr, { metadata: { labels: { [MANAGED_BY_LABEL]: 'someone' } } });
    const event = await eventually(() => inNs(ns)[0], 2000);
    expect(event).toMatchObject({ change: 'modified', kind: 'DestinationRule' });
    expect(event.reason).toContain('no longer carries');
  });

  it('keeps reporting after the server closes every watch', async () => {
    const ns = await sb.namespace('closed');
    const vs = virtualService(ns, 'reviews', acme);
    await applier.apply('sim', vs);
    await cached(vs);
    const watchesBefore = sb.sim.requestLog().filter((r) => r.verb === 'watch').length;
    sb.sim.closeWatches();
    await eventually(
      () => sb.sim.requestLog().filter((r) => r.verb === 'watch').length >= watchesBefore + 2,
      3000,
    );
    const editedAt = await mergePatch(vs, { spec: { hosts: ['elsewhere'] } });
    const event = await eventually(() => inNs(ns)[0], 3000);
    expect(event.at - editedAt).toBeLessThan(2000);
  });

  it('relists after a forced 410 and reports the delete it missed while disconnected', async () => {
    const ns = await sb.namespace('gone');
    const vs = virtualService(ns, 'reviews', acme);
    const dr = destinationRule(ns, 'reviews', acme);
    await applier.applyAll('sim', [vs, dr]);
    await cached(dr);
    const lists = () => sb.sim.requestLog().filter((r) => r.verb === 'list').length;
    const listsBefore = lists();
    // Disconnected, the object goes away and the history is compacted: the re-watch gets 410.
    sb.sim.closeWatches();
    await foreignDelete(vs);
    sb.sim.compactHistory();
    await eventually(() => lists() > listsBefore, 5000);
    const event = await eventually(
      () => inNs(ns).find((e) => e.name === 'reviews' && e.kind === 'VirtualService'),
      5000,
    );
    expect(event.change).toBe('deleted');
    // And it is watching again.
    const editedAt = await mergePatch(dr, { spec: { host: 'elsewhere' } });
    const edit = await eventually(() => inNs(ns).find((e) => e.kind === 'DestinationRule'), 3000);
    expect(edit.at - editedAt).toBeLessThan(2000);
  });

  it('serves the Applier as its live cache: a no-op re-apply sends no request at all', async () => {
    const ns = await sb.namespace('cache');
    const objects = [virtualService(ns, 'a', acme), destinationRule(ns, 'a', acme)];
    await applier.applyAll('sim', objects);
    for (const o of objects) await cached(o);
    await eventually(() => watcher.isSynced('sim'));
    const before = sb.sim.stats().requests;
    const report = await applier.applyAll('sim', objects);
    expect(report.unchanged).toBe(2);
    expect(sb.sim.stats().requests).toBe(before);
  });

  it('reports drift that happened while it was not watching, as soon as it starts', async () => {
    const ns = await sb.namespace('offline');
    const vs = virtualService(ns, 'reviews', acme);
    await applier.apply('sim', vs);
    await mergePatch(vs, { spec: { hosts: ['changed-while-away'] } });
    const late = new DriftWatcher(sb.registry, {
      kinds: [{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }],
    });
    const seen = late.events();
    await late.start('sim');
    const first = await (async () => {
      for await (const e of seen) if (e.namespace === ns) return e;
      return undefined;
    })();
    expect(first).toMatchObject({ name: 'reviews', change: 'modified' });
    await late.stop();
    expect(await seen.next()).toEqual({ value: undefined, done: true });
  });

  it('saw no list or watch errors in all of the above', () => {
    expect(errors).toEqual([]);
  });
});
