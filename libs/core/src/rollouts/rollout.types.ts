import type { MetricVerdict, StepDecision, VerdictOutcome } from '@heliomesh/analysis';
import type { RolloutPhase, RolloutStrategyKind } from '@heliomesh/db';
import type { RolloutRouteState } from './rollout-plan.util.js';
import type { RollbackOutcome } from './rollout-state-machine.js';

/** Why a rollout is where it is (paused, rolling back, finished). */
export type PhaseReasonCode =
  | 'manual'
  | 'pause-step'
  | 'provider-error'
  | 'no-data'
  | 'analysis-failed'
  | 'frozen'
  | 'aborted'
  | 'bake-regression'
  | 'service-missing'
  | 'promoted';

export interface PhaseReason {
  code: PhaseReasonCode;
  message: string;
  /** For RollingBack: the phase it ends in. */
  outcome?: RollbackOutcome;
}

export interface CompactVerdict {
  metric: string;
  outcome: VerdictOutcome;
}

/** Progress within the current step, stored with the rollout (reset when the step changes). */
export interface StepState {
  /** Analysis runs of this step, oldest first (outcomes only; full verdicts are in the events). */
  runs?: Array<{ verdicts: CompactVerdict[] }>;
  /** Runs that passed in this step. */
  passes?: number;
  /** The rollout gate of this step passed. */
  gated?: boolean;
  /** Epoch ms at which a timed pause ends. */
  pauseUntil?: number;
  /** Promoting: the canary has 100 %. */
  switched?: boolean;
  bakeStartedAt?: number;
  /** Promoting: promoted with skipAnalysis (no bake). */
  skipAnalysis?: boolean;
  /** RollingBack: the rollback notification went out. */
  notified?: boolean;
}

export const ROLLOUT_EVENT_TYPES = [
  'created',
  'transition',
  'step',
  'route',
  'analysis',
  'gate',
  'webhook',
  'command',
  'hold',
  'pin',
] as const;
export type RolloutEventType = (typeof ROLLOUT_EVENT_TYPES)[number];

/** What the engine or a command records; numbered and stamped on commit. */
export interface RolloutEventDraft {
  type: RolloutEventType;
  message: string;
  data?: Record<string, unknown>;
}

/** A stored event, as the API returns it. */
export interface RolloutEventView {
  rolloutId: string;
  seq: number;
  tick: number;
  attempt: number;
  type: RolloutEventType;
  phase: RolloutPhase;
  stepIndex: number;
  canaryWeight: number;
  actor: string;
  message: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

/** The measurements behind an analysis event (`data` of type `analysis`). */
export interface AnalysisEventData {
  verdicts: MetricVerdict[];
  decision: StepDecision;
  reason: string;
  failures: Record<string, number>;
  /** Requests each side received over the analysis window (the observed split). */
  observedSplit?: { canary: number | null; stable: number | null; canaryShare: number | null };
}

/**
 * Published on Redis for every stored event (see `rolloutChannel`): the event plus where the
 * rollout stands, so a subscriber needs no second read. Late subscribers catch up with
 * `GET /v1/rollouts/{id}/events?afterSeq=<last seq seen>`.
 */
export interface RolloutProgressEvent extends RolloutEventView {
  /** Shape version of this message. */
  schema: 1;
  tenantId: string;
  namespace: string;
  service: string;
  stable: string;
  canary: string;
  strategy: RolloutStrategyKind;
  /** Total steps of the plan (promotion comes after the last one). */
  steps: number;
  mirrorPercent: number | null;
  /** Earliest expected end, or null when it waits for a human. */
  eta: string | null;
}

export interface RolloutView {
  id: string;
  cluster: string;
  namespace: string;
  service: string;
  serviceId: string;
  strategy: RolloutStrategyKind;
  stable: string;
  canary: string;
  phase: RolloutPhase;
  phaseReason: PhaseReason | null;
  step: { index: number; total: number; description: string };
  canaryWeight: number;
  route: RolloutRouteState | null;
  failedChecks: number;
  attempt: number;
  version: number;
  /** The spec as stored (defaults applied). */
  spec: Record<string, unknown>;
  /** Webhook calls carry an HMAC-SHA256 signature with the secret returned at creation. */
  webhooksSigned: boolean;
  nextTickAt: string | null;
  eta: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** Redis pub/sub channel of one rollout's progress events. */
export function rolloutChannel(rolloutId: string): string {
  return `heliomesh:rollout:${rolloutId}`;
}

/** Redis pub/sub channel of every rollout event of a tenant. */
export function tenantRolloutsChannel(tenantId: string): string {
  return `heliomesh:tenant:${tenantId}:rollouts`;
}
