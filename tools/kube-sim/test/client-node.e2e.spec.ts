import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../src/index.js';
import { eventually, startSandbox, uniqueName } from './sandbox.helpers.js';

let sim: KubeSim;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  ({ sim } = await startSandbox());
  kc = new k8s.KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterAll(async () => {
  await sim.stop();
});

async function newNamespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

function statusCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

function virtualService(
  namespace: string,
  name: string,
  hosts: string[],
  labels: Record<string, string> = {},
): k8s.KubernetesObject & { spec: unknown } {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace, ...(Object.keys(labels).length ? { labels } : {}) },
    spec: { hosts, http: [{ route: [{ destination: { host: hosts[0], subset: 'v1' }, weight: 100 }] }] },
  };
}

describe('client-node 2.0.1 against kube-sim', () => {
  it('CoreV1Api creates, reads, replaces (409 on a stale resourceVersion) and deletes', async () => {
    const ns = await newNamespace('crud');
    const created = await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'cfg' }, data: { a: '1' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    const read = await core.readNamespacedConfigMap({ name: 'cfg', namespace: ns });
    expect(read.data).toEqual({ a: '1' });

    const replaced = await core.replaceNamespacedConfigMap({
      name: 'cfg',
      namespace: ns,
      body: { ...read, data: { a: '2' } },
    });
    expect(replaced.data).toEqual({ a: '2' });
    expect(Number(replaced.metadata!.resourceVersion)).toBeGreaterThan(
      Number(read.metadata!.resourceVersion),
    );

    const stale = await core
      .replaceNamespacedConfigMap({ name: 'cfg', namespace: ns, body: { ...read, data: { a: '3' } } })
      .catch((e: unknown) => e);
    expect(statusCode(stale)).toBe(409);
    expect(String((stale as { body?: string }).body)).toContain('the object has been modified');

    await core.deleteNamespacedConfigMap({ name: 'cfg', namespace: ns });
    const gone = await core.readNamespacedConfigMap({ name: 'cfg', namespace: ns }).catch((e: unknown) => e);
    expect(statusCode(gone)).toBe(404);
  });

  it('patchNamespace applies a JSON patch and a merge patch', async () => {
    const ns = await newNamespace('patch');
    const jsonPatched = await core.patchNamespace({
      name: ns,
      body: [{ op: 'add', path: '/metadata/labels/team', value: 'a' }],
    });
    expect(jsonPatched.metadata?.labels).toMatchObject({ team: 'a', 'kubernetes.io/metadata.name': ns });
    const merged = await core.patchNamespace(
      { name: ns, body: { metadata: { labels: { team: null, tier: 'gold' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ tier: 'gold', 'kubernetes.io/metadata.name': ns });
  });

  it('server-side applies a VirtualService with a field manager; a conflicting manager gets 409, then wins with force', async () => {
    const ns = await newNamespace('ssa');
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const vs = virtualService(ns, 'reviews', ['reviews']);
    const applied = await objects.patch(
      vs,
      undefined,
      undefined,
      'heliomesh',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    const entry = applied.metadata?.managedFields?.find((m) => m.manager === 'heliomesh');
    expect(entry?.operation).toBe('Apply');
    expect(entry?.fieldsV1).toEqual({ 'f:spec': { 'f:hosts': {}, 'f:http': {} } });
    expect(applied.metadata?.generation).toBe(1);

    const rival = virtualService(ns, 'reviews', ['ratings']);
    const conflict = await objects
      .patch(rival, undefined, undefined, 'rival', false, k8s.PatchStrategy.ServerSideApply)
      .catch((e: unknown) => e);
    expect(statusCode(conflict)).toBe(409);
    const status = JSON.parse(String((conflict as { body: string }).body)) as {
      message: string;
      details: { causes: unknown[] };
    };
    expect(status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "heliomesh":\n- .spec.hosts\n- .spec.http',
    );
    expect(status.details.causes).toContainEqual({
      reason: 'FieldManagerConflict',
      message: 'conflict with "heliomesh"',
      field: '.spec.hosts',
    });

    const forced = (await objects.patch(
      rival,
      undefined,
      undefined,
      'rival',
      true,
      k8s.PatchStrategy.ServerSideApply,
    )) as typeof rival;
    expect((forced.spec as { hosts: string[] }).hosts).toEqual(['ratings']);
    expect(forced.metadata?.generation).toBe(2);
    expect(forced.metadata?.managedFields?.map((m) => m.manager)).toEqual(['rival']);

    const read = await objects.read({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: ns },
    });
    expect(read.metadata?.resourceVersion).toBe(forced.metadata?.resourceVersion);
    await objects.delete(read);
    await expect(
      objects.read({
        apiVersion: read.apiVersion,
        kind: read.kind,
        metadata: { name: 'reviews', namespace: ns },
      }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('lists custom objects with a label selector', async () => {
    const ns = await newNamespace('list');
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    for (const [name, app] of [
      ['a', 'reviews'],
      ['b', 'ratings'],
      ['c', 'reviews'],
    ] as const)
      await objects.patch(
        virtualService(ns, name, [name], { app }),
        undefined,
        undefined,
        'test',
        true,
        k8s.PatchStrategy.ServerSideApply,
      );
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const list = (await custom.listNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: ns,
      plural: 'virtualservices',
      labelSelector: 'app=reviews',
    })) as { items: k8s.KubernetesObject[]; metadata: { resourceVersion: string } };
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['a', 'c']);
    expect(list.items[0]?.apiVersion).toBe('networking.istio.io/v1');
    expect(Number(list.metadata.resourceVersion)).toBe(sim.resourceVersion());
  });

  it('an informer sees add/update/delete, survives the server closing the stream, and relists after a forced 410', async () => {
    const ns = await newNamespace('informer');
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedConfigMap({ namespace: ns }));
    const events: string[] = [];
    informer.on('add', (o) => events.push(`add:${o.metadata!.name}`));
    informer.on('update', (o) => events.push(`update:${o.metadata!.name}`));
    informer.on('delete', (o) => events.push(`delete:${o.metadata!.name}`));
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'before' } } });
    await informer.start();
    await eventually(() => events.includes('add:before'));

    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'x' }, data: { v: '1' } },
    });
    await core.patchNamespacedConfigMap({
      name: 'x',
      namespace: ns,
      body: [{ op: 'replace', path: '/data/v', value: '2' }],
    });
    await core.deleteNamespacedConfigMap({ name: 'x', namespace: ns });
    await eventually(() => events.includes('delete:x'));
    expect(events).toEqual(['add:before', 'add:x', 'update:x', 'delete:x']);

    // The server ends the stream: the informer re-watches from its last resourceVersion, no replayed adds.
    const requestsBefore = sim.requestLog().length;
    sim.closeWatches();
    await eventually(() =>
      sim
        .requestLog()
        .slice(requestsBefore)
        .some((r) => r.verb === 'watch'),
    );
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'after-close' } } });
    await eventually(() => events.includes('add:after-close'));
    expect(events.filter((e) => e === 'add:before')).toHaveLength(1);
    const rewatch = sim
      .requestLog()
      .slice(requestsBefore)
      .find((r) => r.verb === 'watch');
    expect(rewatch?.status).toBe(200);

    // While the informer is disconnected an object goes away and the history is compacted: the
    // re-watch gets 410, the informer relists and reports the delete it missed. After a reconnect
    // with no event in between, client-node waits 1 s before the next one: that is the window.
    const watches = () => sim.requestLog().filter((r) => r.verb === 'watch' && r.namespace === ns).length;
    let seen = watches();
    sim.closeWatches();
    await eventually(() => watches() > seen);
    seen = watches();
    const lists = () => sim.requestLog().filter((r) => r.verb === 'list' && r.namespace === ns).length;
    const listsBefore = lists();
    sim.closeWatches();
    await core.deleteNamespacedConfigMap({ name: 'before', namespace: ns });
    sim.compactHistory();
    await eventually(() => lists() > listsBefore, 5000);
    await eventually(() => events.includes('delete:before'));
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'after-410' } } });
    await eventually(() => events.includes('add:after-410'));
    expect(events.slice(4)).toEqual(['add:after-close', 'delete:before', 'add:after-410']);
    expect(errors).toEqual([]);
    await informer.stop();
  });
});
