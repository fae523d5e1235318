/**
 * The metrics collector as a whole, on 10,000 Istio series: the built service (apps/metrics-collector,
 * run as its own process exactly as `npm start` runs it) scrapes a stand-in mesh every second.
 * Measured: the scrape pass (fetch, parse, window update) from the collector's own histogram and
 * its CPU time per scrape; the compute behind each API answer (per-version stats, edges, Kiali
 * health, topology, one Flagger query) as HTTP round trips, against `/healthz` as the in-run
 * baseline (HTTP and JSON alone); and one minute's rollup written to Postgres.
 * Usage: npm run bench -- collector [runs]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { printPrometheusText, type ExpositionSample } from '@heliomesh/metrics';
import pg from 'pg';
import { formatTable, measure } from '../bench.util.js';
import { buildProjects } from '../build.util.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const runs = Number(process.argv[2] ?? 20);
const POSTGRES = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCRAPE_MS = 1_000;
const WINDOW_S = 10;

const BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];
const CODES = ['200', '404', '429', '503'];
const SERVICES = 147;

/**
 * 294 service versions in 12 namespaces, each with 4 destination and 8 source request counters
 * (2 callers x 4 codes) and a 22-series latency histogram: 34 x 294 = 9,996 series, plus 4 more.
 */
function exposition(k: number): string {
  const requests: ExpositionSample[] = [];
  const latency: ExpositionSample[] = [];
  for (let s = 0; s < SERVICES; s++) {
    for (const version of ['v1', 'v2']) {
      const ns = `ns-${s % 12}`;
      const rate = 1 + ((s * 7) % 13);
      const dst = {
        destination_service_namespace: ns,
        destination_service_name: `svc-${s}`,
        destination_version: version,
        destination_workload: `svc-${s}-${version}`,
        destination_workload_namespace: ns,
        request_protocol: 'http',
        grpc_response_status: '',
      };
      for (const [reporter, caller] of [
        ['destination', 'frontend'],
        ['source', 'frontend'],
        ['source', 'gateway'],
      ] as const) {
        CODES.forEach((code, i) => {
          requests.push({
            name: 'istio_requests_total',
            labels: {
              reporter,
              source_workload: `${caller}-v1`,
              source_workload_namespace: 'edge',
              source_app: caller,
              source_version: 'v1',
              ...dst,
              response_code: code,
              response_flags: code === '503' ? 'UF' : code === '429' ? 'RL' : '-',
              connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
            },
            value: (k * rate * 100) / (i + 1) ** 3,
          });
        });
      }
      const base = { reporter: 'destination', ...dst };
      let cumulative = 0;
      for (const le of [...BUCKETS, Number.POSITIVE_INFINITY]) {
        cumulative += le <= 250 ? k * rate * 10 : k;
        latency.push({
          name: 'istio_request_duration_milliseconds_bucket',
          labels: { ...base, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) },
          value: cumulative,
        });
      }
      latency.push(
        { name: 'istio_request_duration_milliseconds_sum', labels: base, value: k * rate * 900 },
        { name: 'istio_request_duration_milliseconds_count', labels: base, value: cumulative },
      );
    }
  }
  const extra: ExpositionSample[] = ['a', 'b', 'c', 'd'].map((p) => ({
    name: 'up',
    labels: { pod: p },
    value: 1,
  }));
  return printPrometheusText([
    { name: 'istio_requests_total', type: 'counter', samples: requests },
    { name: 'istio_request_duration_milliseconds', type: 'histogram', samples: latency },
    { name: 'up', type: 'gauge', samples: extra },
  ]);
}

/**
 * The stand-in mesh: every scrape sees counters one step further on. Every value is linear in the
 * step, so the body is rendered once and only the numbers change: the stand-in's own cost stays
 * out of the collector's scrape time.
 */
