import type { RolloutEntity } from '@heliomesh/db';
import {
  describeStep,
  planRollout,
  remainingMs,
  type RolloutPlan,
  type RolloutRouteState,
} from './rollout-plan.util.js';
import type { RolloutSpec } from './rollout-spec.schema.js';
import { isTerminal } from './rollout-state-machine.js';
import type {
  PhaseReason,
  RolloutEventView,
  RolloutProgressEvent,
  RolloutView,
  StepState,
} from './rollout.types.js';

/** The stored spec was validated (defaults applied) when the rollout was created. */
export function specOf(row: RolloutEntity): RolloutSpec {
  return row.spec as unknown as RolloutSpec;
}

export function planOf(row: RolloutEntity): RolloutPlan {
  return planRollout(specOf(row));
}

/** Earliest expected end of the rollout, or null when it is finished or waits for a human. */
export function etaOf(row: RolloutEntity, plan: RolloutPlan, now = Date.now()): string | null {
  if (isTerminal(row.phase)) return null;
  const state = row.stepState as StepState;
  const bake = !state.skipAnalysis;
  let left: number | null;
  switch (row.phase) {
    case 'Paused':
      return null;
    case 'Promoting':
      left = state.bakeStartedAt
        ? Math.max(0, state.bakeStartedAt + plan.bakeMs - now)
        : plan.intervalMs + (bake ? plan.bakeMs : 0);
      break;
    case 'RollingBack':
      left = plan.intervalMs;
      break;
    default:
      left = remainingMs(plan, row.stepIndex, bake);
  }
  return left === null ? null : new Date(now + left).toISOString();
}

export function toRolloutView(row: RolloutEntity, clusterName: string): RolloutView {
  const plan = planOf(row);
  return {
    id: row.id,
    cluster: clusterName,
    namespace: row.namespace,
    service: row.service,
    serviceId: row.serviceId,
    strategy: row.strategy,
    stable: row.stableVersion,
    canary: row.canaryVersion,
    phase: row.phase,
    phaseReason: row.phaseReason as PhaseReason | null,
    step: {
      index: row.stepIndex,
      total: plan.steps.length,
      description: row.phase === 'Promoting' ? 'promotion' : describeStep(plan.steps[row.stepIndex]),
    },
    canaryWeight: row.canaryWeight,
    route: row.route as RolloutRouteState | null,
    failedChecks: row.failedChecks,
    attempt: row.attempt,
    version: row.version,
    spec: row.spec,
    webhooksSigned: row.webhookSecret !== null,
    nextTickAt: row.nextTickAt?.toISOString() ?? null,
    eta: etaOf(row, plan),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Stored events as the messages published on Redis. */
export function progressEvents(row: RolloutEntity, events: RolloutEventView[]): RolloutProgressEvent[] {
  if (events.length === 0) return [];
  const plan = planOf(row);
  const eta = etaOf(row, plan);
  const route = row.route as RolloutRouteState | null;
  return events.map((e) => ({
    ...e,
    schema: 1,
    tenantId: row.tenantId,
    namespace: row.namespace,
    service: row.service,
    stable: row.stableVersion,
    canary: row.canaryVersion,
    strategy: row.strategy,
    steps: plan.steps.length,
    mirrorPercent: route?.mirrorPercent ?? null,
    eta,
  }));
}
