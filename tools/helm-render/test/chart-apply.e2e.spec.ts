import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '@heliomesh/kube-sim';
import {
  loadValuesFile,
  renderChart,
  type GoMap,
  type RenderedChart,
  type RenderedManifest,
} from '../src/index.js';
import { FULL_VALUES, REQUIRED_VALUES, heliomeshChart } from './chart.fixture.js';
import { SandboxApi, eventually } from './sandbox-apply.helper.js';

/**
 * Kinds the chart renders that the Kubernetes sandbox does not serve (it implements the core
 * workload kinds and CRDs, not RBAC, policy, autoscaling, networking, batch or the Prometheus
 * Operator CRDs). They are checked by the kubernetes-models schemas and the cross-reference
 * checkers in chart.spec.ts instead. The first test proves each one really is unserved, so this
 * list shrinks as the sandbox grows.
 */
const UNSERVED_KINDS = [
  'ClusterRole',
  'ClusterRoleBinding',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'NetworkPolicy',
  'Ingress',
  'Job',
  'ServiceMonitor',
];

let sim: KubeSim;
let api: SandboxApi;

beforeAll(async () => {
  sim = await startKubeSim({ port: 0 });
  api = new SandboxApi(sim.url);
});

afterAll(async () => {
  await sim?.stop();
});

let counter = 0;
const uniqueNamespace = () => `helm-${process.pid}-${Date.now().toString(36)}-${counter++}`;

async function renderInto(namespace: string, values: GoMap[]): Promise<RenderedChart> {
  return renderChart(await heliomeshChart(), { release: { name: 'hm', namespace }, values });
}

/** Helm's order: the namespace, then hooks by weight, then regular objects by kind. */
async function install(namespace: string, r: RenderedChart): Promise<RenderedManifest[]> {
  const ns = await api.apply({
    apiVersion: 'v1',
    kind: 'Namespace',
    name: namespace,
    namespace: undefined,
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
  });
  expect(ns.status).toBe(201);
  const applied: RenderedManifest[] = [];
  for (const m of [...r.hooks, ...r.manifests]) {
    if (UNSERVED_KINDS.includes(m.kind)) continue;
    const reply = await api.apply(m);
    expect(reply.status, `${m.kind}/${m.name}: ${JSON.stringify(reply.body)}`).toBe(201);
    // The stored object holds every field the chart set (plus the server's defaults).
    expect(reply.body).toMatchObject(m.object);
    applied.push(m);
  }
  return applied;
}

