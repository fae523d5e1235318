import type { RolloutEntity, RolloutPhase } from '@heliomesh/db';
import { assertUnreachable, HeliomeshError } from '@heliomesh/util';
import type { RolloutChange } from './rollout.repository.js';
import type { RolloutPlan } from './rollout-plan.util.js';
import type { PhaseReason, StepState } from './rollout.types.js';

/** What a human can ask of a rollout through the API. */
export type RolloutCommand =
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'promote'; full: boolean; skipAnalysis: boolean }
  | { kind: 'abort' }
  | { kind: 'retry' };

export interface CommandEffect {
  change: RolloutChange;
  message: string;
  /** The engine picks the rollout up at once, or never (paused for a human). */
  nextTickInMs: number | null;
}

function refuse(code: string, message: string): HeliomeshError {
  return new HeliomeshError({ code, status: 409, message });
}

function label(row: RolloutEntity): string {
  return `Rollout ${row.id} (${row.namespace}/${row.service} ${row.stableVersion} -> ${row.canaryVersion})`;
}

/**
 * The state change a command makes, or a 409 explaining why it cannot be made now. Pure: the
 * caller commits it with the row's version, so a command and a tick never both take effect on
 * the same state.
 */
export function commandEffect(row: RolloutEntity, plan: RolloutPlan, command: RolloutCommand): CommandEffect {
  switch (command.kind) {
    case 'pause':
      return pause(row);
    case 'resume':
      return resume(row);
    case 'promote':
      return promote(row, plan, command.full, command.skipAnalysis);
    case 'abort':
      return abort(row);
    case 'retry':
      return retry(row);
    default:
      return assertUnreachable(command, 'rollout command');
  }
}

function pause(row: RolloutEntity): CommandEffect {
  if (row.phase !== 'Progressing' && row.phase !== 'Promoting')
    throw refuse(
      'ROLLOUT_NOT_PAUSABLE',
      `${label(row)} is ${row.phase}; only a Progressing or Promoting rollout can be paused.`,
    );
  const reason: PhaseReason = { code: 'manual', message: 'Paused by a human; resume, promote or abort it.' };
  return {
    change: { phase: 'Paused', phaseReason: reason, resumePhase: row.phase },
    message: `Paused at step ${row.stepIndex} with the canary at ${row.canaryWeight} %.`,
    nextTickInMs: null,
  };
}

function resume(row: RolloutEntity): CommandEffect {
  if (row.phase !== 'Paused')
    throw refuse(
      'ROLLOUT_NOT_PAUSED',
      `${label(row)} is ${row.phase}, not Paused; there is nothing to resume.`,
    );
  const to: RolloutPhase = row.resumePhase ?? 'Progressing';
  const reason = (row.phaseReason as PhaseReason | null)?.code;
  const base: RolloutChange = { phase: to, phaseReason: null, resumePhase: null };
  if (reason === 'pause-step')
    return {
      change: { ...base, stepIndex: row.stepIndex + 1 },
      message: `Resumed: pause step ${row.stepIndex} is done.`,
      nextTickInMs: 0,
    };
  // After a failure, a freeze or a long wait for data the step's analysis starts over.
  const restart = reason === 'analysis-failed' || reason === 'frozen' || reason === 'no-data';
  return {
    change: restart ? { ...base, restartStep: true, stepState: keepPromotion(row) } : base,
    message: restart
      ? `Resumed: step ${row.stepIndex} starts over with a fresh analysis.`
      : `Resumed at step ${row.stepIndex}.`,
    nextTickInMs: 0,
  };
}

/** In Promoting the switch to 100 % and the bake start survive a restart of the analysis. */
function keepPromotion(row: RolloutEntity): StepState {
  const s = row.stepState as StepState;
  return row.resumePhase === 'Promoting' && s.switched ? { switched: true } : {};
}

