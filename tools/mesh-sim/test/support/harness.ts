import {
  InMemoryConfigSource,
  meshKindOf,
  parsePromText,
  simulatedCluster,
  startMeshSim,
  type KubeObject,
  type MeshSimHandle,
  type PromSample,
  type ResolvedTopology,
} from './mesh-sim.js';

/** An Istio object from @kubernetes-models/istio (validated against the CRD schema) or plain JSON. */
export type IstioObject = KubeObject | { toJSON(): unknown; validate?(): void };

/** A running mesh-sim whose cluster config a scenario can change. */
export interface Harness {
  namespace: string;
  sim: MeshSimHandle;
  /** Applies an object and waits until mesh-sim sees it. */
  apply(obj: IstioObject): Promise<void>;
  remove(obj: IstioObject): Promise<void>;
  /** Scrapes /metrics over HTTP and parses it. */
  metrics(): Promise<PromSample[]>;
  stop(): Promise<void>;
}

export type HarnessFactory = (topology: ResolvedTopology) => Promise<Harness>;

export function toKubeObject(obj: IstioObject): KubeObject {
  if ('toJSON' in obj && typeof obj.toJSON === 'function') {
    obj.validate?.();
    return obj.toJSON() as KubeObject;
  }
  return obj as KubeObject;
}

export async function scrape(sim: MeshSimHandle): Promise<PromSample[]> {
  const res = await fetch(`${sim.url}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parsePromText(await res.text());
}

/** mesh-sim on the in-memory source, with the pods a controller would create for the topology. */
export const inMemoryHarness: HarnessFactory = async (topology) => {
  const source = new InMemoryConfigSource(simulatedCluster(topology));
  const sim = await startMeshSim({ topology, source, port: 0, speed: 0, seed: 42 });
  return {
    namespace: topology.namespace,
    sim,
    apply: async (obj) => source.apply(toKubeObject(obj)),
    remove: async (obj) => {
      const o = toKubeObject(obj);
      source.delete(meshKindOf(o), o.metadata!.namespace!, o.metadata!.name!);
    },
    metrics: () => scrape(sim),
    stop: () => sim.stop(),
  };
};
