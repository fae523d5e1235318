export { InMemoryConfigSource, meshKindOf } from './config/in-memory-config.source.js';
export {
  KubeConfigSource,
  loadKubeConfig,
  type KubeConfigSourceOptions,
} from './config/kube-config.source.js';
export {
  MESH_KINDS,
  type KubeObject,
  type MeshConfigSource,
  type MeshKind,
  type MeshSnapshot,
} from './config/mesh-config.types.js';
export { deployTopology, FIELD_MANAGER, type DeployResult } from './deploy/deploy-topology.service.js';
export { simulatedCluster, topologyManifests } from './deploy/topology-manifests.util.js';
export { MeshEngine, type EntryClient, type MeshEngineOptions } from './engine/mesh-engine.service.js';
export type { CallOutcome, PodInfo, SimRequest } from './engine/engine.types.js';
export type { CompiledConfig } from './engine/mesh-index.compiler.js';
export type { ConfigProblem } from './engine/registry.compiler.js';
export { formatFlags, parseFlags, Flag, type FlagName } from './engine/response-flags.util.js';
export { DEFAULT_PORT, startMeshSim } from './server/mesh-sim.server.js';
export type { MeshSimHandle, MeshSimOptions, MeshSimStats } from './server/mesh-sim.types.js';
export { Simulation } from './sim/simulation.service.js';
export { ENVOY_BUCKETS, IstioMetrics } from './telemetry/istio-metrics.service.js';
export { parsePromText, sumSamples, type PromSample } from './telemetry/prom-text.parser.js';
export { loadTopologyFile, parseTopology, resolveTopology } from './topology/topology-loader.util.js';
export { topologyJsonSchema, topologySchema, type TopologyInput } from './topology/topology.schema.js';
export type { ResolvedTopology } from './topology/topology.types.js';
export { DEMO_TOPOLOGY, main as runCli } from './cli/mesh-sim.cli.js';
