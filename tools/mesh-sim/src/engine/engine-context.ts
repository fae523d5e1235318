import type { IstioMetrics } from '../telemetry/istio-metrics.service.js';
import type { Prng } from '../util/prng.util.js';
import { ClusterRuntime } from './cluster-runtime.js';
import type { CallOutcome, PodInfo, SimRequest } from './engine.types.js';
import type { ClusterInfo, MeshIndex } from './mesh-index.js';
import type { CompiledRateLimit } from './rate-limit.compiler.js';
import { TokenBucket } from './token-bucket.util.js';

/** Counters the engine keeps about itself (the mesh's view is in the Istio metrics). */
export interface EngineCounters {
  entryRequests: number;
  entryByCode: Map<number, number>;
  entryByFlags: Map<number, number>;
  entryLatencyMsSum: number;
  mirrored: number;
  /** Calls to a host no Service answers for: no request leaves the app, like a DNS failure. */
  unresolved: number;
  /** Plaintext clients refused by a STRICT server before any HTTP exchange. */
  refusedConnections: number;
}

export function newCounters(): EngineCounters {
  return {
    entryRequests: 0,
    entryByCode: new Map(),
    entryByFlags: new Map(),
    entryLatencyMsSum: 0,
    mirrored: 0,
    unresolved: 0,
    refusedConnections: 0,
  };
}

/** Mutable per-pod state that survives config changes: circuit breakers, outliers, token buckets. */
class PodRuntime {
  readonly clusters = new Map<string, ClusterRuntime>();
  readonly buckets = new Map<string, TokenBucket>();
}

export class RuntimeState {
  private readonly pods = new Map<string, PodRuntime>();

  private pod(uid: string): PodRuntime {
    let runtime = this.pods.get(uid);
    if (!runtime) {
      runtime = new PodRuntime();
      this.pods.set(uid, runtime);
    }
    return runtime;
  }

  cluster(client: PodInfo, cluster: ClusterInfo): ClusterRuntime {
    const clusters = this.pod(client.uid).clusters;
    let runtime = clusters.get(cluster.name);
    if (!runtime) {
      runtime = new ClusterRuntime();
      clusters.set(cluster.name, runtime);
    }
    runtime.sync(cluster);
    return runtime;
  }

  /** istio-semantics §4.2: one bucket per Envoy process (per pod) and per route config. */
  bucket(server: PodInfo, limit: CompiledRateLimit, now: number): TokenBucket {
    const buckets = this.pod(server.uid).buckets;
    const key = limit.bucketKey;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit.maxTokens, limit.tokensPerFill, limit.fillIntervalMs, now);
      buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Ejected hosts per client pod and cluster, for stats. */
  ejections(): Array<{ client: string; cluster: string; ejected: number }> {
    const out: Array<{ client: string; cluster: string; ejected: number }> = [];
    for (const [client, pod] of this.pods) {
      for (const [cluster, runtime] of pod.clusters) {
        if (runtime.ejected > 0) out.push({ client, cluster, ejected: runtime.ejected });
      }
    }
    return out;
  }
}

/** Everything one request's processing reads and updates. */
export interface EngineContext {
  index: MeshIndex;
  rng: Prng;
  metrics: IstioMetrics;
  runtime: RuntimeState;
  counters: EngineCounters;
  hopLatencyMs: number;
  /** The client sidecar entry point; a field so the app layer can call it without an import cycle. */
  outbound: (client: PodInfo, req: SimRequest, port: number, now: number) => CallOutcome;
}
