import { type JsonObject, RolloutEntity, type RolloutPhase, type RolloutStrategyKind } from '@heliomesh/db';
import type { RolloutEventType, RolloutEventView } from './rollout.types.js';

/** Rows as pg returns them (snake case), mapped by hand: the repository writes raw SQL. */
export interface RawRollout {
  id: string;
  tenant_id: string;
  cluster_id: string;
  service_id: string;
  namespace: string;
  service: string;
  strategy: RolloutStrategyKind;
  spec: JsonObject;
  stable_version: string;
  canary_version: string;
  phase: RolloutPhase;
  phase_reason: JsonObject | null;
  resume_phase: RolloutPhase | null;
  step_index: number;
  step_started_at: Date | null;
  step_state: JsonObject;
  route: JsonObject | null;
  canary_weight: number;
  failed_checks: number;
  attempt: number;
  version: number;
  tick: number;
  next_tick_at: Date | null;
  event_seq: number;
  webhook_secret: Buffer | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export function fromRaw(r: RawRollout): RolloutEntity {
  return Object.assign(new RolloutEntity(), {
    id: r.id,
    tenantId: r.tenant_id,
    clusterId: r.cluster_id,
    serviceId: r.service_id,
    namespace: r.namespace,
    service: r.service,
    strategy: r.strategy,
    spec: r.spec,
    stableVersion: r.stable_version,
    canaryVersion: r.canary_version,
    phase: r.phase,
    phaseReason: r.phase_reason,
    resumePhase: r.resume_phase,
    stepIndex: r.step_index,
    stepStartedAt: r.step_started_at,
    stepState: r.step_state,
    route: r.route,
    canaryWeight: r.canary_weight,
    failedChecks: r.failed_checks,
    attempt: r.attempt,
    version: r.version,
    tick: r.tick,
    nextTickAt: r.next_tick_at,
    eventSeq: r.event_seq,
    webhookSecret: r.webhook_secret,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  });
}

export interface RawEvent {
  rollout_id: string;
  seq: number;
  tick: number;
  attempt: number;
  type: RolloutEventType;
  phase: RolloutPhase;
  step_index: number;
  canary_weight: number;
  actor: string;
  message: string;
  data: Record<string, unknown>;
  occurred_at: Date;
}

export function eventFromRaw(r: RawEvent): RolloutEventView {
  return {
    rolloutId: r.rollout_id,
    seq: r.seq,
    tick: r.tick,
    attempt: r.attempt,
    type: r.type,
    phase: r.phase,
    stepIndex: r.step_index,
    canaryWeight: r.canary_weight,
    actor: r.actor,
    message: r.message,
    data: r.data,
    occurredAt: r.occurred_at.toISOString(),
  };
}
