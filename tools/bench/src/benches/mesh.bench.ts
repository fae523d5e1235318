/**
 * mesh-sim half of the `mesh` benchmark: simulated requests per second that mesh-sim sustains on
 * one core with the demo topology (tools/mesh-sim/topologies/demo-shop.yaml) and 20 Istio
 * policies applied, against the same topology with no policies as the in-run baseline; plus the
 * cost of rendering /metrics. Throughput is per second of process CPU time (the simulation is
 * single-threaded), which other load on the machine disturbs less than wall time.
 * Usage: npm run bench -- mesh [runs] [load-scale]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable, measure, median } from '../bench.util.js';
import { buildProjects } from '../build.util.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const runs = Number(process.argv[2] ?? 5);
/** Multiplies the demo's 60 req/s entry load. */
const loadScale = Number(process.argv[3] ?? 50);
const SIM_SECONDS = 10;

/** The parts of @heliomesh/mesh-sim this benchmark drives (loaded from its build, see below). */
interface MeshSimModule {
  parseTopology(text: string): unknown;
  simulatedCluster(topology: unknown): object[];
  InMemoryConfigSource: new (objects: object[]) => object;
  MeshEngine: new (options: { source: object; topology: unknown; seed: number }) => {
    counters: { entryRequests: number; entryByCode: Map<number, number> };
    metrics: { samples: number; seriesCount: number; render(): string };
    index: { config: { problems: unknown[] } };
  };
  Simulation: new (engine: object, bucketMs: number, loadScale: number) => { step(ms: number): void };
}

/**
 * mesh-sim is a tool, not a dependency of the bench package, so it is built with Nx and loaded
 * from its dist at run time (the same way `npm run mesh-sim` runs it).
 */
async function loadMeshSim(): Promise<MeshSimModule> {
  buildProjects('@heliomesh/mesh-sim');
  return (await import(pathToFileURL(`${root}tools/mesh-sim/dist/index.js`).href)) as MeshSimModule;
}

const NS = 'shop';
const meta = (kind: string, name: string, apiVersion = 'networking.istio.io/v1') => ({
  apiVersion,
  kind,
  metadata: { name, namespace: NS, creationTimestamp: '2026-01-01T00:00:00Z' },
});
const subsets = (versions: string[]) => versions.map((v) => ({ name: v, labels: { version: v } }));
const dest = (host: string, subset?: string) => ({ destination: { host, ...(subset ? { subset } : {}) } });

