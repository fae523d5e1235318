import { InMemoryConfigSource } from '../config/in-memory-config.source.js';
import type { KubeObject } from '../config/mesh-config.types.js';
import { simulatedCluster } from '../deploy/topology-manifests.util.js';
import { MeshEngine } from '../engine/mesh-engine.service.js';
import { Simulation } from '../sim/simulation.service.js';
import { parsePromText, sumSamples, type PromSample } from '../telemetry/prom-text.parser.js';
import { resolveTopology } from '../topology/topology-loader.util.js';
import type { TopologyInput } from '../topology/topology.schema.js';

export interface EngineFixture {
  engine: MeshEngine;
  source: InMemoryConfigSource;
  sim: Simulation;
  run(ms: number): void;
  samples(): PromSample[];
  requests(labels: Record<string, string>): number;
  /** Entry outcomes by `code flags`, e.g. `{"503 UO": 12}`. */
  outcomes(): Record<string, number>;
}

/** An engine on the in-memory source with the topology's pods and the given Istio objects. */
export function engineFixture(
  input: Pick<TopologyInput, 'services' | 'clients'> & Partial<TopologyInput>,
  objects: KubeObject[] = [],
  seed = 11,
): EngineFixture {
  const topology = resolveTopology({
    apiVersion: 'mesh-sim.heliomesh.io/v1alpha1',
    kind: 'Topology',
    name: 'fixture',
    namespace: 'shop',
    defaults: { port: 9080, latency: 5 },
    ...input,
  });
  const source = new InMemoryConfigSource([...simulatedCluster(topology), ...objects]);
  const engine = new MeshEngine({ source, topology, seed });
  const sim = new Simulation(engine);
  const samples = (): PromSample[] => parsePromText(engine.metrics.render());
  return {
    engine,
    source,
    sim,
    run: (ms) => sim.step(ms),
    samples,
    requests: (labels) => sumSamples(samples(), 'istio_requests_total', labels),
    outcomes: () => {
      const out: Record<string, number> = {};
      for (const s of samples()) {
        if (s.name !== 'istio_requests_total' || s.labels['reporter'] !== 'source') continue;
        if (!engine.clients.some((cl) => cl.spec.name === s.labels['source_workload'])) continue;
        const key = `${s.labels['response_code']} ${s.labels['response_flags']}`;
        out[key] = (out[key] ?? 0) + s.value;
      }
      return out;
    },
  };
}

let created = 0;
/** A plain Istio object with a creation time that orders objects as they are written. */
export function istio(
  kind: string,
  name: string,
  spec: unknown,
  namespace = 'shop',
  extraMeta: Record<string, unknown> = {},
): KubeObject {
  const group: Record<string, string> = {
    VirtualService: 'networking.istio.io/v1',
    DestinationRule: 'networking.istio.io/v1',
    EnvoyFilter: 'networking.istio.io/v1alpha3',
    AuthorizationPolicy: 'security.istio.io/v1',
    PeerAuthentication: 'security.istio.io/v1',
    WasmPlugin: 'extensions.istio.io/v1alpha1',
  };
  return {
    apiVersion: group[kind],
    kind,
    metadata: {
      name,
      namespace,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, ++created)).toISOString(),
      ...extraMeta,
    },
    spec,
  };
}
