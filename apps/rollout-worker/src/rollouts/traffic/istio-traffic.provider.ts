import { DataSource, type EntityManager } from 'typeorm';
import type { RolloutRouteState } from '@heliomesh/core';
import { OutboxRepository } from '@heliomesh/db';
import type { ReconcileJobData } from '@heliomesh/queue';
import {
  type AppliedRoute,
  routeMatches,
  type TrafficProvider,
  type TrafficTarget,
} from './traffic-provider.types.js';

interface HttpRoute {
  name?: string;
  match?: unknown[];
  route?: Array<{ destination?: { subset?: string }; weight?: number }>;
  mirror?: { subset?: string };
  mirrorPercentage?: { value?: number };
}

/**
 * Istio through Heliomesh's own path: the rollout's route is an input of the compiler
 * (RolloutRoutesSource reads it from the rollout row), so setting weights is queueing a reconcile
 * of the service through the outbox, exactly like a policy write. What is applied is read back
 * from the inventory the reconcile records after a successful server-side apply.
 */
export class IstioTrafficProvider implements TrafficProvider {
  private readonly outbox = new OutboxRepository();

  constructor(private readonly db: DataSource) {}

  setWeights(m: EntityManager, target: TrafficTarget, _route: RolloutRouteState): Promise<void> {
    return this.reconcile(m, target);
  }

  release(m: EntityManager, target: TrafficTarget): Promise<void> {
    return this.reconcile(m, target);
  }

  private async reconcile(m: EntityManager, target: TrafficTarget): Promise<void> {
    const job: ReconcileJobData = {
      tenantId: target.tenantId,
      serviceId: target.serviceId,
      reason: 'rollout',
    };
    await this.outbox.add(m, {
      tenantId: target.tenantId,
      topic: 'reconcile',
      payload: job as unknown as Record<string, unknown>,
    });
  }

  async getWeights(target: TrafficTarget): Promise<AppliedRoute | undefined> {
    // The worker's own read of its inventory (a system query: one statement, no transaction).
    const rows: Array<{ object: { spec?: { http?: HttpRoute[] } }; applied_at: Date }> = await this.db.query(
      `SELECT object, applied_at FROM applied_objects WHERE tenant_id = $1 AND service_id = $2 AND kind = 'VirtualService' AND name = $3`,
      [target.tenantId, target.serviceId, `heliomesh-${target.service}`],
    );
    const http = rows[0]?.object.spec?.http;
    if (!http) return undefined;
    // The inventory is rewritten on every reconcile, so this is the latest apply: conservative.
    const route = appliedRoute(http, target);
    return route && { ...route, appliedAt: rows[0]!.applied_at.getTime() };
  }

  async verify(target: TrafficTarget, route: RolloutRouteState): Promise<boolean> {
    return routeMatches(await this.getWeights(target), route);
  }
}

/** Reads the default route's split and mirror, and whether an A/B route to the canary exists. */
export function appliedRoute(
  http: HttpRoute[],
  target: Pick<TrafficTarget, 'stable' | 'canary'>,
): Omit<AppliedRoute, 'appliedAt'> | undefined {
  const def = http.find((r) => r.name === 'default') ?? http.findLast((r) => !r.match?.length);
  if (!def?.route) return undefined;
  const weightOf = (subset: string) => {
    const destinations = def.route!.filter((d) => d.destination?.subset === subset);
    return destinations.reduce((sum, d) => sum + (d.weight ?? (def.route!.length === 1 ? 100 : 0)), 0);
  };
  const mirrored = def.mirror?.subset === target.canary ? (def.mirrorPercentage?.value ?? 100) : undefined;
  return {
    canaryWeight: weightOf(target.canary),
    stableWeight: weightOf(target.stable),
    ...(mirrored !== undefined ? { mirrorPercent: mirrored } : {}),
    matchToCanary: http.some(
      (r) =>
        r !== def &&
        !r.name?.startsWith('default-sticky') &&
        (r.match?.length ?? 0) > 0 &&
        r.route?.length === 1 &&
        r.route[0]!.destination?.subset === target.canary,
    ),
  };
}
