import { DEFAULT_RETRY_POLICY, withRetries } from '../client/retry-policy.util.js';
import type { ClusterRef, ClusterRegistry } from '../cluster/cluster-registry.service.js';
import type { KubeCluster } from '../cluster/kube-cluster.model.js';
import type { KindRef, KubeObject } from '../kube.types.js';
import type { DiscoveredService, DiscoveryOptions } from './discovery.types.js';
import { groupServices } from './service-grouping.util.js';

const SERVICE: KindRef = { apiVersion: 'v1', kind: 'Service' };
const POD: KindRef = { apiVersion: 'v1', kind: 'Pod' };
const DEPLOYMENT: KindRef = { apiVersion: 'apps/v1', kind: 'Deployment' };

/**
 * Service import: Services, and the versions behind each (pods grouped by their `version` label,
 * Deployments by their pod template), for the policy API's on-demand and scheduled discovery.
 */
export class ServiceDiscovery {
  constructor(private readonly registry: ClusterRegistry) {}

  async discover(clusterRef: ClusterRef, options: DiscoveryOptions = {}): Promise<DiscoveredService[]> {
    const cluster = this.registry.resolve(clusterRef);
    const namespaces = options.namespaces?.length ? [...new Set(options.namespaces)] : [undefined];
    const out: DiscoveredService[] = [];
    for (const namespace of namespaces) {
      const [services, deployments, pods] = await Promise.all([
        this.list(cluster, SERVICE, namespace),
        this.list(cluster, DEPLOYMENT, namespace),
        this.list(cluster, POD, namespace),
      ]);
      out.push(...groupServices(services, deployments, pods, options.versionLabel));
    }
    return out;
  }

  private async list(
    cluster: KubeCluster,
    kind: KindRef,
    namespace: string | undefined,
  ): Promise<KubeObject[]> {
    const { value } = await withRetries(
      () => cluster.objects.list(kind, namespace ? { namespace } : {}),
      DEFAULT_RETRY_POLICY,
      { what: `list ${kind.kind}s in ${namespace ?? 'all namespaces'}`, clock: cluster.clock },
    );
    return value.items;
  }
}
