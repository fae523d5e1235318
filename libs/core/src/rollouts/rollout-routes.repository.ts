import type { EntityManager } from 'typeorm';
import { TERMINAL_ROLLOUT_PHASES } from '@heliomesh/db';
import type { RolloutRoute } from '@heliomesh/istio';
import type { RolloutRoutesSource } from '../reconcile/reconcile.service.js';
import type { RolloutRouteState } from './rollout-plan.util.js';

const TERMINAL_SQL = TERMINAL_ROLLOUT_PHASES.map((p) => `'${p}'`).join(', ');

/** The compiler's view of running rollouts: their current routes (ReconcileService and write checks). */
export class RolloutRoutesRepository implements RolloutRoutesSource {
  async routesFor(m: EntityManager, tenantId: string, clusterId: string): Promise<RolloutRoute[]> {
    const rows: Array<{
      id: string;
      namespace: string;
      service: string;
      stable_version: string;
      canary_version: string;
      route: RolloutRouteState;
    }> = await m.query(
      `SELECT id, namespace, service, stable_version, canary_version, route FROM rollouts
       WHERE tenant_id = $1 AND cluster_id = $2 AND route IS NOT NULL AND phase NOT IN (${TERMINAL_SQL})
       ORDER BY id`,
      [tenantId, clusterId],
    );
    return rows.map((r) => ({
      rolloutId: r.id,
      namespace: r.namespace,
      service: r.service,
      stable: r.stable_version,
      canary: r.canary_version,
      canaryWeight: r.route.canaryWeight,
      ...(r.route.match ? { match: r.route.match } : {}),
      ...(r.route.mirrorPercent !== undefined ? { mirrorPercent: r.route.mirrorPercent } : {}),
      ...(r.route.sticky ? { sticky: r.route.sticky } : {}),
    }));
  }
}
