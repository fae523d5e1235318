import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../src/index.js';
import { eventually, startSandbox, uniqueName, type RawApi } from './sandbox.helpers.js';

interface Obj {
  metadata: {
    name: string;
    uid: string;
    labels?: Record<string, string>;
    ownerReferences?: Array<{ uid: string; kind: string }>;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

let sim: KubeSim;
let api: RawApi;

beforeAll(async () => {
  ({ sim, api } = await startSandbox());
});

afterAll(async () => {
  await sim.stop();
});

async function namespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  expect((await api.post('/api/v1/namespaces', { metadata: { name } })).status).toBe(201);
  return name;
}

function deployment(name: string, replicas: number, version: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, version } },
        spec: { containers: [{ name: 'app', image: `example/${name}:${version}` }] },
      },
    },
  };
}

async function items(path: string): Promise<Obj[]> {
  return ((await api.get(path)).body as { items: Obj[] }).items;
}

async function runningPods(ns: string, selector: string): Promise<Obj[]> {
  const pods = await items(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`);
  return pods.filter((p) => p.status?.['phase'] === 'Running' && !p.metadata.deletionTimestamp);
}

describe('fake controllers', () => {
  it('turns a Deployment into a ReplicaSet and Running, Ready pods carrying the template labels, and reports status', async () => {
    const ns = await namespace('deploy');
    expect(
      (await api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment('reviews', 3, 'v1'))).status,
    ).toBe(201);
    const pods = await eventually(async () => {
      const p = await runningPods(ns, 'app=reviews');
      return p.length === 3 ? p : undefined;
    });
    const [rs] = await items(`/apis/apps/v1/namespaces/${ns}/replicasets`);
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(rs!.metadata.name).toBe(`reviews-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    for (const pod of pods) {
      expect(pod.metadata.labels).toEqual({ app: 'reviews', version: 'v1', 'pod-template-hash': hash });
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'ReplicaSet', uid: rs!.metadata.uid, controller: true }),
      ]);
      expect(pod.status).toMatchObject({
        podIP: expect.stringMatching(/^10\.244\.\d+\.\d+$/),
        conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })]),
      });
      expect(pod.spec?.['nodeName']).toBe('kube-sim-node');
    }
    expect(new Set(pods.map((p) => p.status!['podIP'])).size).toBe(3);
    const d = await eventually(async () => {
      const obj = (await api.get(`/apis/apps/v1/namespaces/${ns}/deployments/reviews`)).body as Obj;
      return obj.status?.['availableReplicas'] === 3 ? obj : undefined;
    });
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status!['conditions']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }),
        expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }),
      ]),
    );
    expect(
      (d.metadata as unknown as { annotations: Record<string, string> }).annotations[
        'deployment.kubernetes.io/revision'
      ],
    ).toBe('1');
  });

  it('scales through /scale and rolls out a new template to a new ReplicaSet', async () => {
    const ns = await namespace('scale');
    await api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment('web', 2, 'v1'));
    await eventually(async () => (await runningPods(ns, 'app=web')).length === 2);
    const scale = await api.patch(
      `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`,
      'application/merge-patch+json',
      { spec: { replicas: 4 } },
    );
    expect(scale.status).toBe(200);
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 } });
    await eventually(async () => (await runningPods(ns, 'app=web')).length === 4);
    await api.patch(
      `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      'application/strategic-merge-patch+json',
      { spec: { replicas: 1 } },
    );
    await eventually(async () => (await items(`/api/v1/namespaces/${ns}/pods`)).length === 1);

    await api.patch(
      `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      'application/strategic-merge-patch+json',
      {
        spec: { replicas: 2, template: { metadata: { labels: { version: 'v2' } } } },
      },
    );
    await eventually(async () => {
      const pods = await items(`/api/v1/namespaces/${ns}/pods`);
      return (
        pods.length === 2 &&
        pods.every((p) => p.metadata.labels?.['version'] === 'v2' && p.status?.['phase'] === 'Running')
      );
    });
    const rss = await items(`/apis/apps/v1/namespaces/${ns}/replicasets`);
    expect(rss).toHaveLength(2);
    expect(rss.map((r) => r.spec!['replicas']).sort()).toEqual([0, 2]);
    const d = await eventually(async () => {
      const obj = (await api.get(`/apis/apps/v1/namespaces/${ns}/deployments/web`)).body as Obj;
      return obj.status?.['updatedReplicas'] === 2 && obj.status?.['replicas'] === 2 ? obj : undefined;
    });
    expect(d.status!['observedGeneration']).toBe(
      (d.metadata as unknown as { generation: number }).generation,
    );
    expect(
      (d.metadata as unknown as { annotations: Record<string, string> }).annotations[
        'deployment.kubernetes.io/revision'
      ],
    ).toBe('2');
  });

  it('garbage-collects dependents: background, foreground and orphan propagation', async () => {
    const ns = await namespace('gc');
    for (const name of ['bg', 'fg', 'orphan'])
      await api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name, 1, 'v1'));
    await eventually(async () => (await runningPods(ns, 'app in (bg,fg,orphan)')).length === 3);

    expect(
      (await api.delete(`/apis/apps/v1/namespaces/${ns}/deployments/bg`, { propagationPolicy: 'Background' }))
        .status,
    ).toBe(200);
    await eventually(
      async () => (await items(`/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dbg`)).length === 0,
    );
    expect(await items(`/apis/apps/v1/namespaces/${ns}/replicasets?labelSelector=app%3Dbg`)).toEqual([]);

    const fg = await api.delete(`/apis/apps/v1/namespaces/${ns}/deployments/fg`, {
      propagationPolicy: 'Foreground',
    });
    expect((fg.body as Obj).metadata.finalizers).toContain('foregroundDeletion');
    expect((fg.body as Obj).metadata.deletionTimestamp).toBeDefined();
    await eventually(
      async () => (await api.get(`/apis/apps/v1/namespaces/${ns}/deployments/fg`)).status === 404,
    );
    expect(await items(`/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dfg`)).toEqual([]);

    await api.delete(`/apis/apps/v1/namespaces/${ns}/deployments/orphan`, { propagationPolicy: 'Orphan' });
    await eventually(
      async () => (await api.get(`/apis/apps/v1/namespaces/${ns}/deployments/orphan`)).status === 404,
    );
    const [rs] = await eventually(async () => {
      const r = await items(`/apis/apps/v1/namespaces/${ns}/replicasets?labelSelector=app%3Dorphan`);
      return r.length === 1 && !r[0]!.metadata.ownerReferences ? r : undefined;
    });
    expect(rs!.metadata.ownerReferences).toBeUndefined();
    expect(await runningPods(ns, 'app=orphan')).toHaveLength(1);
  });

  it('allocates unique cluster IPs and defaults Services', async () => {
    const ns = await namespace('svc');
    const ips = new Set<string>();
    for (const name of ['a', 'b', 'c']) {
      const r = await api.post(`/api/v1/namespaces/${ns}/services`, {
        metadata: { name },
        spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      expect(r.status).toBe(201);
      const spec = (r.body as Obj).spec!;
      expect(spec).toMatchObject({
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
      });
      ips.add(spec['clusterIP'] as string);
    }
    expect(ips.size).toBe(3);
    for (const ip of ips) expect(ip).toMatch(/^10\.96\.\d+\.\d+$/);
  });

  it('terminates a namespace: contents go, finalizers hold it, new content is refused', async () => {
    const ns = await namespace('term');
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    });
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'free' } });
    await eventually(
      async () => (await api.get(`/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200,
    );
    const del = await api.delete(`/api/v1/namespaces/${ns}`);
    expect((del.body as Obj).status).toEqual({ phase: 'Terminating' });
    await eventually(async () => (await api.get(`/api/v1/namespaces/${ns}/configmaps/free`)).status === 404);
    const refused = await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'late' } });
    expect(refused.status).toBe(403);
    expect((refused.body as { message: string }).message).toBe(
      `configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
    );
    expect((await api.get(`/api/v1/namespaces/${ns}`)).status).toBe(200);
    await api.patch(`/api/v1/namespaces/${ns}/configmaps/held`, 'application/merge-patch+json', {
      metadata: { finalizers: null },
    });
    await eventually(async () => (await api.get(`/api/v1/namespaces/${ns}`)).status === 404);
  });

  it('runs no workload controllers when disabled', async () => {
    const quiet = await startSandbox({ controllers: false, istio: false });
    try {
      await quiet.api.post('/apis/apps/v1/namespaces/default/deployments', deployment('idle', 1, 'v1'));
      await new Promise((r) => setTimeout(r, 100));
      expect((await quiet.api.get('/apis/apps/v1/namespaces/default/replicasets')).body).toMatchObject({
        items: [],
      });
      expect((await quiet.api.get('/apis/networking.istio.io/v1')).status).toBe(404);
    } finally {
      await quiet.sim.stop();
    }
  });
});
