import type { AnalysisSpec } from '@heliomesh/analysis';
import type {
  NextPhase,
  RolloutChange,
  RolloutEventDraft,
  RolloutPlan,
  RolloutSpec,
  StepState,
  WebhookType,
} from '@heliomesh/core';
import type { RolloutEntity, RolloutPhase } from '@heliomesh/db';
import type { AnalysisResult } from '../analysis/analysis-runner.service.js';
import type { TrafficProvider, TrafficTarget } from '../traffic/traffic-provider.types.js';
import type { GateOutcome } from '../webhooks/webhook-runner.service.js';

/** What a handler may use besides the rollout itself; fakes replace each in unit tests. */
export interface TickDeps {
  traffic: TrafficProvider;
  analyse(spec: AnalysisSpec, row: RolloutEntity): Promise<AnalysisResult>;
  providerOnline(): Promise<boolean>;
  gate(type: WebhookType, row: RolloutEntity): Promise<GateOutcome>;
  /** Why the rollout cannot run (service removed, a version gone), or null. */
  checkTarget(row: RolloutEntity): Promise<string | null>;
}

export interface TickContext {
  row: RolloutEntity;
  spec: RolloutSpec;
  plan: RolloutPlan;
  state: StepState;
  target: TrafficTarget;
  now: number;
  deps: TickDeps;
}

/**
 * A handler's decision for one tick. `to` can only name a phase the state machine allows from
 * the handler's phase: `TickOutcome<'Progressing'>` does not type-check with `to: 'Succeeded'`.
 */
export interface TickOutcome<F extends RolloutPhase = RolloutPhase> {
  to?: NextPhase<F>;
  change: Omit<RolloutChange, 'phase'>;
  events: RolloutEventDraft[];
  /** Transitions and completed steps are audited with the evidence behind them. */
  audit?: { action: string; data: Record<string, unknown> };
  nextTickInMs: number | null;
  /** Notification hooks to send: outbox messages of the commit, delivered at least once. */
  notify?: WebhookType[];
}

export type PhaseHandler<F extends RolloutPhase> = (ctx: TickContext) => Promise<TickOutcome<F>>;

/** How soon to look again while waiting for the cluster to apply a route. */
export function verifyPollMs(ctx: TickContext): number {
  return Math.min(ctx.plan.intervalMs, 1_000);
}
