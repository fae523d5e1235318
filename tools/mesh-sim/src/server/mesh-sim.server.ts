import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeliomeshError } from '@heliomesh/util';
import { KubeConfigSource } from '../config/kube-config.source.js';
import type { MeshConfigSource } from '../config/mesh-config.types.js';
import { deployTopology } from '../deploy/deploy-topology.service.js';
import { MeshEngine } from '../engine/mesh-engine.service.js';
import type { CompiledConfig } from '../engine/mesh-index.compiler.js';
import { formatFlags } from '../engine/response-flags.util.js';
import { wasmChainForPod } from '../engine/wasm-plugin.util.js';
import { Simulation } from '../sim/simulation.service.js';
import { loadTopologyFile } from '../topology/topology-loader.util.js';
import type { MeshSimHandle, MeshSimOptions, MeshSimStats } from './mesh-sim.types.js';

export const DEFAULT_PORT = 15020;

/** Starts the simulated data plane and its /metrics endpoint. */
export async function startMeshSim(options: MeshSimOptions): Promise<MeshSimHandle> {
  const topology =
    typeof options.topology === 'string' ? await loadTopologyFile(options.topology) : options.topology;
  const log = options.log ?? (() => undefined);
  if (options.deploy) {
    const result = await deployTopology(options.kubeconfig, topology);
    log(`deployed ${result.applied.length} objects for topology ${topology.name}`);
  }
  const source: MeshConfigSource =
    options.source ??
    new KubeConfigSource(options.kubeconfig, { onError: (kind, message) => log(`${kind}: ${message}`) });
  await source.start();
  const engine = new MeshEngine({
    source,
    topology,
    seed: options.seed ?? 1,
    rootNamespace: options.rootNamespace,
  });
  const simulation = new Simulation(engine, options.bucketMs ?? 100, options.loadScale ?? 1);
  const speed = options.speed ?? 1;
  const clock = new RealTimeDriver(simulation, speed, options.bucketMs ?? 100);
  const stats = (): MeshSimStats => collectStats(engine, simulation, speed, clock.droppedMs);
  const server = createServer((req, res) => handle(req, res, engine, stats));
  const port = await listen(server, options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1');
  clock.start();
  log(`mesh-sim serving /metrics on http://${options.host ?? '127.0.0.1'}:${port} (speed ${speed}x)`);
  return {
    url: `http://${options.host === '0.0.0.0' || !options.host ? '127.0.0.1' : options.host}:${port}`,
    port,
    engine,
    simulation,
    source,
    advance: (ms) => simulation.step(ms),
    setLoadScale: (scale) => simulation.setLoadScale(scale),
    stats,
    metricsText: () => engine.metrics.render(),
    waitForConfig: (predicate, timeoutMs = 10_000) => waitForConfig(engine, predicate, timeoutMs),
    stop: async () => {
      clock.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await source.stop();
    },
  };
}

/** Keeps simulated time at `speed` × wall-clock time. */
class RealTimeDriver {
  private timer: NodeJS.Timeout | undefined;
  private origin = 0;
  private simOrigin = 0;
  droppedMs = 0;

  constructor(
    private readonly simulation: Simulation,
    private readonly speed: number,
    private readonly bucketMs: number,
  ) {}

  start(): void {
    if (this.speed <= 0) return;
    this.origin = performance.now();
    this.simOrigin = this.simulation.now;
    const tickMs = Math.max(20, this.bucketMs / this.speed);
    this.timer = setInterval(() => this.tick(), tickMs);
  }

  private tick(): void {
    const target = this.simOrigin + (performance.now() - this.origin) * this.speed;
    const behind = target - this.simulation.now;
    if (behind <= 0) return;
    // Never work more than ~2 s of wall time per tick; what cannot be simulated in time is skipped.
    const budget = 2000 * Math.max(1, this.speed);
    this.simulation.step(Math.min(behind, budget));
    if (behind > budget) {
      this.droppedMs += behind - budget;
      this.simOrigin -= behind - budget;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HeliomeshError({
          code: 'MESH_SIM_PORT_UNAVAILABLE',
          status: 500,
          message: `Cannot listen on ${host}:${port} (${err.code ?? err.message}): pass another --port, or 0 for any free port.`,
          cause: err,
        }),
      ),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  engine: MeshEngine,
  stats: () => MeshSimStats,
): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'METHOD_NOT_ALLOWED', message: 'mesh-sim only answers GET', path: '$' }));
    return;
  }
  switch (path) {
    case '/metrics':
    case '/stats/prometheus':
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(engine.metrics.render());
      return;
    case '/healthz':
    case '/healthz/ready':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    case '/stats':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats(), null, 2));
      return;
    default:
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 'NOT_FOUND',
          message: 'mesh-sim serves /metrics, /stats and /healthz',
          path: '$',
        }),
      );
  }
}

function collectStats(
  engine: MeshEngine,
  simulation: Simulation,
  speed: number,
  droppedMs: number,
): MeshSimStats {
  const index = engine.index;
  const c = engine.counters;
  const byCode: Record<string, number> = {};
  for (const [code, n] of c.entryByCode) byCode[String(code)] = n;
  const byFlags: Record<string, number> = {};
  for (const [flags, n] of c.entryByFlags)
    byFlags[formatFlags(flags)] = (byFlags[formatFlags(flags)] ?? 0) + n;
  const pods = index.config.registry.pods;
  return {
    simTimeMs: simulation.now,
    speed,
    droppedMs,
    configVersion: engine.configVersion,
    pods: pods.length,
    services: index.config.registry.services.length,
    entry: {
      requests: c.entryRequests,
      byCode,
      byFlags,
      meanLatencyMs: c.entryRequests === 0 ? 0 : c.entryLatencyMsSum / c.entryRequests,
    },
    mirrored: c.mirrored,
    unresolved: c.unresolved,
    refusedConnections: c.refusedConnections,
    samples: engine.metrics.samples,
    series: engine.metrics.seriesCount,
    problems: index.config.problems,
    ejections: engine.runtime.ejections(),
    wasmPlugins: pods
      .map((pod) => ({
        pod: `${pod.namespace}/${pod.name}`,
        chain: wasmChainForPod(index.config.wasmPlugins, pod, index.rootNamespace).map(
          (p) => `${p.namespace}/${p.name} (${p.phase})`,
        ),
      }))
      .filter((p) => p.chain.length > 0),
  };
}

async function waitForConfig(
  engine: MeshEngine,
  predicate: (config: CompiledConfig) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(engine.index.config)) {
    if (Date.now() > deadline) {
      throw new HeliomeshError({
        code: 'MESH_SIM_CONFIG_TIMEOUT',
        status: 504,
        message: `The expected config did not reach mesh-sim within ${timeoutMs} ms; check the objects were applied and their problems in stats().problems.`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
