/**
 * `graphql` benchmark (issue 8): the GraphQL gateway under autocannon load.
 *
 * - bare: a plain Fastify route in the gateway's own process answering the same JSON `me`
 *   answers (the in-run baseline);
 * - simple: `{ me { ... } }` (authenticated, no SQL: the token is cached);
 * - heavy: 100 services with their versions, policies and per-version metrics (two SQL
 *   transactions and one collector call per request, whatever the page size).
 *
 * The gateway runs in this process on a fresh database with 100 services, 2 versions and a policy
 * each; the metrics collector runs as a child process scraping a synthetic Istio exposition of those
 * services; autocannon runs as another child process, so the load generator never shares the
 * server's event loop. The gateway runs with NODE_ENV=production, as the Docker image sets it.
 * Bare and simple run alternately, three pairs, and the ratio is the median pair's: the speed of a
 * shared machine drifts within minutes, and a pair measured back to back shares the drift.
 * Usage: npm run bench -- graphql [seconds] [connections] [heavy-connections, e.g. 1,4]
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { formatTable } from '../bench.util.js';
import { buildProjects } from '../build.util.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const SECONDS = Number(process.argv[2] ?? 10);
/** Alternating bare/simple pairs the ratio is the median of. */
const ROUNDS = 3;
const CONNECTIONS = Number(process.argv[3] ?? 10);
/** The heavy query runs once per concurrency level given (comma-separated). */
const HEAVY_CONNECTIONS = (process.argv[4] ?? '1,4').split(',').map(Number);
const SERVICES = 100;
const NAMESPACE = 'bench';

/** The parts of the built projects this benchmark drives (loaded from their dist, see `build`). */
interface Loaded {
  startGateway(config: unknown, opts?: object): Promise<RunningService>;
  gatewayEnv: unknown;
  loadConfig(schema: unknown, env: Record<string, string>): Record<string, unknown>;
  createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
  freePort(): Promise<number>;
  uniqueQueuePrefix(label: string): string;
  generateToken(): { secret: string };
  TokenService: abstract new (...args: never[]) => { ensureBootstrapAdmin(secret: string): Promise<unknown> };
  DatabaseConnector: abstract new (...args: never[]) => { ready(): Promise<void> };
  DataSource: abstract new (...args: never[]) => {
    query(sql: string, params?: unknown[]): Promise<Array<Record<string, string>>>;
  };
}

interface RunningService {
  url: string;
  app: { get<T>(cls: abstract new (...args: never[]) => T): T };
  close(): Promise<void>;
}

/** Builds the gateway, the collector and the test helpers, then loads them from their builds. */
async function build(): Promise<Loaded> {
  buildProjects('@heliomesh/gateway', '@heliomesh/metrics-collector', '@heliomesh/testing');
  const load = (path: string) => import(pathToFileURL(`${root}${path}`).href);
  const [bootstrap, config, configLib, testing, auth, db, typeorm] = await Promise.all([
    load('apps/gateway/dist/gateway.bootstrap.js'),
    load('apps/gateway/dist/config.js'),
    load('libs/config/dist/index.js'),
    load('libs/testing/dist/index.js'),
    load('libs/auth/dist/index.js'),
    load('libs/db/dist/index.js'),
    import('typeorm'),
  ]);
  return {
    startGateway: bootstrap.startGateway,
    gatewayEnv: config.gatewayEnv,
    loadConfig: configLib.loadConfig,
    createTestDatabase: testing.createTestDatabase,
    freePort: testing.freePort,
    uniqueQueuePrefix: testing.uniqueQueuePrefix,
    generateToken: auth.generateToken,
    TokenService: auth.TokenService,
    DatabaseConnector: db.DatabaseConnector,
    DataSource: typeorm.DataSource,
  };
}

const BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

/**
 * Istio's destination-side series for every service version, counters growing with wall time
 * (about 20 req/s per version, 1 % 503s), so every scrape shows traffic.
 */
function exposition(startedAt: number): string {
  const t = (Date.now() - startedAt) / 1000 + 60;
  const lines: string[] = [
    '# TYPE istio_requests_total counter',
    '# TYPE istio_request_duration_milliseconds histogram',
  ];
  for (let s = 0; s < SERVICES; s++)
    for (const version of ['v1', 'v2']) {
      const l = `reporter="destination",destination_service_namespace="${NAMESPACE}",destination_service_name="svc-${s}",destination_version="${version}",response_flags="-",connection_security_policy="mutual_tls"`;
      const total = Math.floor(20 * t);
      lines.push(`istio_requests_total{${l},response_code="200"} ${total - Math.floor(total / 100)}`);
      lines.push(`istio_requests_total{${l},response_code="503"} ${Math.floor(total / 100)}`);
      BUCKETS.forEach((le, i) =>
        lines.push(
          `istio_request_duration_milliseconds_bucket{${l},le="${le}"} ${Math.floor((total * (i + 1)) / BUCKETS.length)}`,
        ),
      );
      lines.push(`istio_request_duration_milliseconds_bucket{${l},le="+Inf"} ${total}`);
      lines.push(`istio_request_duration_milliseconds_count{${l}} ${total}`);
    }
  return `${lines.join('\n')}\n`;
}

