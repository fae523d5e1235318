import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker as ThreadWorker } from 'node:worker_threads';
import pg from 'pg';
import { buildProjects } from './build.util.js';

/**
 * Setup for the rollouts benchmark: the built libraries, a kube-sim with the rollouts' Services and
 * Ready pods, a generated Istio metric source, a fresh database and the seeded rollouts.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const PER_TENANT = 50;
const PG = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DEV_KEY = Buffer.from('heliomesh-development-only-key!!').toString('base64');

/** The parts of the built libraries this benchmark drives (loaded from their dist, like the apply bench). */
export interface Libs {
  db: {
    createDataSource(o: { url: string; poolSize?: number }): {
      initialize(): Promise<unknown>;
      destroy(): Promise<void>;
      query(sql: string, params?: unknown[]): Promise<Array<{ id: string }>>;
    };
    migrateWithLock(ds: unknown): Promise<unknown>;
  };
  core: {
    SecretBox: new (key: string) => { seal(text: string): Buffer };
    RolloutsService: new (
      db: unknown,
      box: unknown,
      publisher: unknown,
      o: { tenantLimit: number },
    ) => { create(ctx: unknown, body: unknown): Promise<unknown> };
    NoopRolloutEventPublisher: new () => unknown;
  };
}

export const load = (path: string) => import(pathToFileURL(join(root, path)).href);

export const build = () => buildProjects('@heliomesh/rollout-worker', '@heliomesh/kube-sim');

/** kube-sim in its own thread (its fake kubelet makes pods Ready): reconciles apply to it. */
export async function startKubeSim(): Promise<{ url: string; kubeconfig: string; stop(): Promise<void> }> {
  const entry = pathToFileURL(join(root, 'tools/kube-sim/dist/index.js')).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.entry).then(async ({ startKubeSim }) => {
      const sim = await startKubeSim({ watchHistory: 200000 });
      parentPort.on('message', async (cmd) => {
        if (cmd === 'stop') { await sim.stop(); parentPort.postMessage({ stopped: true }); }
      });
      parentPort.postMessage({ url: sim.url, kubeconfig: sim.kubeconfig });
    });`;
  const worker = new ThreadWorker(code, { eval: true, workerData: { entry } });
  const ready = await new Promise<{ url: string; kubeconfig: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    ...ready,
    async stop() {
      worker.postMessage('stop');
      await new Promise((r) => worker.once('message', r));
      await worker.terminate();
    },
  };
}

const svc = (i: number) => `svc-${String(i % PER_TENANT).padStart(3, '0')}`;
const ns = (i: number) => `bench-${Math.floor(i / PER_TENANT)}`;

/**
 * A generated Istio metric source: per rollout service, v1 (stable, 95 req/s) and v2 (canary,
 * 5 req/s) request counters by code (0.05 % 503s) and a 4-bucket latency histogram, growing with
 * wall time like Envoy's counters. 6 series per version.
 */
export function startMetricSource(
  rollouts: number,
): Promise<{ url: string; server: Server; series: number }> {
  const t0 = Date.now();
  const versions = [
    { version: 'v1', rps: 95 },
    { version: 'v2', rps: 5 },
  ];
  const lines: Array<{ prefix: string; perSecond: number }> = [];
  const histogram: Array<{ prefix: string; perSecond: number }> = [];
  for (let i = 0; i < rollouts; i++)
    for (const v of versions) {
      const l = `reporter="destination",destination_service_namespace="${ns(i)}",destination_service_name="${svc(i)}",destination_version="${v.version}"`;
      lines.push({ prefix: `istio_requests_total{${l},response_code="200"}`, perSecond: v.rps * 0.9995 });
      lines.push({ prefix: `istio_requests_total{${l},response_code="503"}`, perSecond: v.rps * 0.0005 });
      const cumulative = [0.9, 0.995, 1, 1];
      ['25', '100', '500', '+Inf'].forEach((le, k) =>
        histogram.push({
          prefix: `istio_request_duration_milliseconds_bucket{${l},le="${le}"}`,
          perSecond: v.rps * cumulative[k]!,
        }),
      );
    }
  const server = createServer((_req, res) => {
    const s = (Date.now() - t0) / 1000;
    const out = ['# TYPE istio_requests_total counter'];
    for (const x of lines) out.push(`${x.prefix} ${Math.floor(x.perSecond * s)}`);
    out.push('# TYPE istio_request_duration_milliseconds histogram');
    for (const x of histogram) out.push(`${x.prefix} ${Math.floor(x.perSecond * s)}`);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${out.join('\n')}\n`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
        server,
        series: lines.length + histogram.length,
      }),
    ),
  );
}