function promote(row: RolloutEntity, plan: RolloutPlan, full: boolean, skipAnalysis: boolean): CommandEffect {
  const effective = row.phase === 'Paused' ? (row.resumePhase ?? 'Progressing') : row.phase;
  const state = row.stepState as StepState;
  if (effective === 'Promoting') {
    if (!(full && skipAnalysis) || state.skipAnalysis)
      throw refuse(
        'ROLLOUT_ALREADY_PROMOTING',
        `${label(row)} is already being promoted; only { full: true, skipAnalysis: true } (skipping the bake) changes anything now.`,
      );
    return {
      change: {
        phase: 'Promoting',
        phaseReason: null,
        resumePhase: null,
        stepState: { ...state, skipAnalysis: true },
      },
      message: 'Promoted without the remaining bake analysis.',
      nextTickInMs: 0,
    };
  }
  if (effective !== 'Progressing')
    throw refuse(
      'ROLLOUT_NOT_PROMOTABLE',
      `${label(row)} is ${row.phase}; only a running rollout can be promoted.`,
    );
  const ahead = plan.steps.slice(row.stepIndex, full ? undefined : row.stepIndex + 1);
  if (!skipAnalysis && ahead.some((s) => s.kind === 'analysis'))
    throw refuse(
      'ANALYSIS_WOULD_BE_SKIPPED',
      `Promoting now would skip ${full ? 'the remaining' : 'the current'} analysis; send { "skipAnalysis": true, "reason": "..." } to do it anyway (it is audited).`,
    );
  const base: RolloutChange = { phaseReason: null, resumePhase: null };
  if (full || row.stepIndex + 1 >= plan.steps.length)
    return {
      change: {
        ...base,
        phase: 'Promoting',
        stepIndex: plan.steps.length,
        restartStep: true,
        stepState: skipAnalysis ? { skipAnalysis: true } : {},
      },
      message: `Promoted${full ? ' fully' : ''}: skipping to promotion${skipAnalysis ? ' without analysis' : ''}.`,
      nextTickInMs: 0,
    };
  return {
    change: { ...base, phase: 'Progressing', stepIndex: row.stepIndex + 1 },
    message: `Promoted: step ${row.stepIndex} skipped${skipAnalysis ? ' without analysis' : ''}.`,
    nextTickInMs: 0,
  };
}

function abort(row: RolloutEntity): CommandEffect {
  if (
    row.phase === 'RollingBack' ||
    row.phase === 'Succeeded' ||
    row.phase === 'RolledBack' ||
    row.phase === 'Failed' ||
    row.phase === 'Aborted'
  )
    throw refuse('ROLLOUT_NOT_ABORTABLE', `${label(row)} is ${row.phase}; there is nothing to abort.`);
  return {
    change: {
      phase: 'RollingBack',
      phaseReason: {
        code: 'aborted',
        message: 'Aborted by a human; traffic returns to stable.',
        outcome: 'Aborted',
      },
      resumePhase: null,
      restartStep: true,
      stepState: {},
    },
    message: 'Aborted: sending all traffic back to the stable version.',
    nextTickInMs: 0,
  };
}

function retry(row: RolloutEntity): CommandEffect {
  if (row.phase !== 'RolledBack' && row.phase !== 'Failed' && row.phase !== 'Aborted')
    throw refuse(
      'ROLLOUT_NOT_RETRYABLE',
      row.phase === 'Succeeded'
        ? `${label(row)} succeeded; start a new rollout to ship another version.`
        : `${label(row)} is ${row.phase}; only a rolled-back, failed or aborted rollout can be retried.`,
    );
  return {
    change: {
      phase: 'Initializing',
      phaseReason: null,
      resumePhase: null,
      stepIndex: 0,
      restartStep: true,
      stepState: {},
      route: null,
      failedChecks: 0,
      attempt: row.attempt + 1,
      finished: false,
    },
    message: `Retrying: attempt ${row.attempt + 1} starts from the first step with the same spec.`,
    nextTickInMs: 0,
  };
}
