import type { DataSource, EntityManager } from 'typeorm';
import { PolicyEntity, ServiceEntity, ServiceVersionEntity } from '@heliomesh/db';
import type { RequestContext } from '../common/request-context.types.js';
import { type PolicyView, toPolicyView } from '../policies/policy.dto.js';
import type { ServiceView } from '../services/services.service.js';
import { groupBy, readBatch } from './loader-scope.util.js';

/**
 * Batch reads behind the GraphQL gateway's DataLoaders: each answers for any number of ids with
 * a fixed number of SQL statements in one tenant transaction, and returns the same views as the
 * use cases (ServicesService.get, PoliciesService.list), so the two front doors cannot disagree.
 */

type VersionView = ServiceView['versions'][number];

/** Services by id (with their versions); ids of other tenants or of nothing are simply absent. */
export function loadServicesByIds(
  db: DataSource,
  ctx: RequestContext,
  ids: readonly string[],
): Promise<Map<string, ServiceView>> {
  return readBatch(db, ctx, ids, async (m, valid) => {
    const { entities, raw } = await m
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .innerJoin('clusters', 'c', 'c.id = s.cluster_id')
      .addSelect('c.name', 'cluster_name')
      .where('s.id IN (:...ids)', { ids: valid })
      .getRawAndEntities();
    const versions = await versionsOf(m, valid);
    return new Map(
      entities.map((s, i) => [
        s.id,
        serviceView(s, (raw[i] as { cluster_name: string }).cluster_name, versions.get(s.id) ?? []),
      ]),
    );
  });
}

/** The versions of each service, by name; one statement for any number of services. */
export function loadVersionsByServiceIds(
  db: DataSource,
  ctx: RequestContext,
  serviceIds: readonly string[],
): Promise<Map<string, VersionView[]>> {
  return readBatch(db, ctx, serviceIds, (m, valid) => versionsOf(m, valid));
}

/** The policies targeting each service, oldest first (the order PoliciesService.list uses). */
export function loadPoliciesByServiceIds(
  db: DataSource,
  ctx: RequestContext,
  serviceIds: readonly string[],
): Promise<Map<string, PolicyView[]>> {
  return readBatch(db, ctx, serviceIds, async (m, valid) => {
    const { entities, raw } = await m
      .getRepository(PolicyEntity)
      .createQueryBuilder('p')
      .innerJoin('clusters', 'c', 'c.id = p.cluster_id')
      .addSelect('c.name', 'cluster_name')
      .where('p.service_id IN (:...ids)', { ids: valid })
      .orderBy('p.created_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getRawAndEntities();
    const views = entities.map((p, i) => toPolicyView(p, (raw[i] as { cluster_name: string }).cluster_name));
    return groupBy(views, (p) => p.serviceId ?? '');
  });
}

async function versionsOf(m: EntityManager, ids: string[]): Promise<Map<string, VersionView[]>> {
  const rows = await m
    .getRepository(ServiceVersionEntity)
    .createQueryBuilder('v')
    .where('v.service_id IN (:...ids)', { ids })
    .orderBy('v.name')
    .getMany();
  const out = new Map<string, VersionView[]>();
  for (const v of rows) {
    const list = out.get(v.serviceId) ?? [];
    list.push({ name: v.name, labels: v.labels, pods: v.pods });
    out.set(v.serviceId, list);
  }
  return out;
}

function serviceView(s: ServiceEntity, cluster: string, versions: VersionView[]): ServiceView {
  return {
    id: s.id,
    cluster,
    namespace: s.namespace,
    name: s.name,
    ports: s.ports,
    versions,
    discoveredAt: s.discoveredAt.toISOString(),
    removed: s.removedAt !== null,
  };
}
