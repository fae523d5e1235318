import type { DataSource } from 'typeorm';
import { ServiceEntity } from '@heliomesh/db';
import { compileHost, type ExplainEntry, indexSnapshot, toYaml } from '@heliomesh/istio';
import type { RequestContext } from '../common/request-context.types.js';
import { DesiredStateRepository } from '../desired-state/desired-state.repository.js';
import { governedObjects } from '../desired-state/governed.util.js';
import type { GeneratedConfig } from '../services/services.service.js';
import { groupBy, readBatch } from './loader-scope.util.js';

/** What ServicesService.config and ServicesService.explain answer for one service. */
export interface CompiledService {
  config: GeneratedConfig;
  explain: { serviceId: string; host: string; entries: ExplainEntry[] };
}

/**
 * Compiles the desired state once per cluster the services live in (not once per service), then
 * each service's host from the shared index, so asking for the generated YAML, explain entries or
 * findings of a whole page of services costs a few statements per cluster.
 */
export function loadCompiledServices(
  db: DataSource,
  ctx: RequestContext,
  serviceIds: readonly string[],
): Promise<Map<string, CompiledService>> {
  const desired = new DesiredStateRepository();
  return readBatch(db, ctx, serviceIds, async (m, valid, tenantId) => {
    const services = await m
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where('s.id IN (:...ids)', { ids: valid })
      .getMany();
    const clusters: Array<{ id: string; name: string }> = await m.query(
      `SELECT id, name FROM clusters WHERE id = ANY($1::uuid[])`,
      [[...new Set(services.map((s) => s.clusterId))]],
    );
    const out = new Map<string, CompiledService>();
    for (const [clusterId, members] of groupBy(services, (s) => s.clusterId)) {
      const cluster = clusters.find((c) => c.id === clusterId);
      if (!cluster) continue;
      const index = indexSnapshot((await desired.load(m, tenantId, cluster)).snapshot);
      for (const s of members) {
        const result = compileHost(index, { namespace: s.namespace, service: s.name });
        const host = result?.host ?? '';
        out.set(s.id, {
          config: {
            serviceId: s.id,
            host,
            yaml: toYaml(governedObjects(result)),
            emitted: result?.emitted ?? false,
            findings: result?.findings ?? [],
          },
          explain: { serviceId: s.id, host, entries: result?.explain ?? [] },
        });
      }
    }
    return out;
  });
}
