/**
 * `rollouts` benchmark (issue 7): N concurrent rollouts (default 1,000, 20 tenants x 50, the
 * default per-tenant cap) ticking every 5 s on ONE rollout-worker process for D seconds (default
 * 180). Each tick re-reads the rollout, runs the analysis (success rate and p99 latency through the
 * scrape provider, scraping a generated Istio metric source every 5 s), commits with optimistic
 * concurrency, writes events and schedules the next tick through the outbox; route changes
 * reconcile the service into a kube-sim. Reports tick lag (started minus scheduled) p50/p99, the
 * worker's CPU and peak RSS, and the engine's tick throughput while draining the start-up burst
 * against raw BullMQ delayed-job throughput (no-op jobs, same concurrency) measured in the same run.
 *
 * Usage: npm run bench -- rollouts [rollouts] [seconds]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker as ThreadWorker } from 'node:worker_threads';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { formatTable, percentile } from '../bench.util.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const ROLLOUTS = Number(process.argv[2] ?? 1_000);
const SECONDS = Number(process.argv[3] ?? 180);
const PER_TENANT = 50;
const TENANTS = Math.ceil(ROLLOUTS / PER_TENANT);
const PG = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const RAW_JOBS = 5_000;
const CONCURRENCY = 16;
const DEV_KEY = Buffer.from('heliomesh-development-only-key!!').toString('base64');

/** The parts of the built libraries this benchmark drives (loaded from their dist, like the apply bench). */
interface Libs {
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

const load = (path: string) => import(pathToFileURL(join(root, path)).href);

function build(): void {
  const res = spawnSync(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'build',
      '-p',
      '@heliomesh/rollout-worker',
      '@heliomesh/kube-sim',
      '--skip-sync',
      '--outputStyle=stream',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (res.status !== 0) throw new Error('building the rollout worker and kube-sim failed');
}

/** kube-sim in its own thread (its fake kubelet makes pods Ready): reconciles apply to it. */
async function startKubeSim(): Promise<{ url: string; kubeconfig: string; stop(): Promise<void> }> {
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
function startMetricSource(): Promise<{ url: string; server: Server; series: number }> {
  const t0 = Date.now();
  const versions = [
    { version: 'v1', rps: 95 },
    { version: 'v2', rps: 5 },
  ];
  const lines: Array<{ prefix: string; perSecond: number }> = [];
  const histogram: Array<{ prefix: string; perSecond: number }> = [];
  for (let i = 0; i < ROLLOUTS; i++)
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

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
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
async function seed(libs: Libs, dbUrl: string, kube: { url: string; kubeconfig: string }): Promise<void> {
  const ds = libs.db.createDataSource({ url: dbUrl, poolSize: 8 });
  await ds.initialize();
  await libs.db.migrateWithLock(ds);
  const box = new libs.core.SecretBox(DEV_KEY);
  const [cluster] = await ds.query(
    `INSERT INTO clusters (name, connection, server, credentials) VALUES ('sandbox', 'sandbox', $1, $2) RETURNING id`,
    [kube.url, box.seal(kube.kubeconfig)],
  );
  const token = /token: (\S+)/.exec(kube.kubeconfig)?.[1];
  const rollouts = new libs.core.RolloutsService(ds, box, new libs.core.NoopRolloutEventPublisher(), {
    tenantLimit: PER_TENANT,
  });
  const post = (path: string, body: unknown) =>
    fetch(`${kube.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  for (let t = 0; t < TENANTS; t++) {
    const namespace = ns(t * PER_TENANT);
    await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    // Real Services and Ready pods, so the worker's service discovery agrees with the rows below.
    const names = Array.from({ length: Math.min(PER_TENANT, ROLLOUTS - t * PER_TENANT) }, (_, k) => svc(k));
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
    for (let i = t * PER_TENANT; i < Math.min(ROLLOUTS, (t + 1) * PER_TENANT); i++) {
      const [service] = await ds.query(
        `INSERT INTO services (tenant_id, cluster_id, namespace, name, ports, selector)
         VALUES ($1, $2, $3, $4, '[{"name":"http","port":9080}]', $5) RETURNING id`,
        [tenant.id, cluster.id, namespace, svc(i), JSON.stringify({ app: svc(i) })],
      );
      for (const version of ['v1', 'v2'])
        await ds.query(
          `INSERT INTO service_versions (service_id, tenant_id, name, labels, pods) VALUES ($1, $2, $3, $4, 1)`,
          [service.id, tenant.id, version, JSON.stringify({ app: svc(i), version })],
        );
      await rollouts.create(ctx, rolloutBody(namespace, svc(i)));
    }
  }
  await ds.destroy();
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

/** Raw BullMQ: no-op delayed jobs on one worker with the engine's concurrency. */
async function rawBullmq(): Promise<number> {
  const connection = {
    host: new URL(REDIS).hostname,
    port: Number(new URL(REDIS).port || 6379),
    maxRetriesPerRequest: null,
  };
  const prefix = `hmbench-raw-${Date.now()}`;
  const queue = new Queue('raw', { connection, prefix });
  let done = 0;
  let first = 0;
  let last = 0;
  const finished = new Promise<void>((resolve) => {
    const worker = new Worker(
      'raw',
      async () => {
        const now = performance.now();
        if (!first) first = now;
        last = now;
        if (++done === RAW_JOBS) void worker.close().then(() => resolve());
      },
      { connection, prefix, concurrency: CONCURRENCY },
    );
  });
  await queue.addBulk(
    Array.from({ length: RAW_JOBS }, (_, i) => ({
      name: 'tick',
      data: { rolloutId: `r${i}`, tick: 1 },
      opts: { jobId: `raw-${i}-tick-1`, delay: 500, removeOnComplete: { count: 1_000 } },
    })),
  );
  await finished;
  await queue.obliterate({ force: true });
  await queue.close();
  return (RAW_JOBS - 1) / ((last - first) / 1000);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function procStats(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: ticks / 100, peakRssMb: Number(hwm?.[1] ?? 0) / 1024 };
}

function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [join(root, 'apps/rollout-worker/dist/main.js')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

interface TickRow {
  at: number;
  lag: number;
  tick: number;
}

async function ticks(dbUrl: string): Promise<TickRow[]> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const { rows } = await c.query<{ at: Date; lag: string; tick: number }>(
    `SELECT occurred_at AS at, data->>'lagMs' AS lag, tick FROM rollout_events WHERE data ? 'lagMs' ORDER BY occurred_at`,
  );
  await c.end();
  return rows.map((r) => ({ at: r.at.getTime(), lag: Number(r.lag), tick: r.tick }));
}

async function main(): Promise<void> {
  build();
  const libs: Libs = { db: await load('libs/db/dist/index.js'), core: await load('libs/core/dist/index.js') };
  console.log(
    `worker NODE_OPTIONS: ${process.env['BENCH_WORKER_NODE_OPTIONS'] || '(none)'}; rollouts bench: ${ROLLOUTS} rollouts (${TENANTS} tenants x ${PER_TENANT}), ${SECONDS} s, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const rawPerSecond = await rawBullmq();
  const kube = await startKubeSim();
  const source = await startMetricSource();
  const db = await createDatabase();
  const seedStart = performance.now();
  await seed(libs, db.url, kube);
  console.log(
    `seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; metric source: ${source.series} series`,
  );
  const workerPort = await freePort();
  const worker = startWorker({
    DATABASE_URL: db.url,
    REDIS_URL: REDIS,
    QUEUE_PREFIX: `hmbench-${Date.now()}`,
    LOG_LEVEL: 'warn',
    WORKER_PORT: String(workerPort),
    METRICS_PROVIDER: 'scrape',
    SCRAPE_TARGETS: source.url,
    SCRAPE_INTERVAL_MS: '5000',
    DISCOVERY_INTERVAL_MS: '3600000',
    // BENCH_WORKER_NODE_OPTIONS, e.g. --max-old-space-size=320, plays a container memory limit.
    NODE_OPTIONS: process.env['BENCH_WORKER_NODE_OPTIONS'] ?? '',
  });
  const startedAt = Date.now();
  const cpu0 = procStats(worker.pid!);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu1 = procStats(worker.pid!);
  const elapsed = (Date.now() - startedAt) / 1000;
  const jobs = await jobTimes(workerPort);
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  report(await ticks(db.url), {
    rawPerSecond,
    cores: (cpu1.cpuSeconds - cpu0.cpuSeconds) / elapsed,
    peakRssMb: cpu1.peakRssMb,
    jobs,
  });
  source.server.close();
  await kube.stop();
  if (process.env['BENCH_KEEP_DB']) console.log(`kept ${db.url}`);
  else await db.drop();
}

/** Mean processing time per job and queue, from the worker's own /metrics. */
async function jobTimes(port: number): Promise<Record<string, { count: number; meanMs: number }>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string, queue: string) =>
    Number(new RegExp(`^${name}\\{[^}]*queue="${queue}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const out: Record<string, { count: number; meanMs: number }> = {};
  for (const queue of ['rollout', 'reconcile']) {
    const count = value('heliomesh_job_duration_seconds_count', queue);
    out[queue] = { count, meanMs: (value('heliomesh_job_duration_seconds_sum', queue) / count) * 1000 };
  }
  for (const stage of ['read', 'decide', 'commit']) {
    const stat = (name: string) =>
      Number(new RegExp(`^${name}\\{[^}]*stage="${stage}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    const count = stat('heliomesh_rollout_tick_stage_seconds_count');
    out[`tick ${stage}`] = {
      count,
      meanMs: (stat('heliomesh_rollout_tick_stage_seconds_sum') / count) * 1000,
    };
  }
  for (const gauge of [
    'nodejs_eventloop_lag_mean_seconds',
    'nodejs_eventloop_lag_p99_seconds',
    'nodejs_eventloop_lag_max_seconds',
  ]) {
    const v = Number(new RegExp(`^${gauge}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    out[gauge] = { count: 1, meanMs: v * 1000 };
  }
  return out;
}

function report(
  rows: TickRow[],
  m: {
    rawPerSecond: number;
    cores: number;
    peakRssMb: number;
    jobs: Record<string, { count: number; meanMs: number }>;
  },
): void {
  // The start-up burst: every rollout's first tick is due when the worker starts (a backlog).
  const burst = rows.filter((r) => r.tick === 1);
  const burstSeconds = (burst.at(-1)!.at - burst[0]!.at) / 1000;
  const enginePerSecond = (burst.length - 1) / burstSeconds;
  const steadyFrom = burst.at(-1)!.at + 20_000;
  const steady = rows.filter((r) => r.at >= steadyFrom);
  const steadySeconds = (rows.at(-1)!.at - steadyFrom) / 1000;
  const lags = steady.map((r) => r.lag);
  console.log(
    formatTable([
      { measure: 'ticks committed', value: rows.length },
      { measure: 'start-up burst: ticks', value: burst.length },
      { measure: 'start-up burst: drained in (s)', value: burstSeconds },
      { measure: 'engine ticks/s draining the burst', value: enginePerSecond },
      { measure: 'raw BullMQ no-op delayed jobs/s', value: m.rawPerSecond },
      { measure: 'ratio engine / raw BullMQ', value: enginePerSecond / m.rawPerSecond },
      { measure: 'steady state: ticks/s', value: steady.length / steadySeconds },
      { measure: 'steady state: tick lag p50 (ms)', value: percentile(lags, 50) },
      { measure: 'steady state: tick lag p99 (ms)', value: percentile(lags, 99) },
      { measure: 'steady state: tick lag max (ms)', value: Math.max(...lags) },
      { measure: 'worker CPU, whole run (cores)', value: m.cores },
      { measure: 'worker peak RSS (MiB)', value: m.peakRssMb },
      { measure: 'rollout jobs: count', value: m.jobs['rollout']!.count },
      { measure: 'rollout jobs: mean processing (ms)', value: m.jobs['rollout']!.meanMs },
      { measure: 'reconcile jobs: count', value: m.jobs['reconcile']!.count },
      { measure: 'reconcile jobs: mean processing (ms)', value: m.jobs['reconcile']!.meanMs },
      {
        measure: 'worker event loop delay mean (ms)',
        value: m.jobs['nodejs_eventloop_lag_mean_seconds']!.meanMs,
      },
      {
        measure: 'worker event loop delay p99 (ms)',
        value: m.jobs['nodejs_eventloop_lag_p99_seconds']!.meanMs,
      },
      {
        measure: 'worker event loop delay max (ms)',
        value: m.jobs['nodejs_eventloop_lag_max_seconds']!.meanMs,
      },
      ...['read', 'decide', 'commit'].map((stage) => ({
        measure: `tick stage ${stage}: mean (ms)`,
        value: m.jobs[`tick ${stage}`]!.meanMs,
      })),
    ]),
  );
  console.log(
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
