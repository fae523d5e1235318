import type { EntityManager } from 'typeorm';
import { type ServiceEntity, ServiceVersionEntity } from '@heliomesh/db';
import type { ServiceVersionView, ServiceView } from './services.service.js';

/** The versions of each of the given services, by service id, sorted by name: one query. */
export async function loadVersionViews(
  m: EntityManager,
  ids: string[],
): Promise<Map<string, ServiceVersionView[]>> {
  const out = new Map<string, ServiceVersionView[]>();
  if (ids.length === 0) return out;
  const rows = await m
    .getRepository(ServiceVersionEntity)
    .createQueryBuilder('v')
    .where('v.service_id IN (:...ids)', { ids })
    .orderBy('v.name')
    .getMany();
  for (const v of rows) {
    const list = out.get(v.serviceId) ?? [];
    list.push({ name: v.name, labels: v.labels, pods: v.pods });
    out.set(v.serviceId, list);
  }
  return out;
}

export function toServiceView(
  s: ServiceEntity,
  cluster: string,
  versions: ServiceVersionView[],
): ServiceView {
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
