/**
 * `npm run bench -- policy-write [--seconds 60] [--services 500] [--pool-min 16] [--dump FILE]`
 *
 * Latency from a policy write (POST/PUT returning) to the generated VirtualService being visible
 * in the Kubernetes sandbox (a watch), at 20 and at 100 writes/s across 500 services, with the
 * policy API and the rollout worker as real processes; then the throughput of audited writes
 * against plain single-row INSERTs into the same database, measured in the same run. The API and
 * the worker run with DATABASE_POOL_MIN=16, as a deployment expecting this load would (0 shows a
 * pool that grows only under load: the step from 20 to 100 writes/s then opens a burst of
 * connections).
 */
import {
  KubernetesObjectApi,
  KubeConfig,
  PatchStrategy,
  Watch,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { appendFileSync } from 'node:fs';
import pg from 'pg';
import {
  ApiClient,
  createTestDatabase,
  freePort,
  setUpTenant,
  spawnNode,
  startSandbox,
  TEST_REDIS_URL,
  testAdminToken,
  uniqueQueuePrefix,
} from '@heliomesh/testing';
import { formatTable, percentile } from '../bench.util.js';
import { buildProjects } from '../build.util.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 60);
const SERVICES = arg('services', 500);
const POOL_MIN = arg('pool-min', 16);
/** `--dump FILE`: appends each write's rate, send time (epoch ms) and latency, to see when the slow ones happen. */
const DUMP = process.argv.includes('--dump') ? process.argv[process.argv.indexOf('--dump') + 1] : undefined;
const NAMESPACE = 'bench';

async function deployServices(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const api = KubernetesObjectApi.makeApiClient(kc);
  const apply = (o: KubernetesObject) =>
    api.patch(o, undefined, undefined, 'bench', true, PatchStrategy.ServerSideApply);
  await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  for (let i = 0; i < SERVICES; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, SERVICES - i) }, async (_, k) => {
        const name = `svc-${i + k}`;
        const labels = { app: name, version: 'v1' };
        await apply({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: `${name}-v1`, namespace: NAMESPACE },
          spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
          },
        } as KubernetesObject);
        await apply({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: NAMESPACE },
          spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] },
        } as KubernetesObject);
      }),
    );
  }
}

/** Resolves (policy id, revision) -> the time its VirtualService carrying that revision was seen. */
function watchRevisions(kubeconfig: string, seen: Map<string, number>): Promise<() => void> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const watch = new Watch(kc);
  return watch
    .watch(
      `/apis/networking.istio.io/v1/namespaces/${NAMESPACE}/virtualservices`,
      {},
      (_type, obj: { metadata?: { annotations?: Record<string, string> } }) => {
        const raw = obj.metadata?.annotations?.['heliomesh.io/sources'];
        if (!raw) return;
        const now = performance.now();
        for (const s of JSON.parse(raw) as Array<{ id: string; revision: number }>) {
          const key = `${s.id}@${s.revision}`;
          if (!seen.has(key)) seen.set(key, now);
        }
      },
      () => undefined,
    )
    .then((controller) => () => controller.abort());
}

interface Phase {
  rate: number;
  latencies: number[];
  /** How long the API itself took to answer each write. */
  apiLatencies: number[];
  firstErrors: string[];
  errors: number;
  writes: number;
  missing: number;
}

