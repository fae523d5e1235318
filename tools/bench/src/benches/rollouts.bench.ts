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
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { formatTable, percentile } from '../bench.util.js';
import {
  build,
  createDatabase,
  type Libs,
  load,
  PER_TENANT,
  seed,
  startKubeSim,
  startMetricSource,
} from '../rollouts-setup.util.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const ROLLOUTS = Number(process.argv[2] ?? 1_000);
const SECONDS = Number(process.argv[3] ?? 180);
const TENANTS = Math.ceil(ROLLOUTS / PER_TENANT);
const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const RAW_JOBS = 5_000;
const CONCURRENCY = 16;

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
  const source = await startMetricSource(ROLLOUTS);
  const db = await createDatabase();
  const seedStart = performance.now();
  await seed(libs, db.url, kube, ROLLOUTS);
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