async function deploymentsAvailable(namespace: string, r: RenderedChart): Promise<void> {
  for (const d of r.manifests.filter((m) => m.kind === 'Deployment')) {
    const replicas = (d.object['spec'] as { replicas?: number }).replicas ?? 1;
    await eventually(async () => {
      const { body } = await api.get('apps/v1', 'Deployment', d.name, namespace);
      return body.status?.availableReplicas === replicas ? true : undefined;
    }, `${d.name} to have ${replicas} available replicas`);
    const selector = Object.entries(
      (d.object['spec'] as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = await api.list('v1', 'Pod', namespace, selector);
    expect(pods.body.items).toHaveLength(replicas);
  }
}

/**
 * Every key a running pod reads from a Secret the chart created is in that Secret as the sandbox
 * stored it (Secrets the user brings are outside the release and not applied here).
 */
async function podSecretKeysResolve(namespace: string, r: RenderedChart): Promise<number> {
  const ours = new Set(r.manifests.filter((m) => m.kind === 'Secret').map((m) => m.name));
  const selector = `app.kubernetes.io/instance=hm`;
  const pods = (await api.list('v1', 'Pod', namespace, selector)).body.items as any[];
  expect(pods.length).toBeGreaterThan(0);
  let resolved = 0;
  for (const pod of pods) {
    for (const e of pod.spec.containers[0].env as any[]) {
      const ref = e.valueFrom?.secretKeyRef;
      if (!ref || !ours.has(ref.name)) continue;
      const stored = (await api.get('v1', 'Secret', ref.name, namespace)).body;
      if (ref.optional !== true)
        expect(Object.keys(stored.data), `${pod.metadata.name} ${e.name}`).toContain(ref.key);
      resolved++;
    }
  }
  return resolved;
}

describe('the rendered chart applied to the Kubernetes sandbox', () => {
  it('leaves out exactly the kinds the sandbox does not serve', async () => {
    const r = await renderInto('probe', [await loadValuesFile(FULL_VALUES)]);
    const rendered = new Map([...r.manifests, ...r.hooks].map((m) => [m.kind, m.apiVersion]));
    for (const kind of UNSERVED_KINDS) {
      expect(rendered.has(kind), `${kind} is rendered by ci/full-values.yaml`).toBe(true);
      expect(await api.resource(rendered.get(kind)!, kind), `${kind} is not served`).toBeNull();
    }
    for (const [kind, apiVersion] of rendered) {
      if (!UNSERVED_KINDS.includes(kind))
        expect(await api.resource(apiVersion, kind), `${kind} is served`).not.toBeNull();
    }
  });

  it.each<[string, () => Promise<GoMap[]>]>([
    ['default values (plus the required ones)', async () => [REQUIRED_VALUES]],
    ['ci/full-values.yaml', async () => [await loadValuesFile(FULL_VALUES)]],
  ])(
    'installs with %s: server-side apply with strict field validation, then the Deployments come up',
    async (_name, values) => {
      const namespace = uniqueNamespace();
      const r = await renderInto(namespace, await values());
      const applied = await install(namespace, r);
      expect(applied.map((m) => m.kind)).toEqual(
        expect.arrayContaining(['Secret', 'ConfigMap', 'ServiceAccount', 'Service', 'Deployment']),
      );
      await deploymentsAvailable(namespace, r);
      expect(await podSecretKeysResolve(namespace, r)).toBeGreaterThan(0);
    },
  );

  it('re-applies the same release as a no-op, and rolls the pods when the configuration changes', async () => {
    const namespace = uniqueNamespace();
    await install(namespace, await renderInto(namespace, [REQUIRED_VALUES]));
    const before = (await api.get('apps/v1', 'Deployment', 'hm-heliomesh-gateway', namespace)).body;

    const again = await renderInto(namespace, [REQUIRED_VALUES]);
    for (const m of again.manifests.filter((x) => !UNSERVED_KINDS.includes(x.kind)))
      expect((await api.apply(m)).status).toBe(200);
    const unchanged = (await api.get('apps/v1', 'Deployment', 'hm-heliomesh-gateway', namespace)).body;
    expect(unchanged.metadata.generation).toBe(before.metadata.generation);

    const upgraded = await renderInto(namespace, [REQUIRED_VALUES, { config: { logLevel: 'debug' } }]);
    for (const m of upgraded.manifests.filter((x) => !UNSERVED_KINDS.includes(x.kind)))
      expect((await api.apply(m)).status).toBe(200);
    const config = (await api.get('v1', 'ConfigMap', 'hm-heliomesh', namespace)).body;
    expect(config.data.LOG_LEVEL).toBe('debug');
    const rolled = (await api.get('apps/v1', 'Deployment', 'hm-heliomesh-gateway', namespace)).body;
    expect(rolled.metadata.generation).toBe(before.metadata.generation + 1);
    await deploymentsAvailable(namespace, upgraded);
  });

  it('refuses an object with a field Kubernetes does not know, which schemas alone let through', async () => {
    const namespace = uniqueNamespace();
    await install(namespace, await renderInto(namespace, [REQUIRED_VALUES]));
    const reply = await api.apply({
      apiVersion: 'v1',
      kind: 'Service',
      name: 'typo',
      namespace,
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'typo', namespace },
        spec: { ports: [{ port: 80 }], selectr: { app: 'x' } },
      },
    });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain('selectr');
  });
});
