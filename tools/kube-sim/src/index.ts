export { startKubeSim } from './kube-sim.server.js';
export type { KubeSim, KubeSimOptions } from './kube-sim.types.js';
export {
  parseFaultSpec,
  type FaultConfig,
  type FaultControl,
  type FaultRates,
} from './faults/fault-injector.js';
export type { KubeSimStats, RequestRecord } from './http/request-stats.js';
export { kubeconfigYaml, KUBE_SIM_CONTEXT, KUBE_SIM_TOKEN } from './kubeconfig.util.js';
