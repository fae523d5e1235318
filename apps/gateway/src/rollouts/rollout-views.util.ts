import {
  type AnalysisEventData,
  describeStep,
  planRollout,
  type RolloutEventView,
  type RolloutSpec,
  type RolloutView,
} from '@heliomesh/core';
import { assertUnreachable } from '@heliomesh/util';
import {
  type RolloutMeasurementModel,
  type RolloutProgressModel,
  RolloutStepState,
  type RolloutStepModel,
} from './rollout.models.js';

/** The plan the stored spec expands into, with where the rollout stands on it. */
export function planSteps(view: RolloutView): RolloutStepModel[] {
  const plan = planRollout(view.spec as unknown as RolloutSpec);
  const finished = view.phase === 'Succeeded' || view.phase === 'Promoting';
  return plan.steps.map((step, index) => {
    const state =
      finished || index < view.step.index
        ? RolloutStepState.DONE
        : index === view.step.index
          ? RolloutStepState.CURRENT
          : RolloutStepState.PENDING;
    const base = {
      index,
      kind: step.kind,
      description: describeStep(step),
      source: step.source,
      state,
      canaryWeight: null,
      mirrorPercent: null,
      durationSeconds: null,
      runs: null,
    };
    switch (step.kind) {
      case 'route':
        return {
          ...base,
          canaryWeight: step.route.canaryWeight,
          mirrorPercent: step.route.mirrorPercent ?? null,
        };
      case 'pause':
        return { ...base, durationSeconds: step.durationMs === null ? null : step.durationMs / 1000 };
      case 'analysis':
        return { ...base, runs: step.runs };
      default:
        return assertUnreachable(step, 'plan step');
    }
  });
}

/** The metrics an analysis event judged, one row each; other events have none. */
export function measurementsOf(e: RolloutEventView): RolloutMeasurementModel[] {
  if (e.type !== 'analysis') return [];
  const data = e.data as Partial<AnalysisEventData>;
  return (Array.isArray(data.verdicts) ? data.verdicts : []).map((v) => ({
    seq: e.seq,
    occurredAt: e.occurredAt,
    stepIndex: e.stepIndex,
    canaryWeight: e.canaryWeight,
    metric: v.metric,
    judge: v.judge,
    window: v.window,
    query: v.query,
    canaryValue: v.canary?.value ?? null,
    canarySamples: v.canary?.samples ?? null,
    baselineValue: v.baseline?.value ?? null,
    baselineSamples: v.baseline?.samples ?? null,
    outcome: v.outcome,
    explanation: v.explanation,
    pValue: v.pValue ?? null,
    effectSize: v.effectSize ?? null,
    threshold: v.threshold,
  }));
}

/** What a subscriber receives first: where the rollout stands, up to event `seq`. */
export function snapshotOf(view: RolloutView, seq: number, now = new Date()): RolloutProgressModel {
  return {
    rolloutId: view.id,
    seq,
    kind: 'snapshot',
    phase: view.phase,
    stepIndex: view.step.index,
    steps: view.step.total,
    canaryWeight: view.canaryWeight,
    mirrorPercent: view.route?.mirrorPercent ?? null,
    eta: view.eta,
    message: view.phaseReason?.message ?? `${view.phase}: ${view.step.description}.`,
    actor: view.createdBy,
    occurredAt: now.toISOString(),
    measurements: [],
    data: { phaseReason: view.phaseReason, step: view.step, failedChecks: view.failedChecks },
  };
}

/** One stored event as progress; `where` supplies what the event itself does not carry. */
export function progressOf(
  e: RolloutEventView,
  where: { steps: number; mirrorPercent: number | null; eta: string | null },
): RolloutProgressModel {
  return {
    rolloutId: e.rolloutId,
    seq: e.seq,
    kind: e.type,
    phase: e.phase,
    stepIndex: e.stepIndex,
    steps: where.steps,
    canaryWeight: e.canaryWeight,
    mirrorPercent: where.mirrorPercent,
    eta: where.eta,
    message: e.message,
    actor: e.actor,
    occurredAt: e.occurredAt,
    measurements: measurementsOf(e),
    data: e.data,
  };
}
