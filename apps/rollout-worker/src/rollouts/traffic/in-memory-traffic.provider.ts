import type { EntityManager } from 'typeorm';
import type { RolloutRouteState } from '@heliomesh/core';
import {
  type AppliedRoute,
  routeMatches,
  type TrafficProvider,
  type TrafficTarget,
} from './traffic-provider.types.js';

/**
 * The fake for the engine's unit tests: a route is applied when `setWeights` is called (or, with
 * `applyImmediately = false`, only when the test calls `applyPending`, to play a slow cluster).
 */
export class InMemoryTrafficProvider implements TrafficProvider {
  readonly applied = new Map<string, AppliedRoute>();
  readonly pending = new Map<string, AppliedRoute>();
  readonly calls: Array<{ rolloutId: string; route: RolloutRouteState }> = [];
  readonly released: string[] = [];
  applyImmediately = true;

  constructor(private readonly clock: () => number = Date.now) {}

  async setWeights(
    _m: EntityManager | undefined,
    target: TrafficTarget,
    route: RolloutRouteState,
  ): Promise<void> {
    this.calls.push({ rolloutId: target.rolloutId, route });
    const applied: AppliedRoute = {
      canaryWeight: route.canaryWeight,
      stableWeight: 100 - route.canaryWeight,
      ...(route.mirrorPercent !== undefined ? { mirrorPercent: route.mirrorPercent } : {}),
      matchToCanary: route.match !== undefined,
      appliedAt: this.clock(),
    };
    (this.applyImmediately ? this.applied : this.pending).set(target.rolloutId, applied);
  }

  async release(_m: EntityManager | undefined, target: TrafficTarget): Promise<void> {
    this.released.push(target.rolloutId);
  }

  applyPending(): void {
    for (const [id, route] of this.pending) this.applied.set(id, { ...route, appliedAt: this.clock() });
    this.pending.clear();
  }

  async getWeights(target: TrafficTarget): Promise<AppliedRoute | undefined> {
    return this.applied.get(target.rolloutId);
  }

  async verify(target: TrafficTarget, route: RolloutRouteState): Promise<boolean> {
    return routeMatches(this.applied.get(target.rolloutId), route);
  }
}
