import type { DataSource } from 'typeorm';
import { PolicyEntity, ServiceEntity } from '@heliomesh/db';
import type { RequestContext } from '../common/request-context.types.js';
import { type PolicyView, toPolicyView } from '../policies/policy.dto.js';
import type { ServiceView } from '../services/services.service.js';
import { loadVersionViews, toServiceView } from '../services/service-view.util.js';
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
    const versions = await loadVersionViews(m, valid);
    return new Map(
      entities.map((s, i) => [
        s.id,
        toServiceView(s, (raw[i] as { cluster_name: string }).cluster_name, versions.get(s.id) ?? []),
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
  return readBatch(db, ctx, serviceIds, (m, valid) => loadVersionViews(m, valid));
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
