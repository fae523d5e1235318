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

type FailureCode = 'analysis-failed' | 'bake-regression';

/** The rollout's onFailure: roll back, pause with traffic on stable, or freeze the split as it is. */
export function onAnalysisFailure(ctx: TickContext, run: JudgedRun, code: FailureCode): SharedOutcome {
  const action = ctx.spec.onFailure;
  const audit = {
    action: 'rollout.analysis-failed',
    data: { onFailure: action, verdicts: run.verdicts, failures: run.assessment.failures },
  };
  switch (action) {
    case 'rollback':
      return { ...rollBack(ctx, run, code), audit };
    case 'pause':
      return { ...pauseOnStable(ctx, run, code), audit };
    case 'freeze':
      return { ...freeze(ctx, run), audit };
    default:
      return assertUnreachable(action, 'onFailure');
  }
}

function transition(run: JudgedRun, message: string): SharedOutcome['events'] {
  return [run.event, { type: 'transition', message }];
}

function resumePhaseOf(ctx: TickContext): 'Progressing' | 'Promoting' {
  return ctx.row.phase === 'Promoting' ? 'Promoting' : 'Progressing';
}

function rollBack(ctx: TickContext, run: JudgedRun, code: FailureCode): SharedOutcome {
  const why = run.assessment.reason;
  return {
    to: 'RollingBack',
    change: {
      failedChecks: run.failedChecks,
      restartStep: true,
      stepState: {},
      phaseReason: { code, message: `${why} Rolling back.`, outcome: 'RolledBack' },
    },
    events: transition(run, `${why} Rolling back to ${ctx.row.stableVersion}.`),
    nextTickInMs: 0,
  };
}

function pauseOnStable(ctx: TickContext, run: JudgedRun, code: FailureCode): SharedOutcome {
  const why = run.assessment.reason;
  const stable = ctx.row.stableVersion;
  return {
    to: 'Paused',
    change: {
      failedChecks: run.failedChecks,
      stepState: run.state,
      route: { canaryWeight: 0 },
      phaseReason: {
        code,
        message: `${why} Paused with all traffic on ${stable}; resume (the step starts over), promote or abort.`,
      },
      resumePhase: resumePhaseOf(ctx),
    },
    events: transition(run, `${why} Paused; traffic back on ${stable}.`),
    nextTickInMs: null,
  };
}

/** For changes that cannot be undone (F#1186): neither more traffic nor a rollback without a human. */
function freeze(ctx: TickContext, run: JudgedRun): SharedOutcome {
  const why = run.assessment.reason;
  const weight = ctx.row.canaryWeight;
  return {
    to: 'Paused',
    change: {
      failedChecks: run.failedChecks,
      stepState: run.state,
      phaseReason: {
        code: 'frozen',
        message: `${why} Frozen at canary ${weight} %: the split stays as it is until a human resumes, promotes or aborts.`,
      },
      resumePhase: resumePhaseOf(ctx),
    },
    events: transition(run, `${why} Frozen at canary ${weight} %.`),
    nextTickInMs: null,
  };
}
