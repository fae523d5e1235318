import type { DataSource } from 'typeorm';
import { PolicyEntity, PolicyRevisionEntity } from '@heliomesh/db';
import type { RequestContext } from '../common/request-context.types.js';
import {
  type PolicyRevisionView,
  type PolicyView,
  toPolicyView,
  toRevisionView,
} from '../policies/policy.dto.js';
import { groupBy, readBatch } from './loader-scope.util.js';

/** Policies by id, as PoliciesService.get returns them; unknown ids are absent. */
export function loadPoliciesByIds(
  db: DataSource,
  ctx: RequestContext,
  ids: readonly string[],
): Promise<Map<string, PolicyView>> {
  return readBatch(db, ctx, ids, async (m, valid) => {
    const { entities, raw } = await m
      .getRepository(PolicyEntity)
      .createQueryBuilder('p')
      .innerJoin('clusters', 'c', 'c.id = p.cluster_id')
      .addSelect('c.name', 'cluster_name')
      .where('p.id IN (:...ids)', { ids: valid })
      .getRawAndEntities();
    return new Map(
      entities.map((p, i) => [p.id, toPolicyView(p, (raw[i] as { cluster_name: string }).cluster_name)]),
    );
  });
}

/**
 * Every revision of each policy, oldest first (PoliciesService.history). Kept after deletion, so
 * a deleted policy still has its history.
 */
export function loadPolicyHistories(
  db: DataSource,
  ctx: RequestContext,
  policyIds: readonly string[],
): Promise<Map<string, PolicyRevisionView[]>> {
  return readBatch(db, ctx, policyIds, async (m, valid) => {
    const rows = await m
      .getRepository(PolicyRevisionEntity)
      .createQueryBuilder('r')
      .where('r.policy_id IN (:...ids)', { ids: valid })
      .orderBy('r.policy_id')
      .addOrderBy('r.revision', 'ASC')
      .getMany();
    const grouped = groupBy(rows, (r) => r.policyId);
    return new Map([...grouped].map(([id, list]) => [id, list.map(toRevisionView)]));
  });
}