async function runPhase(
  operator: ApiClient,
  rate: number,
  state: Map<number, { id?: string; revision: number }>,
  seen: Map<string, number>,
): Promise<Phase> {
  const pending: Array<{ key: string; sentAt: number }> = [];
  const apiLatencies: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  let writes = 0;
  let counter = 0;
  const interval = 1000 / rate;
  const end = performance.now() + SECONDS * 1000;
  const inflight: Promise<void>[] = [];
  for (let next = performance.now(); next < end; next += interval) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // The next service whose previous write has returned (its If-Match must be current).
    let i = counter++ % SERVICES;
    for (let tries = 0; state.get(i)?.revision === -1 && tries < SERVICES; tries++) i = counter++ % SERVICES;
    const entry = state.get(i) ?? { revision: 0 };
    state.set(i, entry);
    if (entry.revision === -1) {
      errors++;
      continue;
    }
    const body = {
      name: `timeout-${i}`,
      kind: 'Timeout',
      target: { namespace: NAMESPACE, service: `svc-${i}` },
      spec: { timeout: `${1 + (counter % 9)}s` },
    };
    const send = entry.id
      ? operator.put(`/v1/policies/${entry.id}`, body, { 'if-match': String(entry.revision) })
      : operator.post('/v1/policies', body);
    entry.revision = -1;
    const sentAt = performance.now();
    inflight.push(
      send.then((res) => {
        const doneAt = performance.now();
        apiLatencies.push(doneAt - sentAt);
        if (res.status !== 200 && res.status !== 201) {
          errors++;
          if (firstErrors.length < 3) firstErrors.push(`${res.status} ${res.text.slice(0, 200)}`);
          state.delete(i);
          return;
        }
        writes++;
        entry.id = res.body.policy.id;
        entry.revision = res.body.policy.revision;
        pending.push({ key: `${entry.id}@${entry.revision}`, sentAt: doneAt });
      }),
    );
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 30_000;
  while (pending.some((p) => !seen.has(p.key)) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const latencies = pending
    .filter((p) => seen.has(p.key))
    .map((p) => Math.max(0, seen.get(p.key)! - p.sentAt));
  if (DUMP)
    appendFileSync(
      DUMP,
      pending
        .filter((p) => seen.has(p.key))
        .map(
          (p) =>
            `${rate} ${(performance.timeOrigin + p.sentAt).toFixed(1)} ${(seen.get(p.key)! - p.sentAt).toFixed(1)}\n`,
        )
        .join(''),
    );
  return {
    rate,
    latencies,
    apiLatencies,
    firstErrors,
    errors,
    writes,
    missing: pending.length - latencies.length,
  };
}

/** Audited policy writes at full speed (16 in flight) against single-row INSERTs on the same database. */
async function throughput(
  operator: ApiClient,
  dbUrl: string,
  seconds: number,
  state: Map<number, { id?: string; revision: number }>,
): Promise<{ audited: number; inserts: number }> {
  let audited = 0;
  const end = Date.now() + seconds * 1000;
  const ids = [...state.entries()].filter(([, e]) => e.id && e.revision > 0);
  await Promise.all(
    Array.from({ length: 16 }, async (_, worker) => {
      // Each writer owns every 16th policy, so no two writers race one policy's revision.
      const mine = ids.filter((_e, k) => k % 16 === worker);
      for (let k = 0; Date.now() < end && mine.length; k++) {
        const [i, entry] = mine[k % mine.length]!;
        const res = await operator.put(
          `/v1/policies/${entry.id}`,
          {
            name: `timeout-${i}`,
            kind: 'Timeout',
            target: { namespace: NAMESPACE, service: `svc-${i}` },
            spec: { timeout: `${1 + (k % 9)}s` },
          },
          { 'if-match': String(entry.revision) },
        );
        if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${res.text}`);
        entry.revision = res.body.policy.revision;
        audited++;
      }
    }),
  );
  const pool = new pg.Pool({ connectionString: dbUrl, max: 16 });
  await pool.query(
    'CREATE TABLE bench_floor (id bigserial PRIMARY KEY, tenant_id uuid, name text, spec jsonb, created_at timestamptz DEFAULT now())',
  );
  let inserts = 0;
  const end2 = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < end2) {
        await pool.query(
          `INSERT INTO bench_floor (tenant_id, name, spec) VALUES (gen_random_uuid(), $1, '{"timeout":"1s"}')`,
          [`floor-${inserts}`],
        );
        inserts++;
      }
    }),
  );
  await pool.end();
  return { audited: audited / seconds, inserts: inserts / seconds };
}

async function main(): Promise<void> {
  buildProjects('@heliomesh/policy-api', '@heliomesh/rollout-worker');
  const sandbox = await startSandbox();
  const db = await createTestDatabase();
  const adminToken = testAdminToken();
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('bench'),
    LOG_LEVEL: 'warn',
    DATABASE_POOL_MIN: String(POOL_MIN),
  };
  const apiPort = await freePort();
  const api = spawnNode('apps/policy-api/dist/main.js', {
    ...env,
    POLICY_API_PORT: String(apiPort),
    ADMIN_TOKEN: adminToken,
    ...(process.env['BENCH_API_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_API_NODE_OPTIONS'] } : {}),
  });
  const workerPort = await freePort();
  const worker = spawnNode('apps/rollout-worker/dist/main.js', {
    ...env,
    WORKER_PORT: String(workerPort),
    RECONCILE_CONCURRENCY: '8',
    DISCOVERY_INTERVAL_MS: '3600000',
  });
  try {
    console.log(`deploying ${SERVICES} services into the sandbox...`);
    await deployServices(sandbox.kubeconfig);
    const admin = new ApiClient(`http://127.0.0.1:${apiPort}`, adminToken);
    for (
      let i = 0;
      i < 600 && (await admin.get('/v1/tenants').catch(() => ({ status: 0 }))).status !== 200;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    const { operator } = await setUpTenant(admin, {
      tenant: 'bench',
      cluster: 'sandbox',
      kubeconfig: sandbox.kubeconfig,
      namespaces: [NAMESPACE],
    });
    const seen = new Map<string, number>();
    const stop = await watchRevisions(sandbox.kubeconfig, seen);
    const state = new Map<number, { id?: string; revision: number }>();
    const phases: Phase[] = [];
    for (const rate of [20, 100]) {
      console.log(`writing at ${rate}/s for ${SECONDS} s...`);
      phases.push(await runPhase(operator, rate, state, seen));
    }
    stop();
    console.log(
      `\npolicy write -> VirtualService visible in the sandbox (${SERVICES} services, ${SECONDS} s per rate, DATABASE_POOL_MIN=${POOL_MIN})\n` +
        formatTable(
          phases.map((p) => ({
            'writes/s': p.rate,
            writes: p.writes,
            'visible p50 ms': percentile(p.latencies, 50),
            'visible p99 ms': percentile(p.latencies, 99),
            'max ms': percentile(p.latencies, 100),
            'API p50 ms': percentile(p.apiLatencies, 50),
            'API p99 ms': percentile(p.apiLatencies, 99),
            errors: p.errors,
            'never seen': p.missing,
          })),
        ),
    );
    for (const p of phases) for (const e of p.firstErrors) console.log(`  error at ${p.rate}/s: ${e}`);
    if (phases.some((p) => p.errors > 0)) {
      const logged = `${api.output().stdout}\n${api.output().stderr}`
        .split('\n')
        .filter((l) => /"level":"(error|fatal)"/.test(l));
      for (const line of logged.slice(0, 3)) console.log(`  policy-api: ${line.slice(0, 600)}`);
    }
    const floor = await throughput(operator, db.url, 10, state);
    console.log(
      `\naudited writes vs the floor (16 in flight, 10 s each, same database)\n` +
        formatTable([
          {
            'audited policy writes/s': floor.audited,
            'plain INSERTs/s': floor.inserts,
            ratio: floor.audited / floor.inserts,
          },
        ]),
    );
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT action, count(*)::int AS n FROM audit_events GROUP BY action ORDER BY action`,
    );
    await client.end();
    console.log(`\naudit events by action: ${rows.map((r) => `${r.action}=${r.n}`).join(', ')}`);
    const metrics = await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text();
    const sum = Number(
      /heliomesh_job_duration_seconds_sum\{[^}]*queue="reconcile"[^}]*\} (\S+)/.exec(metrics)?.[1],
    );
    const count = Number(
      /heliomesh_job_duration_seconds_count\{[^}]*queue="reconcile"[^}]*\} (\S+)/.exec(metrics)?.[1],
    );
    console.log(`reconcile jobs: ${count}, mean ${((sum / count) * 1000).toFixed(1)} ms each`);
  } finally {
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    await Promise.all([api.exited, worker.exited]);
    await sandbox.stop();
    await db.drop();
  }
}

await main();
