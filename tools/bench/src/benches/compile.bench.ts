/**
 * `npm run bench -- compile [services]`: the Istio compiler on a generated mesh of 10,000 services
 * x 3 versions x 4 policies (40,000 policies). Prints the median of 5 runs for a full compile with
 * Istio schema validation, the same without validation, validation alone, one host with
 * compileHost, peak heap, and the ratio to a baseline measured in the same run: JSON.stringify of
 * the same output objects.
 *
 * `node --cpu-prof tools/bench/dist/benches/compile.bench.js 10000 --once` compiles three times and
 * exits, for profiling the hot path.
 */
import { GCProfiler } from 'node:v8';
import {
  compile,
  compileHost,
  indexSnapshot,
  istioSchemaErrors,
  toYaml,
  type CompileSnapshot,
  type MeshService,
} from '@heliomesh/istio';
import { policyBuilders as p, type StoredPolicy } from '@heliomesh/policy';
import { formatTable, median } from '../bench.util.js';

const SERVICES = Number(process.argv[2] ?? 10_000);
const ONCE = process.argv.includes('--once');
const PER_NAMESPACE = 100;
const RUNS = 5;

/** Deterministic PRNG (mulberry32), so every run compiles the same mesh. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function service(i: number, random: () => number): MeshService {
  const name = `svc-${i}`;
  return {
    name,
    namespace: `team-${Math.floor(i / PER_NAMESPACE)}`,
    ports: [{ name: 'http', port: 8080 }],
    versions: ['v1', 'v2', 'v3'].map((v) => ({
      name: v,
      labels: { app: name, version: v },
      pods: 2 + Math.floor(random() * 10),
    })),
  };
}

type Opts = (kind: string) => { id: string; name: string; namespace: string; service: string };

/** One route policy: header routing (by regex for every fourth), a fault on a path, or a mirror. */
function routePolicy(svc: MeshService, i: number, opts: Opts, random: () => number): StoredPolicy {
  if (i % 3 === 0) {
    const match =
      i % 4 === 0
        ? { uri: { regex: `^/api/${svc.name}/v[0-9]+/.*$` } }
        : { headers: { 'x-user': { exact: `tester-${i}` } } };
    return p.requestRouting({ rules: [{ match, version: 'v2' }] }, opts('routing'));
  }
  if (i % 3 === 1)
    return p.abort(503, 1 + Math.floor(random() * 10), {
      ...opts('fault'),
      target: { match: { uri: { prefix: '/checkout' } } },
    });
  return p.mirror({ version: 'v3' }, 10, opts('mirror'));
}

/** One DestinationRule or edge policy, in rotation. */
function servicePolicy(svc: MeshService, i: number, opts: Opts): StoredPolicy {
  const rotation: Array<() => StoredPolicy> = [
    () =>
      p.circuitBreaker(
        {
          connectionPool: { tcp: { maxConnections: 100 } },
          outlierDetection: { consecutive5xxErrors: 5, maxEjectionPercent: 100 },
        },
        opts('breaker'),
      ),
    () => p.loadBalancer({ simple: 'LEAST_REQUEST' }, opts('lb')),
    () => p.rateLimit({ requests: 100, unit: 'second', burst: 200 }, opts('ratelimit')),
    () => p.accessControl({ action: 'DENY', from: { ipBlocks: [`10.${i % 256}.0.0/16`] } }, opts('acl')),
    () =>
      p.plugin(
        { url: `oci://registry.example/filters/${svc.name}:1.0`, sha256: 'e'.repeat(64), phase: 'STATS' },
        opts('plugin'),
      ),
    () => p.headers({ response: { set: { 'x-served-by': svc.name } } }, opts('headers')),
  ];
  return rotation[i % rotation.length]!();
}

/**
 * Four policies per service, drawn so that they compose without conflicts: a split, one route
 * policy, a timeout or a retry, and one DestinationRule or edge policy.
 */
function policiesFor(svc: MeshService, i: number, random: () => number): StoredPolicy[] {
  const opts: Opts = (kind) => ({
    id: `p-${i}-${kind}`,
    name: `${svc.name}-${kind}`,
    namespace: svc.namespace,
    service: svc.name,
  });
  const canary = Math.floor(random() * 30);
  return [
    p.trafficSplit({ v1: 100 - canary - 5, v2: canary, v3: 5 }, opts('split')),
    routePolicy(svc, i, opts, random),
    i % 2
      ? p.timeout(`${1 + (i % 9)}s`, opts('timeout'))
      : p.retry({ attempts: 2, perTryTimeout: '500ms', retryOn: ['5xx', 'reset'] }, opts('retry')),
    servicePolicy(svc, i, opts),
  ];
}

