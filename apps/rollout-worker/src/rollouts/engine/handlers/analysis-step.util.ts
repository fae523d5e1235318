import {
  type AnalysisRun,
  type AnalysisSpec,
  assessAnalysis,
  type Assessment,
  durationMs,
  type MetricVerdict,
} from '@heliomesh/analysis';
import type {
  AnalysisEventData,
  CompactVerdict,
  RolloutEventDraft,
  RolloutRouteState,
  StepState,
} from '@heliomesh/core';
import type { AnalysisResult } from '../../analysis/analysis-runner.service.js';
import { routeMatches } from '../../traffic/traffic-provider.types.js';
import { type TickContext, verifyPollMs } from '../tick.types.js';

/** The longest window any metric looks back over. */
export function longestWindowMs(spec: AnalysisSpec): number {
  return Math.max(...spec.metrics.map((m) => durationMs(m.window ?? spec.window ?? spec.interval) ?? 0));
}

/**
 * Judging waits until the cluster has applied `route` and a full analysis window has passed
 * since: a window that reaches back before the change holds traffic routed the old way. Returns
 * the hold to make, or null when the route can be judged now.
 */
export async function awaitJudgeableRoute(
  ctx: TickContext,
  route: RolloutRouteState,
): Promise<{ event: RolloutEventDraft; nextTickInMs: number } | null> {
  const applied = await ctx.deps.traffic.getWeights(ctx.target);
  if (!applied || !routeMatches(applied, route))
    return {
      event: {
        type: 'hold',
        message: `Waiting for the cluster to apply the route (canary ${route.canaryWeight} %) before judging it.`,
      },
      nextTickInMs: verifyPollMs(ctx),
    };
  const windowMs = longestWindowMs(ctx.spec.analysis!);
  const readyAt = applied.appliedAt + windowMs;
  if (ctx.now < readyAt)
    return {
      event: {
        type: 'hold',
        message: `Waiting for a full ${windowMs / 1000}s window of traffic at the applied route before judging it.`,
      },
      nextTickInMs: readyAt - ctx.now,
    };
  return null;
}

export interface JudgedRun {
  assessment: Assessment;
  state: StepState;
  failedChecks: number;
  event: RolloutEventDraft;
  verdicts: MetricVerdict[];
}

/**
 * One analysis run against this step's history: measured, judged, assessed (no data holds, a
 * provider error pauses, failures beyond the limit fail), recorded as an event with everything
 * behind the decision.
 */
export async function runAnalysis(ctx: TickContext): Promise<JudgedRun> {
  const spec = ctx.spec.analysis!;
  const result: AnalysisResult = await ctx.deps.analyse(spec, ctx.row);
  const runs = [...(ctx.state.runs ?? []), { verdicts: result.verdicts.map(compact) }];
  // assessAnalysis reads only each verdict's metric and outcome, which is all the row keeps of
  // earlier runs (their full verdicts are in the events).
  const assessment = assessAnalysis(runs as unknown as AnalysisRun[], {
    failureLimit: spec.failureLimit,
    consecutive: spec.consecutive,
    ...(spec.noDataLimit !== undefined ? { noDataLimit: spec.noDataLimit } : {}),
  });
  const failed = result.verdicts.filter((v) => v.outcome === 'fail').length;
  const data: AnalysisEventData = {
    verdicts: result.verdicts,
    decision: assessment.decision,
    reason: assessment.reason,
    failures: assessment.failures,
    observedSplit: result.observedSplit,
  };
  return {
    assessment,
    verdicts: result.verdicts,
    state: { ...ctx.state, runs },
    failedChecks: ctx.row.failedChecks + failed,
    event: {
      type: 'analysis',
      message: summary(result, assessment),
      data: data as unknown as Record<string, unknown>,
    },
  };
}

function compact(v: MetricVerdict): CompactVerdict {
  return { metric: v.metric, outcome: v.outcome };
}

function summary(result: AnalysisResult, a: Assessment): string {
  const parts = result.verdicts.map((v) => `${v.metric} ${v.outcome}: ${v.explanation}`).join(' ');
  const split = result.observedSplit.canaryShare;
  return `${a.reason} ${parts}${split === null ? '' : ` The canary served ${split} % of the service's requests.`}`;
}
