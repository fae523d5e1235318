import type { PhaseReason } from '@heliomesh/core';
import { assertUnreachable } from '@heliomesh/util';
import type { TickContext, TickOutcome } from '../tick.types.js';
import type { JudgedRun } from './analysis-step.util.js';

/** An outcome both Progressing and Promoting may return (moves legal from each). */
type SharedOutcome = TickOutcome<'Progressing'> & TickOutcome<'Promoting'>;

/**
 * A provider error pauses (and the engine keeps checking the provider, resuming by itself once it
 * answers); data that never comes pauses for a human. Neither is a failed check.
 */
export function providerPause(
  ctx: TickContext,
  run: JudgedRun,
  resumePhase: 'Progressing' | 'Promoting',
): SharedOutcome {
  const failed = run.verdicts.find((v) => v.outcome === 'provider-error');
  const providerDown = failed !== undefined;
  const reason: PhaseReason = providerDown
    ? {
        code: 'provider-error',
        message: `${run.assessment.reason} ${failed.explanation} Resumes by itself when the provider answers.`,
      }
    : { code: 'no-data', message: run.assessment.reason };
  return {
    to: 'Paused',
    change: { failedChecks: run.failedChecks, stepState: run.state, phaseReason: reason, resumePhase },
    events: [run.event, { type: 'transition', message: reason.message }],
    audit: { action: 'rollout.paused', data: { reason: reason.code, verdicts: run.verdicts } },
    nextTickInMs: providerDown ? ctx.plan.intervalMs : null,
  };
}

/** The rollout's onFailure: roll back, pause with traffic on stable, or freeze the split as it is. */
export function onAnalysisFailure(
  ctx: TickContext,
  run: JudgedRun,
  code: 'analysis-failed' | 'bake-regression',
): SharedOutcome {
  const evidence = { verdicts: run.verdicts, failures: run.assessment.failures };
  const action = ctx.spec.onFailure;
  switch (action) {
    case 'rollback':
      return {
        to: 'RollingBack',
        change: {
          failedChecks: run.failedChecks,
          restartStep: true,
          stepState: {},
          phaseReason: { code, message: `${run.assessment.reason} Rolling back.`, outcome: 'RolledBack' },
        },
        events: [
          run.event,
          {
            type: 'transition',
            message: `${run.assessment.reason} Rolling back to ${ctx.row.stableVersion}.`,
          },
        ],
        audit: { action: 'rollout.analysis-failed', data: { onFailure: action, ...evidence } },
        nextTickInMs: 0,
      };
    case 'pause':
      return {
        to: 'Paused',
        change: {
          failedChecks: run.failedChecks,
          stepState: run.state,
          route: { canaryWeight: 0 },
          phaseReason: {
            code,
            message: `${run.assessment.reason} Paused with all traffic on ${ctx.row.stableVersion}; resume (the step starts over), promote or abort.`,
          },
          resumePhase: ctx.row.phase === 'Promoting' ? 'Promoting' : 'Progressing',
        },
        events: [
          run.event,
          {
            type: 'transition',
            message: `${run.assessment.reason} Paused; traffic back on ${ctx.row.stableVersion}.`,
          },
        ],
        audit: { action: 'rollout.analysis-failed', data: { onFailure: action, ...evidence } },
        nextTickInMs: null,
      };
    case 'freeze':
      return {
        to: 'Paused',
        change: {
          failedChecks: run.failedChecks,
          stepState: run.state,
          phaseReason: {
            code: 'frozen',
            message: `${run.assessment.reason} Frozen at canary ${ctx.row.canaryWeight} %: the split stays as it is until a human resumes, promotes or aborts.`,
          },
          resumePhase: ctx.row.phase === 'Promoting' ? 'Promoting' : 'Progressing',
        },
        events: [
          run.event,
          {
            type: 'transition',
            message: `${run.assessment.reason} Frozen at canary ${ctx.row.canaryWeight} %.`,
          },
        ],
        audit: { action: 'rollout.analysis-failed', data: { onFailure: action, ...evidence } },
        nextTickInMs: null,
      };
    default:
      return assertUnreachable(action, 'onFailure');
  }
}