function generate(count: number): CompileSnapshot {
  const random = rng(42);
  const services = Array.from({ length: count }, (_, i) => service(i, random));
  return {
    tenant: { id: 'bench', name: 'bench' },
    services,
    policies: services.flatMap((svc, i) => policiesFor(svc, i, random)),
    mtls: {},
  };
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

interface Timed {
  runs: number[];
  median: number;
  /** CPU time of the process (all threads) per run: less sensitive to other load on the machine. */
  cpuMedian: number;
}

/** Like bench.util's measure (one warm-up, then `runs` runs), also recording CPU time. */
async function timed(runs: number, fn: () => unknown): Promise<Timed> {
  await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const usage = process.cpuUsage();
    const start = process.hrtime.bigint();
    await fn();
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  return { runs: wall, median: median(wall), cpuMedian: median(cpu) };
}

/** The largest heap seen: before every GC during `fn`, and at its end. */
function peakHeap(fn: () => unknown): number {
  gc();
  const profiler = new GCProfiler();
  profiler.start();
  const keep = fn();
  const end = process.memoryUsage().heapUsed;
  const stats = profiler.stop();
  const beforeGc = (stats?.statistics ?? []).map((s) => s.beforeGC.heapStatistics.usedHeapSize);
  void keep;
  return Math.max(end, ...beforeGc);
}

/** compileHost on 1000 different hosts of a prebuilt index (after one warm-up pass). */
function measureHosts(snapshot: CompileSnapshot): number[] {
  const built = indexSnapshot(snapshot);
  const refs = Array.from({ length: 1000 }, (_, i) => ({
    namespace: `team-${Math.floor(((i * 7) % SERVICES) / PER_NAMESPACE)}`,
    service: `svc-${(i * 7) % SERVICES}`,
  }));
  for (const ref of refs) compileHost(built, ref);
  return refs.map((ref) => {
    const start = process.hrtime.bigint();
    compileHost(built, ref);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
}

const row = (measure: string, m: Timed) => ({
  measure,
  'median ms': m.median,
  'cpu ms': m.cpuMedian,
  runs: m.runs.map((r) => r.toFixed(0)).join(' '),
});

/** Generates the mesh and checks it compiles without errors, timing that first (cold) compile. */
interface Prepared {
  snapshot: CompileSnapshot;
  probe: ReturnType<typeof compile>;
  cold: { wall: number; cpu: number };
}

/** Generates the mesh and checks it compiles without errors, timing that first (cold) compile. */
function prepare(): Prepared {
  const snapshot = generate(SERVICES);
  // The first compile in a process is also timed: RE2 has checked no pattern yet (each costs
  // ~0.1-0.3 ms in WASM, then is cached) and the JIT is cold.
  const usage = process.cpuUsage();
  const start = process.hrtime.bigint();
  const probe = compile(snapshot);
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(usage);
  const errors = probe.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0)
    throw new Error(`generated mesh does not compile cleanly: ${JSON.stringify(errors.slice(0, 3))}`);
  console.log(
    `mesh: ${snapshot.services.length} services x 3 versions, ${snapshot.policies.length} policies -> ${probe.objects.length} Istio objects, ${probe.findings.length} findings (no errors)`,
  );
  return { snapshot, probe, cold: { wall, cpu: (used.user + used.system) / 1000 } };
}

/** A full compile whose every host's explain entries are then read (they are built on demand). */
function compileAndExplainAll(snapshot: CompileSnapshot): number {
  let entries = 0;
  for (const host of compile(snapshot).hosts.values()) entries += host.explain.length;
  return entries;
}

async function main(): Promise<void> {
  const { snapshot, probe, cold } = prepare();
  if (ONCE) {
    for (let i = 0; i < 3; i++) compile(snapshot);
    return;
  }
  const full = await timed(RUNS, () => compile(snapshot));
  const rows: Array<Record<string, string | number>> = [
    row('full compile + Istio schema validation (explain on demand)', full),
    {
      measure: 'first full compile in the process (cold RE2 cache and JIT)',
      'median ms': cold.wall,
      'cpu ms': cold.cpu,
      runs: '1 run',
    },
    row(
      'full compile + validation + explain of every host',
      await timed(RUNS, () => compileAndExplainAll(snapshot)),
    ),
    row(
      'full compile, no schema validation',
      await timed(RUNS, () => compile(snapshot, { validateSchemas: false })),
    ),
    row(
      `Istio schema validation alone (${probe.objects.length} objects)`,
      await timed(RUNS, () => probe.objects.forEach(istioSchemaErrors)),
    ),
    row('indexSnapshot (once per snapshot)', await timed(RUNS, () => indexSnapshot(snapshot))),
  ];
  const hostTimes = measureHosts(snapshot);
  const sorted = [...hostTimes].sort((a, b) => a - b);
  rows.push({
    measure: 'compileHost, one service (indexed; median of 1000 hosts)',
    'median ms': median(hostTimes),
    'cpu ms': '-',
    runs: `p99 ${sorted[Math.floor(sorted.length * 0.99)]!.toFixed(3)}`,
  });
  const baseline = await timed(RUNS, () => JSON.stringify(probe.objects));
  rows.push(row('baseline: JSON.stringify(objects)', baseline));
  rows.push(row('toYaml(objects)', await timed(RUNS, () => toYaml(probe.objects))));
  const heap = peakHeap(() => compile(snapshot));
  const heapBefore = (gc(), process.memoryUsage().heapUsed);
  console.log(formatTable(rows));
  console.log(
    `peak heap during one full compile: ${mb(heap).toFixed(0)} MiB (heap before: ${mb(heapBefore).toFixed(0)} MiB; process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB)`,
  );
  console.log(
    `ratio full compile + validation / JSON.stringify baseline (same run): ${(full.median / baseline.median).toFixed(1)}x wall, ${(full.cpuMedian / baseline.cpuMedian).toFixed(1)}x cpu`,
  );
  console.log(
    `goals: full compile + validation < 2000 ms: ${full.median < 2000 ? 'met' : 'MISSED'} (wall), ${full.cpuMedian < 2000 ? 'met' : 'MISSED'} (cpu); one host < 1 ms: ${median(hostTimes) < 1 ? 'met' : 'MISSED'}`,
  );
}

await main();