async function startMesh(): Promise<{ server: Server; url: string; series: number }> {
  const lines = exposition(1).split('\n');
  const samples = lines.map((l) => {
    if (l === '' || l.startsWith('#')) return { prefix: l, perStep: undefined };
    const cut = l.lastIndexOf(' ');
    return { prefix: l.slice(0, cut + 1), perStep: Number(l.slice(cut + 1)) };
  });
  let k = 0;
  const server = createServer((_req, res) => {
    k++;
    const body = samples
      .map((x) => (x.perStep === undefined ? x.prefix : x.prefix + String(x.perStep * k)))
      .join('\n');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const series = samples.filter((x) => x.perStep !== undefined).length;
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, series };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const build = () => buildProjects('@heliomesh/metrics-collector');

/** A sample of the collector's /metrics (the first series of `name` when labels are omitted). */
async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Started {
  child: ChildProcess;
  base: string;
  log: () => string;
}

async function startCollector(databaseUrl: string, target: string): Promise<Started> {
  const port = await freePort();
  let log = '';
  const child = spawn(process.execPath, ['apps/metrics-collector/dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      COLLECTOR_PORT: String(port),
      QUEUE_PREFIX: `bench-collector-${randomBytes(3).toString('hex')}`,
      SCRAPE_TARGETS: target,
      SCRAPE_INTERVAL_MS: String(SCRAPE_MS),
      SCRAPE_MAX_SAMPLES_PER_SERIES: '600',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return { child, base: `http://127.0.0.1:${port}`, log: () => log };
}

async function timed(base: string, path: string, init?: RequestInit): Promise<number> {
  const m = await measure(runs, async () => {
    const res = await fetch(base + path, init);
    const body = (await res.json()) as { kind?: string };
    if (!res.ok || (path.startsWith('/v1') && body.kind !== 'value')) {
      throw new Error(`${path} answered ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    }
  });
  return m.median;
}

/** Mean scrape pass and CPU per scrape over ten scrapes, from the collector's own /metrics. */
async function measureScrapes(base: string): Promise<{ scrapeMs: number; cpuPerScrapeMs: number }> {
  const cpu0 = await metric(base, 'process_cpu_seconds_total');
  const count0 = await metric(base, 'heliomesh_collector_scrape_duration_seconds_count');
  const sum0 = await metric(base, 'heliomesh_collector_scrape_duration_seconds_sum');
  await new Promise((r) => setTimeout(r, 10 * SCRAPE_MS + 200));
  const scrapes = (await metric(base, 'heliomesh_collector_scrape_duration_seconds_count')) - count0;
  const sum = await metric(base, 'heliomesh_collector_scrape_duration_seconds_sum');
  // CPU of the scraping collector: scrapes plus everything else it does meanwhile.
  const cpu = await metric(base, 'process_cpu_seconds_total');
  return { scrapeMs: ((sum - sum0) / scrapes) * 1000, cpuPerScrapeMs: ((cpu - cpu0) / scrapes) * 1000 };
}

/** Median round trip of each API answer, and its ratio to /healthz. */
async function measureApi(base: string): Promise<Array<Record<string, string | number>>> {
  const q = `?window=${WINDOW_S}`;
  const query = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      method: 'successRate',
      selector: { kind: 'service', namespace: 'ns-3', service: 'svc-3', version: 'v1' },
      windowSeconds: WINDOW_S,
    }),
  };
  const healthz = await timed(base, '/healthz');
  const rows: Array<Record<string, string | number>> = [];
  const row = (step: string, ms: number) => rows.push({ step, 'median ms': ms, 'x /healthz': ms / healthz });
  row('GET /healthz (baseline: HTTP + JSON)', healthz);
  row('POST /v1/query successRate (one selector)', await timed(base, '/v1/query', query));
  row('GET /v1/services (294 versions)', await timed(base, `/v1/services${q}`));
  row('GET /v1/edges (588 edges)', await timed(base, `/v1/edges${q}`));
  row('GET /v1/health (Kiali tolerances)', await timed(base, `/v1/health${q}`));
  row('GET /v1/topology (graph + health)', await timed(base, `/v1/topology${q}`));
  row('GET /v1/topology?namespace=ns-3', await timed(base, `/v1/topology${q}&namespace=ns-3`));
  return rows;
}

/** The first minute's rollup: the scheduler runs 5 s past each minute. */
async function measureRollup(base: string): Promise<{ rollupMs: number; rollupRows: number }> {
  await waitFor(
    'a rollup minute',
    75_000,
    async () => (await metric(base, 'heliomesh_collector_rollup_duration_seconds_count')) >= 1,
  );
  return {
    rollupMs: (await metric(base, 'heliomesh_collector_rollup_duration_seconds_sum')) * 1000,
    rollupRows: await metric(base, 'heliomesh_collector_rollup_rows_total'),
  };
}

async function stop(collector: Started, dbName: string): Promise<void> {
  const exited = new Promise((r) => collector.child.once('exit', r));
  collector.child.kill('SIGTERM');
  await exited;
  const admin = new pg.Client({ connectionString: POSTGRES });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`);
  await admin.end();
}

async function main(): Promise<void> {
  build();
  const mesh = await startMesh();
  const dbName = `heliomesh_bench_collector_${randomBytes(4).toString('hex')}`;
  const dbUrl = new URL(POSTGRES);
  dbUrl.pathname = `/${dbName}`;
  const collector = await startCollector(dbUrl.toString(), mesh.url);
  const base = collector.base;
  try {
    // Fill the window: the API answers over WINDOW_S seconds.
    await waitFor('the collector to scrape the window full', 90_000, async () => {
      const status = (await (await fetch(`${base}/v1/status`)).json()) as { window?: { samples: number } };
      return (status.window?.samples ?? 0) >= (WINDOW_S + 3) * mesh.series;
    });
    const { scrapeMs, cpuPerScrapeMs } = await measureScrapes(base);
    const api = await measureApi(base);
    const { rollupMs, rollupRows } = await measureRollup(base);
    console.log(
      `collector: ${mesh.series} series per scrape, scraped every ${SCRAPE_MS} ms; API window ${WINDOW_S} s; ${runs} requests per row after one warm-up\n`,
    );
    console.log(
      formatTable([
        { step: 'scrape pass (fetch, parse, window update), mean', ms: scrapeMs },
        { step: 'collector CPU per scrape interval (all work)', ms: cpuPerScrapeMs },
        { step: `rollup of one minute (${rollupRows} rows: compute + upsert)`, ms: rollupMs },
      ]),
    );
    console.log(`\n${formatTable(api)}`);
  } catch (err) {
    console.error(collector.log());
    throw err;
  } finally {
    mesh.server.close();
    await stop(collector, dbName);
  }
}

await main();
