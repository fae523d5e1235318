import type { EntityManager } from 'typeorm';
import type { CompileSnapshot, ForeignObject, MeshService, RolloutRoute } from '@heliomesh/istio';
import type { StoredPolicy } from '@heliomesh/policy';
import { PolicyEntity, ServiceEntity, ServiceVersionEntity, TenantEntity } from '@heliomesh/db';
import { IsNull } from 'typeorm';

export interface DesiredState {
  snapshot: CompileSnapshot;
  /** Service rows by `namespace/name`, for ids and status updates. */
  services: Map<string, ServiceEntity>;
  policies: PolicyEntity[];
}

export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function toStoredPolicy(p: PolicyEntity): StoredPolicy {
  return {
    id: p.id,
    revision: p.revision,
    name: p.name,
    kind: p.kind,
    target: p.target,
    spec: p.spec,
  } as unknown as StoredPolicy;
}

/**
 * Reads everything the compiler needs for one tenant in one cluster. The same loader serves
 * write-time validation, dry runs, the generated-config endpoints and the reconcile worker, so
 * they can never disagree about what "desired" means.
 */
export class DesiredStateRepository {
  /** Extra inputs (active rollouts' routes) are supplied by the caller that knows them. */
  async load(
    m: EntityManager,
    tenantId: string,
    cluster: { id: string; name: string },
    extra: { rollouts?: RolloutRoute[]; foreignObjects?: ForeignObject[] } = {},
  ): Promise<DesiredState> {
    const [tenant, services, versions, policies] = await Promise.all([
      m.getRepository(TenantEntity).findOneByOrFail({ id: tenantId }),
      m
        .getRepository(ServiceEntity)
        .find({ where: { tenantId, clusterId: cluster.id, removedAt: IsNull() } }),
      m
        .getRepository(ServiceVersionEntity)
        .createQueryBuilder('v')
        .innerJoin(ServiceEntity, 's', 's.id = v.service_id')
        .where('s.tenant_id = :tenantId AND s.cluster_id = :clusterId AND s.removed_at IS NULL', {
          tenantId,
          clusterId: cluster.id,
        })
        .getMany(),
      m.getRepository(PolicyEntity).find({ where: { tenantId, clusterId: cluster.id } }),
    ]);
    const versionsByService = new Map<string, ServiceVersionEntity[]>();
    for (const v of versions)
      versionsByService.set(v.serviceId, [...(versionsByService.get(v.serviceId) ?? []), v]);
    const meshServices: MeshService[] = services.map((s) => ({
      name: s.name,
      namespace: s.namespace,
      ports: s.ports,
      versions: (versionsByService.get(s.id) ?? []).map((v) => ({
        name: v.name,
        labels: v.labels,
        pods: v.pods,
      })),
      ...(s.selector ? { selector: s.selector } : {}),
    }));
    return {
      snapshot: {
        tenant: { id: tenant.id, name: tenant.name },
        cluster: cluster.name,
        services: meshServices,
        policies: policies.map(toStoredPolicy),
        rollouts: extra.rollouts ?? [],
        foreignObjects: extra.foreignObjects ?? [],
      },
      services: new Map(services.map((s) => [serviceKey(s.namespace, s.name), s])),
      policies,
    };
  }
}
