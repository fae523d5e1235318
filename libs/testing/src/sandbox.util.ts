import { startKubeSim, type KubeSim } from '@heliomesh/kube-sim';

export type { KubeSim };
export {
  DEMO_TOPOLOGY,
  deployTopology,
  loadTopologyFile,
  parsePromText,
  startMeshSim,
  sumSamples,
  type MeshSimHandle,
  type MeshSimOptions,
  type PromSample,
} from '@heliomesh/mesh-sim';

/** The Kubernetes API sandbox, in-process on an ephemeral port, for end-to-end tests. */
export function startSandbox(opts: Parameters<typeof startKubeSim>[0] = {}): Promise<KubeSim> {
  return startKubeSim({ port: 0, ...opts });
}
