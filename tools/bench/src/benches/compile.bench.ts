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
import { formatTable, measure, median } from '../bench.util.js';

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

/**
 * Four policies per service, drawn so that they compose without conflicts: a split, one route
 * policy (header routing, sometimes by regex; a fault on a path; or a mirror), a timeout or a
 * retry, and one DestinationRule or edge policy in rotation.
 */
function policiesFor(svc: MeshService, i: number, random: () => number): StoredPolicy[] {
  const opts = (kind: string) => ({
    id: `p-${i}-${kind}`,
    name: `${svc.name}-${kind}`,
    namespace: svc.namespace,
    service: svc.name,
  });
  const canary = Math.floor(random() * 30);
  const out: StoredPolicy[] = [p.trafficSplit({ v1: 100 - canary - 5, v2: canary, v3: 5 }, opts('split'))];
  switch (i % 3) {
    case 0:
      out.push(
        p.requestRouting(
          {
            rules: [
              {
                match:
                  i % 4 === 0
                    ? { uri: { regex: `^/api/${svc.name}/v[0-9]+/.*$` } }
                    : { headers: { 'x-user': { exact: `tester-${i}` } } },
                version: 'v2',
              },
            ],
          },
          opts('routing'),
        ),
      );
      break;
    case 1:
      out.push(
        p.abort(503, 1 + Math.floor(random() * 10), {
          ...opts('fault'),
          target: { match: { uri: { prefix: '/checkout' } } },
        }),
      );
      break;
    default:
      out.push(p.mirror({ version: 'v3' }, 10, opts('mirror')));
  }
  out.push(
    i % 2
      ? p.timeout(`${1 + (i % 9)}s`, opts('timeout'))
      : p.retry({ attempts: 2, perTryTimeout: '500ms', retryOn: ['5xx', 'reset'] }, opts('retry')),
  );
  switch (i % 6) {
    case 0:
      out.push(
        p.circuitBreaker(
          {
            connectionPool: { tcp: { maxConnections: 100 } },
            outlierDetection: { consecutive5xxErrors: 5, maxEjectionPercent: 100 },
          },
          opts('breaker'),
        ),
      );
      break;
    case 1:
      out.push(p.loadBalancer({ simple: 'LEAST_REQUEST' }, opts('lb')));
      break;
    case 2:
      out.push(p.rateLimit({ requests: 100, unit: 'second', burst: 200 }, opts('ratelimit')));
      break;
    case 3:
      out.push(
        p.accessControl({ action: 'DENY', from: { ipBlocks: [`10.${i % 256}.0.0/16`] } }, opts('acl')),
      );
      break;
    case 4:
      out.push(
        p.plugin(
          { url: `oci://registry.example/filters/${svc.name}:1.0`, sha256: 'e'.repeat(64), phase: 'STATS' },
          opts('plugin'),
        ),
      );
      break;
    default:
      out.push(p.headers({ response: { set: { 'x-served-by': svc.name } } }, opts('headers')));
  }
  return out;
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

async function main(): Promise<void> {
  const snapshot = generate(SERVICES);
  // The first compile in a process is also timed: RE2 has checked no pattern yet (each costs
  // ~0.1-0.3 ms in WASM, then is cached) and the JIT is cold.
  const coldStart = process.hrtime.bigint();
  const probe = compile(snapshot);
  const cold = Number(process.hrtime.bigint() - coldStart) / 1e6;
  const errors = probe.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0)
    throw new Error(`generated mesh does not compile cleanly: ${JSON.stringify(errors.slice(0, 3))}`);
  console.log(
    `mesh: ${snapshot.services.length} services x 3 versions, ${snapshot.policies.length} policies -> ${probe.objects.length} Istio objects, ${probe.findings.length} findings (no errors)`,
  );

  if (ONCE) {
    for (let i = 0; i < 3; i++) compile(snapshot);
    return;
  }
  const full = await measure(RUNS, () => compile(snapshot));
  const noValidation = await measure(RUNS, () => compile(snapshot, { validateSchemas: false }));
  const validationOnly = await measure(RUNS, () => probe.objects.forEach(istioSchemaErrors));
  const baseline = await measure(RUNS, () => JSON.stringify(probe.objects));
  const yaml = await measure(RUNS, () => toYaml(probe.objects));
  const index = await measure(RUNS, () => indexSnapshot(snapshot));

  const built = indexSnapshot(snapshot);
  const refs = Array.from({ length: 1000 }, (_, i) => ({
    namespace: `team-${Math.floor(((i * 7) % SERVICES) / PER_NAMESPACE)}`,
    service: `svc-${(i * 7) % SERVICES}`,
  }));
  const hostTimes: number[] = [];
  for (const ref of refs) compileHost(built, ref);
  for (const ref of refs) {
    const start = process.hrtime.bigint();
    compileHost(built, ref);
    hostTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }

  const heap = peakHeap(() => compile(snapshot));
  const heapBefore = (gc(), process.memoryUsage().heapUsed);

  console.log(
    formatTable([
      {
        measure: 'full compile + Istio schema validation',
        'median ms': full.median,
        runs: full.runs.map((r) => r.toFixed(0)).join(' '),
      },
      {
        measure: 'first full compile in the process (cold RE2 cache and JIT)',
        'median ms': cold,
        runs: '1 run',
      },
      {
        measure: 'full compile, no schema validation',
        'median ms': noValidation.median,
        runs: noValidation.runs.map((r) => r.toFixed(0)).join(' '),
      },
      {
        measure: `Istio schema validation alone (${probe.objects.length} objects)`,
        'median ms': validationOnly.median,
        runs: validationOnly.runs.map((r) => r.toFixed(0)).join(' '),
      },
      {
        measure: 'indexSnapshot (once per snapshot)',
        'median ms': index.median,
        runs: index.runs.map((r) => r.toFixed(0)).join(' '),
      },
      {
        measure: 'compileHost, one service (indexed; median of 1000 hosts)',
        'median ms': median(hostTimes),
        runs: `p99 ${[...hostTimes].sort((a, b) => a - b)[Math.floor(hostTimes.length * 0.99)]!.toFixed(3)}`,
      },
      {
        measure: 'baseline: JSON.stringify(objects)',
        'median ms': baseline.median,
        runs: baseline.runs.map((r) => r.toFixed(0)).join(' '),
      },
      {
        measure: 'toYaml(objects)',
        'median ms': yaml.median,
        runs: yaml.runs.map((r) => r.toFixed(0)).join(' '),
      },
    ]),
  );
  console.log(
    `peak heap during one full compile: ${mb(heap).toFixed(0)} MiB (heap before: ${mb(heapBefore).toFixed(0)} MiB; process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB)`,
  );
  console.log(
    `ratio full compile + validation / JSON.stringify baseline: ${(full.median / baseline.median).toFixed(1)}x`,
  );
  console.log(
    `goals: full compile + validation < 2000 ms: ${full.median < 2000 ? 'met' : 'MISSED'}; one host < 1 ms: ${median(hostTimes) < 1 ? 'met' : 'MISSED'}`,
  );
}

await main();
