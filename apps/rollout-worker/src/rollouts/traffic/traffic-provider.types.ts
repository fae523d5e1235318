import type { EntityManager } from 'typeorm';
import type { RolloutRouteState } from '@heliomesh/core';

/** The service a rollout drives. */
export interface TrafficTarget {
  rolloutId: string;
  tenantId: string;
  serviceId: string;
  namespace: string;
  service: string;
  stable: string;
  canary: string;
}

/** What the data plane has applied for a service's default route. */
export interface AppliedRoute {
  canaryWeight: number;
  stableWeight: number;
  mirrorPercent?: number;
  /** A route sending matching requests wholly to the canary exists (A/B). */
  matchToCanary: boolean;
  /**
   * Epoch ms since when the data plane has had this configuration (at the latest): an analysis
   * window must start after it, or it judges traffic routed the old way.
   */
  appliedAt: number;
}

/**
 * Flagger's traffic-provider plug point, kept small: one real implementation (Istio, through the
 * compiler and the reconcile queue) and an in-memory fake for the engine's unit tests.
 */
export interface TrafficProvider {
  /**
   * Makes the data plane follow `route`, inside the transaction that records it on the rollout,
   * so the route change and the instruction to apply it commit (or vanish) together.
   */
  setWeights(m: EntityManager, target: TrafficTarget, route: RolloutRouteState): Promise<void>;
  /** The rollout has ended and no longer drives the route: let the service's policies govern it again. */
  release(m: EntityManager, target: TrafficTarget): Promise<void>;
  /** What is applied now, or undefined when nothing has been applied for the service yet. */
  getWeights(target: TrafficTarget): Promise<AppliedRoute | undefined>;
  /** Whether the applied route is `route` (weights, mirror and A/B match). */
  verify(target: TrafficTarget, route: RolloutRouteState): Promise<boolean>;
}

export function routeMatches(applied: AppliedRoute | undefined, route: RolloutRouteState): boolean {
  if (!applied) return false;
  return (
    applied.canaryWeight === route.canaryWeight &&
    applied.stableWeight === 100 - route.canaryWeight &&
    (applied.mirrorPercent ?? 0) === (route.mirrorPercent ?? 0) &&
    applied.matchToCanary === (route.match !== undefined)
  );
}