async function serveExposition(port: number): Promise<Server> {
  const startedAt = Date.now();
  const server = createServer((_req, res) => res.end(exposition(startedAt)));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** 100 services with two versions and a Timeout policy each, in one namespace of one tenant. */
async function seed(L: Loaded, gateway: RunningService, adminToken: string): Promise<string> {
  const ds = gateway.app.get(L.DataSource);
  const [tenant] = await ds.query(
    `INSERT INTO tenants (name, display_name) VALUES ('bench', 'bench') RETURNING id`,
  );
  const [cluster] = await ds.query(
    `INSERT INTO clusters (name, connection) VALUES ('bench', 'sandbox') RETURNING id`,
  );
  await ds.query(`INSERT INTO namespace_claims (tenant_id, cluster_id, namespace) VALUES ($1, $2, $3)`, [
    tenant.id,
    cluster.id,
    NAMESPACE,
  ]);
  await ds.query(
    `INSERT INTO services (tenant_id, cluster_id, namespace, name, ports)
     SELECT $1, $2, $3, 'svc-' || g, '[{"name":"http","port":8080}]' FROM generate_series(0, ${SERVICES - 1}) g`,
    [tenant.id, cluster.id, NAMESPACE],
  );
  await ds.query(
    `INSERT INTO service_versions (service_id, tenant_id, name, labels, pods)
     SELECT s.id, s.tenant_id, v, jsonb_build_object('version', v), 2 FROM services s, unnest(ARRAY['v1', 'v2']) v`,
  );
  await ds.query(
    `INSERT INTO policies (tenant_id, cluster_id, service_id, namespace, name, kind, target, spec, created_by, updated_by)
     SELECT tenant_id, cluster_id, id, namespace, name || '-timeout', 'Timeout',
            jsonb_build_object('namespace', namespace, 'service', name), '{"timeout": "2s"}', 'bench', 'bench'
     FROM services`,
  );
  const created = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${adminToken}`,
      'x-heliomesh-tenant': 'bench',
    },
    body: JSON.stringify({
      query: 'mutation { createToken(input: { name: "bench", role: OPERATOR }) { secret } }',
    }),
  });
  return ((await created.json()) as { data: { createToken: { secret: string } } }).data.createToken.secret;
}

interface LoadResult {
  rps: number;
  /** Requests answered during the run. */
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** autocannon in its own process, so the load generator never runs on the server's event loop. */
function autocannon(
  url: string,
  body: string,
  token: string,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        `${root}node_modules/autocannon/autocannon.js`,
        '-j',
        '-c',
        String(connections),
        '-d',
        String(seconds),
        '-m',
        'POST',
        '-H',
        'content-type=application/json',
        '-H',
        `authorization=Bearer ${token}`,
        '-b',
        body,
        url,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      try {
        const r = JSON.parse(out) as {
          requests: { average: number; total: number };
          latency: { p50: number; p99: number };
          non2xx: number;
          errors: number;
        };
        resolve({
          rps: r.requests.average,
          total: r.requests.total,
          p50: r.latency.p50,
          p99: r.latency.p99,
          non2xx: r.non2xx,
          errors: r.errors,
        });
      } catch (err) {
        reject(new Error(`autocannon printed no result: ${out.slice(0, 500)} (${String(err)})`));
      }
    });
  });
}

const ME = JSON.stringify({ query: '{ me { tokenName role actor platformToken } }' });
const HEAVY = JSON.stringify({
  query: `{ services(first: ${SERVICES}, filter: { namespace: "${NAMESPACE}" }) { nodes { id name
    versions { name pods } policies { id name kind revision status { phase } }
    metrics(window: 60) { error { code } versions { version requestRate successRate latencyMs { p50 p90 p99 } } } } } }`,
});

/** The same answer `me` gives, from a bare Fastify route in the same process. */
async function bareRoute(answer: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.post('/me', async (_req, reply) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(answer),
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/me`, close: () => app.close() };
}

async function checkAnswer(url: string, body: string, token: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const text = await res.text();
  const parsed = JSON.parse(text) as {
    errors?: unknown;
    data?: { services?: { nodes: Array<{ metrics: { versions: unknown[] } }> } };
  };
  if (parsed.errors) throw new Error(`the benchmark query failed: ${text.slice(0, 500)}`);
  const nodes = parsed.data?.services?.nodes;
  if (nodes && (nodes.length !== SERVICES || nodes.some((n) => n.metrics.versions.length !== 2)))
    throw new Error(
      `the heavy query did not return ${SERVICES} services with metrics: ${text.slice(0, 300)}`,
    );
  return text;
}

