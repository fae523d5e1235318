import { startKubeSim, type KubeSim } from '@heliomesh/kube-sim';

export type { KubeSim };
export {
  DEMO_TOPOLOGY,
  deployTopology,
  loadTopologyFile,
  startMeshSim,
  type MeshSimHandle,
  type MeshSimOptions,
} from '@heliomesh/mesh-sim';

/** The Kubernetes API sandbox, in-process on an ephemeral port, for end-to-end tests. */
export function startSandbox(opts: Parameters<typeof startKubeSim>[0] = {}): Promise<KubeSim> {
  return startKubeSim({ port: 0, ...opts });
}
