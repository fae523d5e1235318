/**
 * `apply` benchmark (issue 4): server-side apply of 10,000 objects (5,000 VirtualServices + 5,000
 * DestinationRules) to a fresh kube-sim with libs/kube's Applier, then the same set again
 * unchanged: objects/s of the first apply, and the writes the no-op re-apply sends (must be 0,
 * counted by the server). Where kubectl is on PATH, `kubectl apply --server-side -f DIR` of the
 * same objects to another fresh kube-sim is the in-run baseline. A last section compares the
 * transport: libs/kube's raw apply path against client-node's KubernetesObjectApi.patch.
 *
 * kube-sim runs in a worker thread, so server and client each have a core (kubectl is its own
 * process). libs/kube's first apply runs 3 times on fresh servers and the median is shown, since
 * the reference machine is shared. Usage: npm run bench -- apply [objects] [concurrency]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { stringify } from 'yaml';
import { formatTable } from '../bench.util.js';
import { buildProjects } from '../build.util.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const TOTAL = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const NAMESPACES = 10;
const TRANSPORT_SAMPLE = 2_000;
const RUNS = 3;

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
}

/** The parts of @heliomesh/kube this benchmark drives (loaded from its build, see below). */
interface KubeModule {
  ClusterRegistry: new () => {
    register(
      name: string,
      source: { type: 'sandbox'; url: string },
      options?: { rateLimit?: { qps: number; burst: number } },
    ): {
      api: { send(req: { method: string; path: string; body?: unknown }): Promise<unknown> };
      objects: { apply(obj: KubeObject, call: { fieldManager: string; force: boolean }): Promise<unknown> };
    };
    close(): Promise<void>;
  };
  Applier: new (
    registry: unknown,
    options?: { concurrency?: number },
  ) => {
    applyAll(
      cluster: string,
      objects: KubeObject[],
    ): Promise<{
      created: number;
      configured: number;
      unchanged: number;
      failed: number;
      results: Array<{ reason?: string }>;
    }>;
  };
}

interface ClientNode {
  KubeConfig: new () => { loadFromString(text: string): void };
  KubernetesObjectApi: {
    makeApiClient(kc: unknown): {
      patch(
        spec: KubeObject,
        pretty?: string,
        dryRun?: string,
        fieldManager?: string,
        force?: boolean,
        strategy?: string,
      ): Promise<unknown>;
    };
  };
  PatchStrategy: { ServerSideApply: string };
}

/** libs/kube and kube-sim are not dependencies of the bench package: built with Nx, loaded from dist. */
function build(project: string): string {
  buildProjects(project);
  return project.replace('@heliomesh/', '');
}

interface SimStats {
  requests: number;
  writes: number;
  mutations: number;
  byVerb: Record<string, number>;
}

/** A kube-sim in its own thread, driven by messages. */
class SimThread {
  private constructor(
    private readonly worker: Worker,
    readonly url: string,
    readonly kubeconfig: string,
  ) {}

