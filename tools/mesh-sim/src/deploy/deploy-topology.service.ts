import {
  KubernetesObjectApi,
  PatchStrategy,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { HeliomeshError, errorMessage } from '@heliomesh/util';
import { loadKubeConfig } from '../config/kube-config.source.js';
import type { ResolvedTopology } from '../topology/topology.types.js';
import { topologyManifests } from './topology-manifests.util.js';

export const FIELD_MANAGER = 'mesh-sim';

export interface DeployResult {
  applied: Array<{ kind: string; namespace?: string; name: string }>;
}

/**
 * Creates the topology's namespaces, Deployments (pods labelled `app` and `version`) and Services
 * with server-side apply under field manager `mesh-sim`, so running it again changes nothing.
 * On kube-sim the fake controller then creates the pods mesh-sim discovers.
 */
export async function deployTopology(
  kubeconfig: string | KubeConfig | undefined,
  topology: ResolvedTopology,
): Promise<DeployResult> {
  const client = KubernetesObjectApi.makeApiClient(loadKubeConfig(kubeconfig));
  const applied: DeployResult['applied'] = [];
  for (const obj of topologyManifests(topology)) {
    const name = obj.metadata?.name ?? '';
    try {
      await client.patch(
        obj as KubernetesObject,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (cause) {
      throw new HeliomeshError({
        code: 'MESH_SIM_DEPLOY_FAILED',
        status: 502,
        message: `Applying ${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${name} failed: ${errorMessage(cause)}. Check that the cluster in the kubeconfig is reachable and accepts server-side apply.`,
        cause,
      });
    }
    applied.push({ kind: obj.kind ?? '', namespace: obj.metadata?.namespace, name });
  }
  return { applied };
}