export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hm_bench_rollouts_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Tenants, namespaces, services with two versions, and the rollouts (created through the use case). */
export async function seed(
  libs: Libs,
  dbUrl: string,
  kube: { url: string; kubeconfig: string },
  rollouts: number,
): Promise<void> {
  const ds = libs.db.createDataSource({ url: dbUrl, poolSize: 8 });
  await ds.initialize();
  await libs.db.migrateWithLock(ds);
  const box = new libs.core.SecretBox(DEV_KEY);
  const [cluster] = await ds.query(
    `INSERT INTO clusters (name, connection, server, credentials) VALUES ('sandbox', 'sandbox', $1, $2) RETURNING id`,
    [kube.url, box.seal(kube.kubeconfig)],
  );
  const service = new libs.core.RolloutsService(ds, box, new libs.core.NoopRolloutEventPublisher(), {
    tenantLimit: PER_TENANT,
  });
  const post = kubePoster(kube);
  for (let t = 0; t < Math.ceil(rollouts / PER_TENANT); t++) {
    const namespace = ns(t * PER_TENANT);
    const names = Array.from({ length: Math.min(PER_TENANT, rollouts - t * PER_TENANT) }, (_, k) => svc(k));
    await deployNamespace(post, namespace, names);
    const [tenant] = await ds.query(`INSERT INTO tenants (name) VALUES ($1) RETURNING id`, [`bench-${t}`]);
    await ds.query(`INSERT INTO namespace_claims (tenant_id, cluster_id, namespace) VALUES ($1, $2, $3)`, [
      tenant.id,
      cluster.id,
      namespace,
    ]);
    const ctx = {
      auth: { tokenId: 'bench', tokenName: 'bench', role: 'operator', tenantId: tenant.id, actor: 'bench' },
      tenantId: tenant.id,
    };
    for (let i = t * PER_TENANT; i < Math.min(rollouts, (t + 1) * PER_TENANT); i++) {
      const [row] = await ds.query(
        `INSERT INTO services (tenant_id, cluster_id, namespace, name, ports, selector)
         VALUES ($1, $2, $3, $4, '[{"name":"http","port":9080}]', $5) RETURNING id`,
        [tenant.id, cluster.id, namespace, svc(i), JSON.stringify({ app: svc(i) })],
      );
      for (const version of ['v1', 'v2'])
        await ds.query(
          `INSERT INTO service_versions (service_id, tenant_id, name, labels, pods) VALUES ($1, $2, $3, $4, 1)`,
          [row.id, tenant.id, version, JSON.stringify({ app: svc(i), version })],
        );
      await service.create(ctx, rolloutBody(namespace, svc(i)));
    }
  }
  await ds.destroy();
}

type Poster = (path: string, body: unknown) => Promise<Response>;

function kubePoster(kube: { url: string; kubeconfig: string }): Poster {
  const token = /token: (\S+)/.exec(kube.kubeconfig)?.[1];
  return (path, body) =>
    fetch(`${kube.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
}

/** Real Services and Ready pods, so the worker's service discovery agrees with the seeded rows. */
async function deployNamespace(post: Poster, namespace: string, names: string[]): Promise<void> {
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await Promise.all(
    names.map(async (name) => {
      await post(`/api/v1/namespaces/${namespace}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 9080 }] },
      });
      for (const version of ['v1', 'v2'])
        await post(`/api/v1/namespaces/${namespace}/pods`, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${name}-${version}`, namespace, labels: { app: name, version } },
          spec: { containers: [{ name: 'app', image: 'example/app:1' }] },
        });
    }),
  );
}

/** Long enough to keep ticking for the whole run: 8 weights, 8 analysis runs at each. */
function rolloutBody(namespace: string, service: string) {
  const steps = [];
  for (let w = 5; w <= 40; w += 5) steps.push({ setWeight: w }, { analysis: { runs: 8 } });
  return {
    target: { namespace, service },
    stable: 'v1',
    canary: 'v2',
    strategy: { type: 'canary', steps },
    analysis: {
      interval: '5s',
      window: '15s',
      minRequests: 20,
      metrics: [
        { name: 'success-rate', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } },
        { name: 'latency-p99', kind: 'request-duration', judge: { type: 'threshold', max: 500 } },
      ],
    },
  };
}