  static async start(): Promise<SimThread> {
    const entry = pathToFileURL(join(root, 'tools/kube-sim/dist/index.js')).href;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.entry).then(async ({ startKubeSim }) => {
        const sim = await startKubeSim({ controllers: false });
        parentPort.on('message', async (cmd) => {
          if (cmd === 'stats') parentPort.postMessage({ stats: sim.stats() });
          if (cmd === 'reset') { sim.resetStats(); parentPort.postMessage({ reset: true }); }
          if (cmd === 'stop') { await sim.stop(); parentPort.postMessage({ stopped: true }); }
        });
        parentPort.postMessage({ url: sim.url, kubeconfig: sim.kubeconfig });
      });`;
    const worker = new Worker(code, { eval: true, workerData: { entry } });
    const ready = await new Promise<{ url: string; kubeconfig: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return new SimThread(worker, ready.url, ready.kubeconfig);
  }

  private ask<T>(cmd: string): Promise<T> {
    return new Promise((resolve) => {
      this.worker.once('message', resolve);
      this.worker.postMessage(cmd);
    });
  }

  async stats(): Promise<SimStats> {
    return (await this.ask<{ stats: SimStats }>('stats')).stats;
  }

  async reset(): Promise<void> {
    await this.ask('reset');
  }

  async stop(): Promise<void> {
    await this.ask('stop');
    await this.worker.terminate();
  }
}

/** One VirtualService and one DestinationRule per host, labelled as libs/istio labels its output. */
function objects(total: number): { namespaces: string[]; items: KubeObject[] } {
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `bench-${i}`);
  const items: KubeObject[] = [];
  for (let h = 0; h < total / 2; h++) {
    const namespace = namespaces[h % NAMESPACES]!;
    const host = `svc-${h}.${namespace}.svc.cluster.local`;
    const labels = {
      'app.kubernetes.io/managed-by': 'heliomesh',
      'heliomesh.io/tenant': 'bench',
      'heliomesh.io/service': `svc-${h}`,
    };
    const metadata = { name: `heliomesh-svc-${h}`, namespace, labels };
    items.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata,
      spec: {
        hosts: [host],
        http: [
          {
            match: [{ headers: { 'x-canary': { exact: 'true' } } }],
            route: [{ destination: { host, subset: 'v2' } }],
          },
          {
            route: [
              { destination: { host, subset: 'v1' }, weight: 90 },
              { destination: { host, subset: 'v2' }, weight: 10 },
            ],
            retries: { attempts: 3, perTryTimeout: '2s' },
            timeout: '10s',
          },
        ],
      },
    });
    items.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata,
      spec: {
        host,
        trafficPolicy: {
          connectionPool: { tcp: { maxConnections: 100 } },
          outlierDetection: { consecutive5xxErrors: 5 },
        },
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' } },
        ],
      },
    });
  }
  return { namespaces, items };
}

async function createNamespaces(
  api: { send(req: object): Promise<unknown> },
  names: string[],
): Promise<void> {
  for (const name of names)
    await api.send({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name } } });
}

async function mapBounded<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const seconds = (ms: number) => ms / 1000;
const now = () => performance.now();

async function ours(kube: KubeModule, set: KubeObject[], namespaces: string[], concurrency = CONCURRENCY) {
  const sim = await SimThread.start();
  const registry = new kube.ClusterRegistry();
  // Client-side throttling off: the figure is the pipeline's, not the (configurable) rate limit's.
  const cluster = registry.register(
    'bench',
    { type: 'sandbox', url: sim.url },
    { rateLimit: { qps: Infinity, burst: 1 } },
  );
  await createNamespaces(cluster.api, namespaces);
  const applier = new kube.Applier(registry, { concurrency });
  await sim.reset();
  let t = now();
  const first = await applier.applyAll('bench', set);
  const firstMs = now() - t;
  const firstStats = await sim.stats();
  if (first.created !== set.length)
    throw new Error(
      `first apply: ${first.created} created, ${first.failed} failed (${first.results.find((r) => r.reason)?.reason})`,
    );
  await sim.reset();
  t = now();
  const again = await applier.applyAll('bench', set);
  const againMs = now() - t;
  const againStats = await sim.stats();
  if (again.unchanged !== set.length) throw new Error(`re-apply: only ${again.unchanged} unchanged`);
  await registry.close();
  await sim.stop();
  return { firstMs, firstStats, againMs, againStats };
}

function kubectlPresent(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

async function kubectl(kube: KubeModule, set: KubeObject[], namespaces: string[]) {
  const sim = await SimThread.start();
  const registry = new kube.ClusterRegistry();
  const cluster = registry.register('setup', { type: 'sandbox', url: sim.url });
  await createNamespaces(cluster.api, namespaces);
  await registry.close();
  await sim.reset();
  const dir = mkdtempSync(join(tmpdir(), 'apply-bench-'));
  try {
    for (const ns of namespaces)
      writeFileSync(
        join(dir, `${ns}.yaml`),
        set
          .filter((o) => o.metadata.namespace === ns)
          .map((o) => stringify(o))
          .join('---\n'),
      );
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, sim.kubeconfig);
    const t = now();
    const res = spawnSync(
      'kubectl',
      [
        'apply',
        '--server-side',
        '-f',
        join(dir),
        '--kubeconfig',
        kubeconfig,
        '--cache-dir',
        join(dir, 'cache'),
      ],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const ms = now() - t;
    const applied = res.stdout.split('\n').filter((l) => l.includes('serverside-applied')).length;
    if (res.status !== 0 || applied !== set.length)
      throw new Error(`kubectl apply failed (${applied} applied): ${res.stderr.slice(0, 500)}`);
    return { ms, stats: await sim.stats() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
}

/** The same write-only apply through libs/kube's raw path and through client-node's generic API. */
async function transport(kube: KubeModule, set: KubeObject[], namespaces: string[]) {
  const clientNode = (await import('@kubernetes/client-node')) as unknown as ClientNode;
  // The first 500 objects warm up the connection pool and the JIT; the next TRANSPORT_SAMPLE are timed.
  const warmup = set.slice(0, 500);
  const sample = set.slice(500, 500 + TRANSPORT_SAMPLE);
  const out: Array<Record<string, string | number>> = [];
  for (const path of ['libs/kube ObjectClient.apply', 'client-node KubernetesObjectApi.patch']) {
    const sim = await SimThread.start();
    const registry = new kube.ClusterRegistry();
    const cluster = registry.register(
      't',
      { type: 'sandbox', url: sim.url },
      { rateLimit: { qps: Infinity, burst: 1 } },
    );
    await createNamespaces(cluster.api, namespaces);
    const kc = new clientNode.KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    const generic = clientNode.KubernetesObjectApi.makeApiClient(kc);
    const apply = path.startsWith('libs')
      ? (o: KubeObject) => cluster.objects.apply(o, { fieldManager: 'heliomesh', force: true })
      : (o: KubeObject) =>
          generic.patch(o, undefined, undefined, 'heliomesh', true, clientNode.PatchStrategy.ServerSideApply);
    await mapBounded(warmup, CONCURRENCY, apply);
    const t = now();
    await mapBounded(sample, CONCURRENCY, apply);
    const ms = now() - t;
    out.push({
      path,
      objects: sample.length,
      seconds: seconds(ms),
      'objects/s': Math.round(sample.length / seconds(ms)),
    });
    await registry.close();
    await sim.stop();
  }
  return out;
}

type Run = Awaited<ReturnType<typeof ours>>;

function row(label: string, ms: number, stats: SimStats, count: number): Record<string, string | number> {
  return {
    run: label,
    seconds: seconds(ms),
    'objects/s': Math.round(count / seconds(ms)),
    requests: stats.requests,
    writes: stats.writes,
  };
}

/** The run with the median first-apply time (this machine is shared: one run can land on a busy moment). */
function medianRun(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.firstMs - b.firstMs)[Math.floor(runs.length / 2)]!;
}

async function main(): Promise<void> {
  build('@heliomesh/kube-sim');
  build('@heliomesh/kube');
  const kube = (await import(pathToFileURL(join(root, 'libs/kube/dist/index.js')).href)) as KubeModule;
  const { namespaces, items } = objects(TOTAL);
  console.log(
    `apply: ${items.length} objects (${items.length / 2} VirtualServices + ${items.length / 2} DestinationRules) in ${NAMESPACES} namespaces, concurrency ${CONCURRENCY}, kube-sim in a worker thread, ${RUNS} runs of libs/kube (median shown)\n`,
  );

  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await ours(kube, items, namespaces));
  const r = medianRun(runs);
  const firstRates = runs.map((x) => Math.round(items.length / seconds(x.firstMs))).sort((a, b) => a - b);
  const rows = [
    row('libs/kube first apply', r.firstMs, r.firstStats, items.length),
    row('libs/kube no-op re-apply', r.againMs, r.againStats, items.length),
  ];
  // kubectl applies one object at a time: the same run at concurrency 1 separates the two effects.
  const serial = await ours(kube, items, namespaces, 1);
  rows.push(row('libs/kube first apply, concurrency 1', serial.firstMs, serial.firstStats, items.length));
  let ratio: string | undefined;
  let serialRatio: string | undefined;
  if (kubectlPresent()) {
    const k = await kubectl(kube, items, namespaces);
    rows.push(row('kubectl apply --server-side -f DIR', k.ms, k.stats, items.length));
    ratio = (k.ms / r.firstMs).toFixed(2);
    serialRatio = (k.ms / serial.firstMs).toFixed(2);
  }
  console.log(formatTable(rows));
  const noopWrites = Math.max(...runs.map((x) => x.againStats.writes), serial.againStats.writes);
  console.log(`\nfirst apply objects/s over the ${RUNS} runs: ${firstRates.join(', ')}`);
  console.log(`no-op re-apply writes (every run): ${noopWrites} (must be 0)`);
  console.log(
    ratio
      ? `first apply vs kubectl: ${ratio}x kubectl's objects/s (${serialRatio}x at concurrency 1)`
      : 'kubectl not on PATH: no baseline this run',
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  console.log(
    `\ntransport, write-only server-side apply of ${TRANSPORT_SAMPLE} objects, concurrency ${CONCURRENCY}:`,
  );
  console.log(formatTable(await transport(kube, items, namespaces)));
  if (noopWrites !== 0) process.exitCode = 1;
}

await main();