/** 20 policies over the demo shop, touching every simulated feature on the hot path. */
function policies(): object[] {
  const security = 'security.istio.io/v1';
  return [
    {
      ...meta('DestinationRule', 'reviews'),
      spec: {
        host: 'reviews',
        subsets: subsets(['v1', 'v2', 'v3']),
        trafficPolicy: {
          outlierDetection: {
            consecutive5xxErrors: 5,
            interval: '10s',
            baseEjectionTime: '30s',
            maxEjectionPercent: 50,
          },
        },
      },
    },
    {
      ...meta('VirtualService', 'reviews'),
      spec: {
        hosts: ['reviews'],
        http: [
          { match: [{ headers: { 'x-user': { exact: 'beta' } } }], route: [dest('reviews', 'v2')] },
          { match: [{ headers: { 'x-gray': { regex: 'canary|preview' } } }], route: [dest('reviews', 'v3')] },
          {
            route: [
              { ...dest('reviews', 'v1'), weight: 80 },
              { ...dest('reviews', 'v2'), weight: 15 },
              { ...dest('reviews', 'v3'), weight: 5 },
            ],
            retries: { attempts: 2, retryOn: 'gateway-error' },
            timeout: '3s',
          },
        ],
      },
    },
    {
      ...meta('DestinationRule', 'ratings'),
      spec: {
        host: 'ratings',
        trafficPolicy: {
          connectionPool: {
            tcp: { maxConnections: 100 },
            http: { http1MaxPendingRequests: 1000, http2MaxRequests: 1000 },
          },
        },
      },
    },
    {
      ...meta('VirtualService', 'ratings'),
      spec: {
        hosts: ['ratings'],
        http: [
          {
            route: [dest('ratings')],
            retries: { attempts: 3, perTryTimeout: '500ms', retryOn: '5xx' },
            timeout: '2s',
          },
        ],
      },
    },
    {
      ...meta('VirtualService', 'product'),
      spec: {
        hosts: ['product'],
        http: [
          {
            match: [{ uri: { prefix: '/products' } }],
            fault: { delay: { fixedDelay: '20ms', percentage: { value: 1 } } },
            route: [dest('product')],
          },
          { route: [dest('product')] },
        ],
      },
    },
    {
      ...meta('DestinationRule', 'product'),
      spec: { host: 'product', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
    },
    { ...meta('DestinationRule', 'cart'), spec: { host: 'cart', subsets: subsets(['v1']) } },
    {
      ...meta('VirtualService', 'cart'),
      spec: {
        hosts: ['cart'],
        http: [
          {
            route: [dest('cart', 'v1')],
            mirror: { host: 'cart', subset: 'v1' },
            mirrorPercentage: { value: 10 },
          },
        ],
      },
    },
    {
      ...meta('AuthorizationPolicy', 'payment-from-checkout', security),
      spec: {
        selector: { matchLabels: { app: 'payment' } },
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { principals: [`cluster.local/ns/${NS}/sa/checkout`] } }],
            to: [{ operation: { methods: ['POST'], paths: ['/charge'] } }],
          },
        ],
      },
    },
    {
      ...meta('AuthorizationPolicy', 'inventory-no-admin', security),
      spec: {
        selector: { matchLabels: { app: 'inventory' } },
        action: 'DENY',
        rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }],
      },
    },
    { ...meta('PeerAuthentication', 'strict', security), spec: { mtls: { mode: 'STRICT' } } },
    {
      ...meta('EnvoyFilter', 'frontend-ratelimit', 'networking.istio.io/v1alpha3'),
      spec: {
        workloadSelector: { labels: { app: 'frontend' } },
        configPatches: [
          {
            applyTo: 'HTTP_FILTER',
            match: { context: 'SIDECAR_INBOUND' },
            patch: {
              operation: 'INSERT_BEFORE',
              value: {
                name: 'envoy.filters.http.local_ratelimit',
                typed_config: {
                  '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
                  type_url:
                    'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                  value: {
                    stat_prefix: 'http_local_rate_limiter',
                    token_bucket: { max_tokens: 100000, tokens_per_fill: 100000, fill_interval: '1s' },
                    filter_enabled: {
                      runtime_key: 'e',
                      default_value: { numerator: 100, denominator: 'HUNDRED' },
                    },
                    filter_enforced: {
                      runtime_key: 'f',
                      default_value: { numerator: 100, denominator: 'HUNDRED' },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    },
    {
      ...meta('VirtualService', 'checkout'),
      spec: {
        hosts: ['checkout'],
        http: [
          {
            route: [dest('checkout')],
            timeout: '5s',
            retries: { attempts: 1, retryOn: 'connect-failure,refused-stream' },
          },
        ],
      },
    },
    {
      ...meta('DestinationRule', 'checkout'),
      spec: {
        host: 'checkout',
        trafficPolicy: { outlierDetection: { consecutiveGatewayErrors: 3, interval: '5s' } },
      },
    },
    {
      ...meta('VirtualService', 'payment'),
      spec: {
        hosts: ['payment'],
        http: [
          { fault: { abort: { httpStatus: 503, percentage: { value: 0.5 } } }, route: [dest('payment')] },
        ],
      },
    },
    {
      ...meta('DestinationRule', 'payment'),
      spec: {
        host: 'payment',
        trafficPolicy: { connectionPool: { http: { http2MaxRequests: 500, maxRetries: 10 } } },
      },
    },
    {
      ...meta('VirtualService', 'inventory'),
      spec: {
        hosts: ['inventory'],
        http: [
          { match: [{ uri: { regex: '/stock/[0-9]+' } }], route: [dest('inventory')] },
          { match: [{ method: { exact: 'POST' } }], route: [dest('inventory')] },
          { route: [dest('inventory')] },
        ],
      },
    },
    {
      ...meta('VirtualService', 'recommendation'),
      spec: {
        hosts: ['recommendation'],
        http: [
          { match: [{ withoutHeaders: { 'x-user': {} } }], route: [dest('recommendation')] },
          { route: [dest('recommendation')], headers: { request: { set: { 'x-personalised': 'true' } } } },
        ],
      },
    },
    {
      ...meta('DestinationRule', 'shipping'),
      spec: {
        host: 'shipping',
        trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } },
      },
    },
    {
      ...meta('WasmPlugin', 'frontend-auth', 'extensions.istio.io/v1alpha1'),
      spec: {
        selector: { matchLabels: { app: 'frontend' } },
        url: 'oci://registry.invalid/auth:1',
        phase: 'AUTHN',
        priority: 10,
      },
    },
  ];
}

interface Result {
  wallMs: number;
  /** Process CPU time (user + system): what the simulation costs one core, less sensitive to other load. */
  cpuMs: number;
  entry: number;
  samples: number;
  problems: number;
}

async function simulate(
  ms: MeshSimModule,
  withPolicies: boolean,
): Promise<{ result: Result; render: () => string; series: () => number }> {
  const topology = ms.parseTopology(readFileSync(`${root}tools/mesh-sim/topologies/demo-shop.yaml`, 'utf8'));
  const source = new ms.InMemoryConfigSource([
    ...ms.simulatedCluster(topology),
    ...(withPolicies ? policies() : []),
  ]);
  const engine = new ms.MeshEngine({ source, topology, seed: 1 });
  const sim = new ms.Simulation(engine, 100, loadScale);
  sim.step(5_000); // warm-up: JIT, views and series
  const walls: number[] = [];
  const cpus: number[] = [];
  const entry0 = engine.counters.entryRequests;
  const samples0 = engine.metrics.samples;
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    sim.step(SIM_SECONDS * 1000);
    walls.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  return {
    result: {
      wallMs: median(walls),
      cpuMs: median(cpus),
      entry: (engine.counters.entryRequests - entry0) / runs,
      samples: (engine.metrics.samples - samples0) / runs,
      problems: engine.index.config.problems.length,
    },
    render: () => engine.metrics.render(),
    series: () => engine.metrics.seriesCount,
  };
}

async function main(): Promise<void> {
  const ms = await loadMeshSim();
  const baseline = await simulate(ms, false);
  const policied = await simulate(ms, true);
  if (policied.result.problems > 0) throw new Error('the benchmark policies have problems; fix them first');
  const row = (name: string, r: Result) => {
    const cpuSeconds = r.cpuMs / 1000;
    const hops = r.samples / 2 / cpuSeconds;
    return {
      scenario: name,
      'sim s / run': SIM_SECONDS,
      'wall ms': r.wallMs,
      'cpu ms': r.cpuMs,
      'entry req/s (cpu)': Math.round(r.entry / cpuSeconds),
      'mesh req/s (hops, cpu)': Math.round(hops),
      'core share @2000 req/s': `${((2000 / hops) * 100).toFixed(1)} %`,
    };
  };
  console.log(
    `mesh-sim throughput per CPU second (medians): demo-shop, entry load ${60 * loadScale} req/s simulated, ${runs} runs of ${SIM_SECONDS} simulated s`,
  );
  console.log(
    formatTable([
      row('demo, no policies (baseline)', baseline.result),
      row('demo + 20 policies', policied.result),
    ]),
  );
  const ratio =
    policied.result.entry / policied.result.cpuMs / (baseline.result.entry / baseline.result.cpuMs);
  console.log(`\nthroughput with 20 policies / baseline: ${ratio.toFixed(2)}x`);
  const render = await measure(runs, () => policied.render());
  const bytes = policied.render().length;
  console.log(
    formatTable([
      {
        '/metrics series': policied.series(),
        'render ms (median)': render.median,
        'body KiB': Math.round(bytes / 1024),
      },
    ]),
  );
}

await main();
