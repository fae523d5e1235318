import { withSticky } from '@heliomesh/core';
import { assertUnreachable } from '@heliomesh/util';
import { type TickContext, type TickOutcome, verifyPollMs } from '../tick.types.js';
import { awaitJudgeableRoute, runAnalysis } from './analysis-step.util.js';
import { onAnalysisFailure, providerPause } from './failure.util.js';

type Outcome = TickOutcome<'Promoting'>;

/**
 * confirm-promotion gate (a failing gate holds), then 100 % to the canary, then the bake: keep
 * analysing at 100 % for `bake` and roll back on regression. Succeeds once the cluster has applied
 * the full switch and the bake (if any) is over.
 */
export async function handlePromoting(ctx: TickContext): Promise<Outcome> {
  const { row, plan, state } = ctx;
  const full = withSticky({ canaryWeight: 100 }, plan);
  if (!state.switched) {
    const gate = await ctx.deps.gate('confirm-promotion', row);
    if (!gate.passed)
      return { change: {}, events: gate.event ? [gate.event] : [], nextTickInMs: plan.intervalMs };
    return {
      change: { route: full, stepState: { ...state, switched: true } },
      events: [
        ...(gate.event ? [gate.event] : []),
        { type: 'route', message: `Route set: all traffic to ${row.canaryVersion}.`, data: { route: full } },
      ],
      audit: { action: 'rollout.switched', data: { gate: gate.event?.data ?? null } },
      nextTickInMs: verifyPollMs(ctx),
    };
  }
  if (!(await ctx.deps.traffic.verify(ctx.target, full)))
    return {
      change: {},
      events: [{ type: 'hold', message: 'Waiting for the cluster to apply the full switch.' }],
      nextTickInMs: verifyPollMs(ctx),
    };
  if (plan.bakeMs === 0 || state.skipAnalysis) return succeed(ctx);
  if (state.bakeStartedAt === undefined)
    return {
      change: { stepState: { ...state, bakeStartedAt: ctx.now } },
      events: [{ type: 'hold', message: `Baking: analysing at 100 % for ${plan.bakeMs / 1000}s.` }],
      nextTickInMs: plan.intervalMs,
    };
  const wait = await awaitJudgeableRoute(ctx, full);
  if (wait) return { change: {}, events: [wait.event], nextTickInMs: wait.nextTickInMs };
  const run = await runAnalysis(ctx);
  const decision = run.assessment.decision;
  switch (decision) {
    case 'fail':
      return onAnalysisFailure(ctx, run, 'bake-regression');
    case 'pause':
      if (run.verdicts.some((v) => v.outcome === 'provider-error'))
        return providerPause(ctx, run, 'Promoting');
      break;
    case 'continue':
    case 'hold':
      break;
    default:
      return assertUnreachable(decision, 'step decision');
  }
  // No data at 100 % (a compare metric has no baseline left) does not extend the bake.
  if (ctx.now - state.bakeStartedAt >= plan.bakeMs) {
    const done = succeed(ctx);
    return { ...done, events: [run.event, ...done.events] };
  }
  return {
    change: { failedChecks: run.failedChecks, stepState: run.state },
    events: [run.event],
    nextTickInMs: plan.intervalMs,
  };
}

function succeed(ctx: TickContext): Outcome {
  return {
    to: 'Succeeded',
    change: {
      phaseReason: { code: 'promoted', message: `${ctx.row.canaryVersion} is the stable version now.` },
      finished: true,
    },
    events: [{ type: 'transition', message: `Succeeded: ${ctx.row.canaryVersion} serves all traffic.` }],
    audit: { action: 'rollout.succeeded', data: { skipAnalysis: ctx.state.skipAnalysis === true } },
    nextTickInMs: null,
    notify: ['post-rollout'],
  };
}
