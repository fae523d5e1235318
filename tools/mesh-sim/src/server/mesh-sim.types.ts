import type { KubeConfig } from '@kubernetes/client-node';
import type { MeshConfigSource } from '../config/mesh-config.types.js';
import type { MeshEngine } from '../engine/mesh-engine.service.js';
import type { CompiledConfig } from '../engine/mesh-index.compiler.js';
import type { ConfigProblem } from '../engine/registry.compiler.js';
import type { Simulation } from '../sim/simulation.service.js';
import type { ResolvedTopology } from '../topology/topology.types.js';

export interface MeshSimOptions {
  /** A resolved topology, or the path of a topology YAML file. */
  topology: ResolvedTopology | string;
  /** Where config comes from; defaults to a Kubernetes source built from `kubeconfig`. */
  source?: MeshConfigSource;
  /** kubeconfig YAML text, a file path, or a KubeConfig; default loading rules when omitted. */
  kubeconfig?: string | KubeConfig;
  /** Apply the topology's namespaces, Deployments and Services first (server-side apply). */
  deploy?: boolean;
  /** /metrics port; 15020 by default, 0 for an ephemeral port. */
  port?: number;
  host?: string;
  /** Simulated seconds per wall-clock second; 0 runs only when `advance()` is called. Default 1. */
  speed?: number;
  seed?: number;
  /** Simulated time per bucket (ms). Default 100. */
  bucketMs?: number;
  /** Multiplies every client's requests per second. Default 1. */
  loadScale?: number;
  rootNamespace?: string;
  log?: (message: string) => void;
}

export interface MeshSimStats {
  simTimeMs: number;
  speed: number;
  /** Simulated time skipped because the process could not keep up. */
  droppedMs: number;
  configVersion: number;
  pods: number;
  services: number;
  entry: {
    requests: number;
    byCode: Record<string, number>;
    byFlags: Record<string, number>;
    meanLatencyMs: number;
  };
  mirrored: number;
  unresolved: number;
  refusedConnections: number;
  samples: number;
  series: number;
  problems: ConfigProblem[];
  ejections: Array<{ client: string; cluster: string; ejected: number }>;
  wasmPlugins: Array<{ pod: string; chain: string[] }>;
}

export interface MeshSimHandle {
  url: string;
  port: number;
  engine: MeshEngine;
  simulation: Simulation;
  source: MeshConfigSource;
  /** Runs `ms` of simulated time now, synchronously. */
  advance(ms: number): void;
  setLoadScale(scale: number): void;
  stats(): MeshSimStats;
  metricsText(): string;
  /** Resolves once the compiled config satisfies `predicate` (the source is asynchronous). */
  waitForConfig(predicate: (config: CompiledConfig) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}
