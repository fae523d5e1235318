import type { EntityManager } from 'typeorm';
import type { CompileSnapshot, ForeignObject, MeshService, RolloutRoute } from '@heliomesh/istio';
import type { StoredPolicy } from '@heliomesh/policy';
import { PolicyEntity, ServiceEntity, TenantEntity } from '@heliomesh/db';
import { RolloutRoutesRepository } from '../rollouts/rollout-routes.repository.js';

export interface DesiredState {
  snapshot: CompileSnapshot;
  /** Service rows by `namespace/name`, for ids and status updates. */
  services: Map<string, ServiceEntity>;
  policies: PolicyEntity[];
}

/** Tenant names never change (there is no rename), so each is read once per process. */
const tenantNames = new Map<string, { id: string; name: string }>();

async function tenantOf(m: EntityManager, tenantId: string): Promise<{ id: string; name: string }> {
  const cached = tenantNames.get(tenantId);
  if (cached) return cached;
  const tenant = await m.getRepository(TenantEntity).findOneByOrFail({ id: tenantId });
  const entry = { id: tenant.id, name: tenant.name };
  tenantNames.set(tenantId, entry);
  return entry;
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
  private readonly rollouts = new RolloutRoutesRepository();

  /**
   * Extra inputs (active rollouts' routes, foreign objects) come from the caller that knows them.
   * With `touching`, only the policies that write configuration on those services are loaded:
   * enough to compile them, and independent of how many policies the tenant has elsewhere.
   */
  async load(
    m: EntityManager,
    tenantId: string,
    cluster: { id: string; name: string },
    extra: {
      rollouts?: RolloutRoute[];
      foreignObjects?: ForeignObject[];
      touching?: Array<{ namespace: string; name: string }>;
    } = {},
  ): Promise<DesiredState> {
    const tenant = await tenantOf(m, tenantId);
    let services: ServiceEntity[];
    let policies: PolicyEntity[];
    if (extra.touching) {
      // The touched services, the policies on them, and every service those policies reach
      // (full-link hops), so the compiler sees each policy whole.
      const touched = await this.servicesByName(m, cluster.id, extra.touching);
      policies = await this.policiesTouching(
        m,
        tenantId,
        cluster.id,
        touched.map((s) => s.id),
      );
      const known = new Set(touched.map((s) => s.id));
      const reached = [...new Set(policies.flatMap((p) => p.touchedServiceIds))].filter(
        (id) => !known.has(id),
      );
      services = [
        ...touched,
        ...(reached.length ? await this.servicesWhere(m, 's.id IN (:...ids)', { ids: reached }) : []),
      ];
    } else {
      services = await this.servicesWhere(m, 's.tenant_id = :tenantId AND s.cluster_id = :clusterId', {
        tenantId,
        clusterId: cluster.id,
      });
      policies = await m.getRepository(PolicyEntity).find({ where: { tenantId, clusterId: cluster.id } });
    }
    const versions = await this.versionsOf(
      m,
      services.map((s) => s.id),
    );
    const meshServices: MeshService[] = services.map((s) => ({
      name: s.name,
      namespace: s.namespace,
      ports: s.ports,
      versions: versions.get(s.id) ?? [],
      ...(s.selector ? { selector: s.selector } : {}),
    }));
    return {
      snapshot: {
        tenant: { id: tenant.id, name: tenant.name },
        cluster: cluster.name,
        services: meshServices,
        policies: policies.map(toStoredPolicy),
        // Running rollouts are part of what is desired: their routes own their services' weights.
        rollouts: extra.rollouts ?? (await this.rollouts.routesFor(m, tenantId, cluster.id)),
        foreignObjects: extra.foreignObjects ?? [],
      },
      services: new Map(services.map((s) => [serviceKey(s.namespace, s.name), s])),
      policies,
    };
  }

  private servicesByName(
    m: EntityManager,
    clusterId: string,
    names: Array<{ namespace: string; name: string }>,
  ): Promise<ServiceEntity[]> {
    if (names.length === 0) return Promise.resolve([]);
    return this.servicesWhere(
      m,
      's.cluster_id = :clusterId AND (s.namespace, s.name) IN (SELECT * FROM unnest(:namespaces::text[], :names::text[]))',
      {
        clusterId,
        namespaces: names.map((n) => n.namespace),
        names: names.map((n) => n.name),
      },
    );
  }

  private servicesWhere(
    m: EntityManager,
    where: string,
    params: Record<string, unknown>,
  ): Promise<ServiceEntity[]> {
    return m
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where(`${where} AND s.removed_at IS NULL`, params)
      .getMany();
  }

  /** Versions by service id, read with one plain query (no entity hydration on the hot path). */
  private async versionsOf(
    m: EntityManager,
    serviceIds: string[],
  ): Promise<Map<string, MeshService['versions']>> {
    const out = new Map<string, MeshService['versions']>();
    if (serviceIds.length === 0) return out;
    const rows: Array<{ service_id: string; name: string; labels: Record<string, string>; pods: number }> =
      await m.query(
        `SELECT service_id, name, labels, pods FROM service_versions WHERE service_id = ANY($1::uuid[]) ORDER BY name`,
        [serviceIds],
      );
    for (const r of rows)
      out.set(r.service_id, [
        ...(out.get(r.service_id) ?? []),
        { name: r.name, labels: r.labels, pods: r.pods },
      ]);
    return out;
  }

  private async policiesTouching(
    m: EntityManager,
    tenantId: string,
    clusterId: string,
    serviceIds: string[],
  ): Promise<PolicyEntity[]> {
    if (serviceIds.length === 0) return [];
    return m
      .getRepository(PolicyEntity)
      .createQueryBuilder('p')
      .where(
        'p.tenant_id = :tenantId AND p.cluster_id = :clusterId AND p.touched_service_ids && :ids::uuid[]',
        { tenantId, clusterId, ids: serviceIds },
      )
      .getMany();
  }
}
