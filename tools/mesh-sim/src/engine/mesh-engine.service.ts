import type { MeshConfigSource } from '../config/mesh-config.types.js';
import { IstioMetrics } from '../telemetry/istio-metrics.service.js';
import type { ResolvedClient, ResolvedTopology } from '../topology/topology.types.js';
import { CLUSTER_DOMAIN } from '../topology/topology-loader.util.js';
import { Prng } from '../util/prng.util.js';
import { newCounters, RuntimeState, type EngineContext } from './engine-context.js';
import type { CallOutcome, PodInfo, SimRequest } from './engine.types.js';
import { compileConfig } from './mesh-index.compiler.js';
import { MeshIndex } from './mesh-index.js';
import { outbound } from './sidecar-outbound.service.js';

export interface MeshEngineOptions {
  source: MeshConfigSource;
  topology: ResolvedTopology;
  seed?: number;
  /** Istio's root namespace (mesh-wide policies). */
  rootNamespace?: string;
}

/** A simulated entry client and its pre-built request templates. */
export interface EntryClient {
  spec: ResolvedClient;
  pod: PodInfo;
  requests: SimRequest[];
  cumulativeWeights: number[];
}

/**
 * The data plane: compiles the cluster's config when it changes (checked before every entry
 * request, so a change takes effect on the next request) and runs requests through the sidecars.
 */
export class MeshEngine {
  readonly metrics = new IstioMetrics();
  readonly runtime = new RuntimeState();
  readonly counters = newCounters();
  readonly rng: Prng;
  readonly clients: EntryClient[];
  private readonly ctx: EngineContext;
  private compiledVersion = -1;

  constructor(private readonly options: MeshEngineOptions) {
    this.rng = new Prng(options.seed ?? 1);
    this.clients = options.topology.clients.map((c, i) => entryClient(c, i));
    this.ctx = {
      index: this.compile(),
      rng: this.rng,
      metrics: this.metrics,
      runtime: this.runtime,
      counters: this.counters,
      hopLatencyMs: options.topology.hopLatencyMs,
      outbound: (client, req, port, now) => outbound(this.ctx, client, req, port, now),
    };
  }

  get index(): MeshIndex {
    this.refresh();
    return this.ctx.index;
  }

  get configVersion(): number {
    return this.compiledVersion;
  }

  /** Recompiles when the source moved; cheap when it did not. */
  refresh(): void {
    if (this.options.source.version !== this.compiledVersion) this.ctx.index = this.compile();
  }

  private compile(): MeshIndex {
    this.compiledVersion = this.options.source.version;
    const config = compileConfig(this.options.source.snapshot(), this.options.topology);
    return new MeshIndex(config, this.options.rootNamespace ?? 'istio-system');
  }

  /** Sends one request from an entry client at simulated time `now` (ms). */
  send(client: EntryClient, req: SimRequest, now: number): CallOutcome {
    this.refresh();
    const outcome = outbound(this.ctx, client.pod, req, client.spec.port, now);
    const c = this.counters;
    c.entryRequests++;
    c.entryByCode.set(outcome.code, (c.entryByCode.get(outcome.code) ?? 0) + 1);
    c.entryByFlags.set(outcome.flags, (c.entryByFlags.get(outcome.flags) ?? 0) + 1);
    c.entryLatencyMsSum += outcome.durationMs;
    return outcome;
  }

  /** A request from any pod, for tests that drive single calls. */
  call(from: PodInfo, req: SimRequest, port: number, now: number): CallOutcome {
    this.refresh();
    return outbound(this.ctx, from, req, port, now);
  }
}

function entryClient(spec: ResolvedClient, i: number): EntryClient {
  const labels = spec.labels;
  const pod: PodInfo = {
    index: -1 - i,
    uid: `client/${spec.namespace}/${spec.name}`,
    name: spec.name,
    namespace: spec.namespace,
    ip: `10.255.${(i >> 8) & 255}.${(i & 255) + 1}`,
    labels,
    workload: spec.name,
    app: labels['app'] ?? spec.name,
    version: labels['version'] ?? 'unknown',
    canonicalService: labels['service.istio.io/canonical-name'] ?? labels['app'] ?? spec.name,
    canonicalRevision: labels['service.istio.io/canonical-revision'] ?? labels['version'] ?? 'latest',
    serviceAccount: spec.serviceAccount,
    principal: `${CLUSTER_DOMAIN}/ns/${spec.namespace}/sa/${spec.serviceAccount}`,
    ready: true,
    sidecar: spec.sidecar,
    behaviour: undefined,
  };
  const requests = spec.requests.map((t): SimRequest => {
    let headerBytes = 0;
    for (const [k, v] of Object.entries(t.headers)) headerBytes += k.length + v.length + 4;
    return {
      method: t.method,
      path: t.path,
      scheme: t.scheme,
      authority: spec.authority,
      headers: Object.freeze({ ...t.headers }),
      bytes: 64 + t.path.length + spec.authority.length + headerBytes + t.bodyBytes,
    };
  });
  let sum = 0;
  const cumulativeWeights = spec.requests.map((t) => (sum += t.weight));
  return { spec, pod, requests, cumulativeWeights };
}