interface Measured extends LoadResult {
  /** The server's CPU (all its threads) per answered request, microseconds: user + system, and system. */
  cpuUs: number;
  sysUs: number;
}

async function measure(url: string, body: string, token: string, connections: number): Promise<Measured> {
  const cpu = process.cpuUsage();
  const r = await autocannon(url, body, token, SECONDS, connections);
  const used = process.cpuUsage(cpu);
  const per = (us: number) => (r.total ? Math.round(us / r.total) : 0);
  return { ...r, cpuUs: per(used.user + used.system), sysUs: per(used.system) };
}

function row(scenario: string, connections: number, r: Measured): Record<string, string | number> {
  return {
    scenario,
    connections,
    'req/s': Math.round(r.rps),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'non-2xx': r.non2xx + r.errors,
    // Steadier than req/s on a shared machine, and it shows where a gap comes from.
    'cpu µs/req': r.cpuUs,
    'sys µs/req': r.sysUs,
  };
}

function medianIndex(values: number[]): number {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)]![1];
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

async function main(): Promise<void> {
  // As the Docker image runs it (graphql-js skips its development checks in production).
  process.env['NODE_ENV'] ??= 'production';
  const L = await build();
  const db = await L.createTestDatabase();
  const exporter = await serveExposition(await L.freePort());
  const exporterUrl = `http://127.0.0.1:${(exporter.address() as { port: number }).port}/metrics`;
  const collectorPort = await L.freePort();
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: L.uniqueQueuePrefix('bench-gql'),
  };
  const collector = spawn(process.execPath, [`${root}apps/metrics-collector/dist/main.js`], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      LOG_LEVEL: 'warn',
      COLLECTOR_PORT: String(collectorPort),
      SCRAPE_TARGETS: exporterUrl,
      SCRAPE_INTERVAL_MS: '1000',
    },
    stdio: 'ignore',
  });
  const adminToken = L.generateToken().secret;
  const gateway = await L.startGateway({
    ...L.loadConfig(L.gatewayEnv, { ...env, LOG_LEVEL: 'silent' }),
    GATEWAY_PORT: 0,
    COLLECTOR_URL: `http://127.0.0.1:${collectorPort}`,
  });
  try {
    await gateway.app.get(L.DatabaseConnector).ready();
    await gateway.app.get(L.TokenService).ensureBootstrapAdmin(adminToken);
    const token = await seed(L, gateway, adminToken);
    const graphql = `${gateway.url}/graphql`;
    // Wait until the collector has scraped twice, so the heavy query has every metric.
    for (let i = 0; ; i++) {
      try {
        await checkAnswer(graphql, HEAVY, token);
        break;
      } catch (err) {
        if (i > 60) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const bare = await bareRoute(await checkAnswer(graphql, ME, token));
    const run = (url: string, body: string, connections: number) => measure(url, body, token, connections);
    // The ratio: bare and simple alternate, so a machine whose speed drifts (a shared VM does)
    // slows both sides of each pair alike; its median pair is the figure.
    const pairs: Array<[Measured, Measured]> = [];
    await autocannon(bare.url, ME, token, 2, CONNECTIONS); // warm-up: JIT, pools, caches
    await autocannon(graphql, ME, token, 2, CONNECTIONS);
    for (let i = 0; i < ROUNDS; i++)
      pairs.push([await run(bare.url, ME, CONNECTIONS), await run(graphql, ME, CONNECTIONS)]);
    await bare.close();
    const heavy: Measured[] = [];
    for (const c of HEAVY_CONNECTIONS) {
      await autocannon(graphql, HEAVY, token, 2, c);
      heavy.push(await run(graphql, HEAVY, c));
    }
    const ratios = pairs.map(([b, s]) => s.rps / b.rps);
    const mid = pairs[medianIndex(ratios)]!;
    const rows = [
      row(`bare Fastify route (baseline), median pair`, CONNECTIONS, mid[0]),
      row(`simple: me, median pair`, CONNECTIONS, mid[1]),
      ...heavy.map((h, i) =>
        row(`heavy: ${SERVICES} services + versions, policies, metrics`, HEAVY_CONNECTIONS[i]!, h),
      ),
    ];
    console.log(
      `graphql benchmark: ${SECONDS} s per run (bare and simple alternating, ${ROUNDS} pairs) after a 2 s warm-up, load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    console.log(formatTable(rows));
    console.log(
      `simple query / bare Fastify throughput: ${pct(ratios[medianIndex(ratios)]!)} median of ${ROUNDS} pairs (${ratios.map(pct).join(', ')}; goal: at least 40 %)`,
    );
    heavy.forEach((h, i) =>
      console.log(`heavy query p99 at ${HEAVY_CONNECTIONS[i]} connections: ${h.p99} ms (goal: under 100 ms)`),
    );
  } finally {
    await gateway.close();
    collector.kill('SIGTERM');
    exporter.close();
    await db.drop();
  }
}

await main();
