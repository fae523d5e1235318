import {
  type ApiClient,
  DEMO_TOPOLOGY,
  eventually,
  freePort,
  type MeshSimHandle,
  parsePromText,
  setUpTenant,
  startMeshSim,
  sumSamples,
  TcpProxy,
  type TenantSetup,
} from '@heliomesh/testing';
import { type Platform, startPlatform } from './platform-harness.js';

/**
 * The platform with the simulated data plane in front of the demo shop. Time is compressed two
 * ways: mesh-sim runs `speed` simulated seconds per wall second (so a 1 s window holds 10 s of
 * shop traffic at speed 10), and the rollouts use 1-2 s intervals. The worker measures through
 * the scrape provider pointed at mesh-sim's /metrics (every 500 ms: the body is about 6 MB of
 * Istio-labelled series) through a TCP proxy a test can cut, to play a metrics provider that is down.
 */
export interface RolloutPlatform {
  p: Platform;
  mesh: MeshSimHandle;
  metricsProxy: TcpProxy;
  t: TenantSetup;
  stop(): Promise<void>;
}

export async function startRolloutPlatform(
  tenant: string,
  opts: { speed?: number; workerEnv?: Record<string, string> } = {},
): Promise<RolloutPlatform> {
  const meshPort = await freePort();
  const metricsProxy = new TcpProxy('127.0.0.1', meshPort);
  const proxyPort = await metricsProxy.start();
  const p = await startPlatform({
    workerEnv: {
      METRICS_PROVIDER: 'scrape',
      SCRAPE_TARGETS: `http://127.0.0.1:${proxyPort}/metrics`,
      SCRAPE_INTERVAL_MS: '500',
      ROLLOUT_SWEEP_INTERVAL_MS: '2000',
      ...opts.workerEnv,
    },
  });
  const mesh = await startMeshSim({
    topology: DEMO_TOPOLOGY,
    kubeconfig: p.sandbox.kubeconfig,
    port: meshPort,
    speed: opts.speed ?? 10,
  });
  const t = await setUpTenant(p.admin, {
    tenant,
    cluster: 'sandbox',
    kubeconfig: p.sandbox.kubeconfig,
    namespaces: ['shop'],
  });
  return {
    p,
    mesh,
    metricsProxy,
    t,
    async stop() {
      await mesh.stop();
      await p.stop();
      await metricsProxy.cut();
    },
  };
}

/** Requests each version of a service has received so far (server-side reports), by mesh-sim's counters. */
export function requestsByVersion(
  mesh: MeshSimHandle,
  service: string,
  versions: string[],
): Record<string, number> {
  const samples = parsePromText(mesh.metricsText());
  return Object.fromEntries(
    versions.map((v) => [
      v,
      sumSamples(samples, 'istio_requests_total', {
        reporter: 'destination',
        destination_service_name: service,
        destination_version: v,
      }),
    ]),
  );
}

/** The share (percent) each version received over the next `ms` of wall time. */
export async function observedSplit(
  mesh: MeshSimHandle,
  service: string,
  versions: string[],
  ms: number,
): Promise<{ shares: Record<string, number>; total: number }> {
  const before = requestsByVersion(mesh, service, versions);
  await new Promise((r) => setTimeout(r, ms));
  const after = requestsByVersion(mesh, service, versions);
  const deltas = versions.map((v) => after[v]! - before[v]!);
  const total = deltas.reduce((a, b) => a + b, 0);
  return {
    total,
    shares: Object.fromEntries(versions.map((v, i) => [v, total ? (deltas[i]! / total) * 100 : 0])),
  };
}

/**
 * Sends `n` requests to `service` from a pod of `fromApp`, synchronously: no simulated traffic
 * runs in between, so the counter deltas around it are exactly these requests.
 */
export function callService(
  mesh: MeshSimHandle,
  fromApp: string,
  service: string,
  headers: Record<string, string>,
  n: number,
  versions: string[],
): Record<string, number> {
  const from = mesh.engine.index.config.registry.pods.find((pod) => pod.app === fromApp);
  if (!from) throw new Error(`no pod of ${fromApp} in mesh-sim`);
  const before = requestsByVersion(mesh, service, versions);
  for (let i = 0; i < n; i++)
    mesh.engine.call(
      from,
      {
        method: 'GET',
        path: `/${service}/42`,
        scheme: 'http',
        authority: `${service}:9080`,
        headers,
        bytes: 200,
      },
      9080,
      mesh.simulation.now,
    );
  const after = requestsByVersion(mesh, service, versions);
  return Object.fromEntries(versions.map((v) => [v, after[v]! - before[v]!]));
}

export interface RolloutBody {
  target: { namespace: string; service: string };
  stable: string;
  canary: string;
  [key: string]: unknown;
}

export const SUCCESS_AND_LATENCY = [
  { name: 'success-rate', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } },
  { name: 'latency-p99', kind: 'request-duration', judge: { type: 'threshold', max: 500 } },
];

export async function startRollout(
  client: ApiClient,
  body: RolloutBody,
): Promise<{ id: string; webhookSecret?: string }> {
  const created = await client.post('/v1/rollouts', body);
  if (created.status !== 201) throw new Error(`rollout not created: ${created.status} ${created.text}`);
  return { id: created.body.rollout.id, webhookSecret: created.body.webhookSecret };
}

/** Polls the rollout until `predicate` holds; returns that view. */
export function waitForRollout(
  client: ApiClient,
  id: string,
  predicate: (view: { phase: string; canaryWeight: number; [key: string]: any }) => boolean,
  timeoutMs = 60_000,
): Promise<{ phase: string; canaryWeight: number; [key: string]: any }> {
  return eventually(
    async () => {
      const r = await client.get(`/v1/rollouts/${id}`);
      return r.status === 200 && predicate(r.body) && r.body;
    },
    timeoutMs,
    50,
  );
}

export async function eventsOf(
  client: ApiClient,
  id: string,
): Promise<
  Array<{ seq: number; type: string; message: string; phase: string; canaryWeight: number; data: any }>
> {
  const r = await client.get(`/v1/rollouts/${id}/events?limit=1000`);
  if (r.status !== 200) throw new Error(`events: ${r.status} ${r.text}`);
  return r.body;
}
