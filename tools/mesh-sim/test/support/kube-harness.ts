import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeSim } from '@heliomesh/kube-sim';
import { scrape, toKubeObject, type Harness, type HarnessFactory } from './harness.js';
import {
  KubeConfigSource,
  deployTopology,
  loadKubeConfig,
  meshKindOf,
  startMeshSim,
  type KubeObject,
  type MeshSimHandle,
  type ResolvedTopology,
} from './mesh-sim.js';

const MANAGER = 'mesh-sim-e2e';

/**
 * mesh-sim reading kube-sim through its Kubernetes (informer) source. The topology is deployed
 * with `deployTopology`, kube-sim's controllers create the pods, and scenario objects are
 * server-side applied through client-node, exactly as the platform would write them.
 */
export function kubeSimHarness(kube: () => KubeSim): HarnessFactory {
  return async (topology) => {
    const kubeconfig = kube().kubeconfig;
    const client = KubernetesObjectApi.makeApiClient(loadKubeConfig(kubeconfig));
    await deployTopology(kubeconfig, topology);
    const source = new KubeConfigSource(kubeconfig);
    const sim = await startMeshSim({ topology, source, port: 0, speed: 0, seed: 42 });
    await waitForPods(sim, topology);
    const seen = (obj: KubeObject, rv: string | undefined) =>
      sim.source
        .snapshot()
        [meshKindOf(obj)].some(
          (o) =>
            o.metadata?.name === obj.metadata?.name &&
            o.metadata?.namespace === obj.metadata?.namespace &&
            (!rv || o.metadata?.resourceVersion === rv),
        );
    const harness: Harness = {
      namespace: topology.namespace,
      sim,
      apply: async (obj) => {
        const body = toKubeObject(obj);
        const applied = await client.patch(
          body as KubernetesObject,
          undefined,
          undefined,
          MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        );
        await until(
          () => seen(body, applied.metadata?.resourceVersion),
          `${body.kind} ${body.metadata?.name} to reach mesh-sim`,
        );
      },
      remove: async (obj) => {
        const body = toKubeObject(obj);
        await client.delete(body as KubernetesObject);
        await until(() => !seen(body, undefined), `${body.kind} ${body.metadata?.name} to leave mesh-sim`);
      },
      metrics: () => scrape(sim),
      stop: () => sim.stop(),
    };
    return harness;
  };
}

/** Every replica of every version Running with an IP, as mesh-sim's registry sees it. */
async function waitForPods(sim: MeshSimHandle, topology: ResolvedTopology): Promise<void> {
  await sim.waitForConfig(
    (config) =>
      topology.services.every((s) =>
        s.versions.every(
          (v) =>
            config.registry.pods.filter(
              (p) => p.ready && p.namespace === s.namespace && p.app === s.name && p.version === v.name,
            ).length === v.replicas,
        ),
      ),
    20_000,
  );
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
