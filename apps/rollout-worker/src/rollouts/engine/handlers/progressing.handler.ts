import {
  describeStep,
  type PlanStep,
  routeAt,
  settleMs,
  type RolloutEventDraft,
  withSticky,
} from '@heliomesh/core';
import { assertUnreachable, canonicalJson } from '@heliomesh/util';
import type { TickContext, TickOutcome } from '../tick.types.js';
import { awaitJudgeableRoute, runAnalysis } from './analysis-step.util.js';
import { onAnalysisFailure, providerPause } from './failure.util.js';

type Outcome = TickOutcome<'Progressing'>;

/** Runs the current step of the plan; past the last step, hands over to promotion. */
export async function handleProgressing(ctx: TickContext): Promise<Outcome> {
  const { row, plan } = ctx;
  const step = plan.steps[row.stepIndex];
  if (!step)
    return {
      to: 'Promoting',
      change: { restartStep: true, stepState: {} },
      events: [
        {
          type: 'transition',
          message: `All ${plan.steps.length} steps done; promoting ${row.canaryVersion}.`,
        },
      ],
      audit: { action: 'rollout.promoting', data: {} },
      nextTickInMs: 0,
    };
  const events: RolloutEventDraft[] = [];
  if (!ctx.state.gated) {
    const gate = await ctx.deps.gate('rollout', row);
    if (gate.event) events.push(gate.event);
    if (!gate.passed) return { change: {}, events, nextTickInMs: plan.intervalMs };
  }
  const gated = { ...ctx, state: { ...ctx.state, gated: true } };
  const outcome = await runStep(gated, step);
  return { ...outcome, events: [...events, ...outcome.events] };
}

function runStep(ctx: TickContext, step: PlanStep): Promise<Outcome> | Outcome {
  switch (step.kind) {
    case 'route':
      return completeStep(
        ctx,
        step,
        { route: withSticky(step.route, ctx.plan) },
        [
          {
            type: 'route',
            message: `Route set: ${describeStep(step).replace('set route: ', '')}.`,
            data: { route: step.route },
          },
        ],
        settleMs(ctx.plan, ctx.row.stepIndex),
      );
    case 'pause':
      return pauseStep(ctx, step);
    case 'analysis':
      return analysisStep(ctx, step);
    default:
      return assertUnreachable(step, 'plan step');
  }
}

function completeStep(
  ctx: TickContext,
  step: PlanStep,
  change: Outcome['change'],
  events: RolloutEventDraft[],
  nextTickInMs: number,
  evidence: Record<string, unknown> = {},
): Outcome {
  const i = ctx.row.stepIndex;
  return {
    change: { ...change, stepIndex: i + 1, restartStep: true, stepState: {} },
    events: [
      ...events,
      {
        type: 'step',
        message: `Step ${i + 1} of ${ctx.plan.steps.length} done: ${describeStep(step)}.`,
        data: { stepIndex: i },
      },
    ],
    audit: {
      action: 'rollout.step-completed',
      data: { stepIndex: i, step: describeStep(step), source: step.source, ...evidence },
    },
    nextTickInMs,
  };
}

function pauseStep(ctx: TickContext, step: Extract<PlanStep, { kind: 'pause' }>): Outcome {
  const { row, state, now } = ctx;
  if (step.durationMs === null)
    return {
      to: 'Paused',
      change: {
        phaseReason: {
          code: 'pause-step',
          message: `Waiting at step ${row.stepIndex + 1} for a human: resume or promote.`,
        },
        resumePhase: 'Progressing',
        stepState: state,
      },
      events: [
        { type: 'transition', message: `Paused at step ${row.stepIndex + 1} until resumed or promoted.` },
      ],
      audit: { action: 'rollout.paused', data: { stepIndex: row.stepIndex, reason: 'pause-step' } },
      nextTickInMs: null,
    };
  if (state.pauseUntil === undefined)
    return {
      change: { stepState: { ...state, pauseUntil: now + step.durationMs } },
      events: [{ type: 'hold', message: `Pausing ${step.durationMs / 1000}s at step ${row.stepIndex + 1}.` }],
      nextTickInMs: step.durationMs,
    };
  if (now < state.pauseUntil)
    return { change: { stepState: state }, events: [], nextTickInMs: state.pauseUntil - now };
  return completeStep(ctx, step, {}, [], 0);
}

async function analysisStep(
  ctx: TickContext,
  step: Extract<PlanStep, { kind: 'analysis' }>,
): Promise<Outcome> {
  const { row, plan, state } = ctx;
  const desired = routeAt(plan, row.stepIndex);
  // After a pause that moved traffic to stable, the step's route comes back before it is judged.
  if (canonicalJson(row.route) !== canonicalJson(desired))
    return {
      change: { route: desired, stepState: state },
      events: [
        {
          type: 'route',
          message: `Route restored for step ${row.stepIndex + 1}: canary ${desired.canaryWeight} %.`,
          data: { route: desired },
        },
      ],
      nextTickInMs: plan.intervalMs,
    };
  const wait = await awaitJudgeableRoute(ctx, desired);
  if (wait) return { change: { stepState: state }, events: [wait.event], nextTickInMs: wait.nextTickInMs };
  const run = await runAnalysis(ctx);
  const base = { failedChecks: run.failedChecks, stepState: run.state };
  const decision = run.assessment.decision;
  switch (decision) {
    case 'continue': {
      const passes = (state.passes ?? 0) + 1;
      if (passes >= step.runs)
        return completeStep(ctx, step, { failedChecks: run.failedChecks }, [run.event], 0, {
          verdicts: run.verdicts,
        });
      return {
        change: { ...base, stepState: { ...run.state, passes } },
        events: [run.event],
        nextTickInMs: plan.intervalMs,
      };
    }
    case 'hold':
      return { change: base, events: [run.event], nextTickInMs: plan.intervalMs };
    case 'pause':
      return providerPause(ctx, run, 'Progressing');
    case 'fail':
      return onAnalysisFailure(ctx, run, 'analysis-failed');
    default:
      return assertUnreachable(decision, 'step decision');
  }
}
