import { ROLLOUT_PHASES, type RolloutPhase, TERMINAL_ROLLOUT_PHASES } from '@heliomesh/db';
import { HeliomeshError } from '@heliomesh/util';

export { ROLLOUT_PHASES, type RolloutPhase };

/**
 * Every legal move. A handler for phase F can only return `NextPhase<F>` (the compiler rejects
 * anything else), and anything that reaches the database through a command or a loaded row is
 * checked against the same table at run time.
 *
 * - Initializing: pre-rollout gates, versions checked, the route pinned to stable.
 * - Progressing: the plan's steps; Paused on a pause step, a provider error or onFailure pause/freeze.
 * - Promoting: confirm-promotion gate, 100 % to the canary, bake.
 * - RollingBack: traffic back to stable, then RolledBack (analysis), Aborted (a human) or Failed.
 * - Retry restarts a finished-but-not-succeeded rollout as it was, without a new spec.
 */
export const ROLLOUT_TRANSITIONS = {
  Initializing: ['Progressing', 'RollingBack', 'Failed'],
  Progressing: ['Paused', 'Promoting', 'RollingBack', 'Failed'],
  Paused: ['Progressing', 'Promoting', 'RollingBack', 'Failed'],
  Promoting: ['Succeeded', 'Paused', 'RollingBack', 'Failed'],
  RollingBack: ['RolledBack', 'Aborted', 'Failed'],
  Succeeded: [],
  RolledBack: ['Initializing'],
  Failed: ['Initializing'],
  Aborted: ['Initializing'],
} as const satisfies Record<RolloutPhase, readonly RolloutPhase[]>;

export type NextPhase<F extends RolloutPhase> = (typeof ROLLOUT_TRANSITIONS)[F][number];

/** Where a rollback ends, recorded when it starts. */
export type RollbackOutcome = Extract<NextPhase<'RollingBack'>, RolloutPhase>;

export function canTransition(from: RolloutPhase, to: RolloutPhase): boolean {
  return (ROLLOUT_TRANSITIONS[from] as readonly RolloutPhase[]).includes(to);
}

export function assertTransition(from: RolloutPhase, to: RolloutPhase): void {
  if (!canTransition(from, to))
    throw new HeliomeshError({
      code: 'ROLLOUT_ILLEGAL_TRANSITION',
      status: 409,
      message: `A rollout cannot go from ${from} to ${to}; from ${from} it can go to ${
        ROLLOUT_TRANSITIONS[from].length ? ROLLOUT_TRANSITIONS[from].join(', ') : 'nothing (it is final)'
      }.`,
    });
}

export function isTerminal(phase: RolloutPhase): boolean {
  return (TERMINAL_ROLLOUT_PHASES as readonly RolloutPhase[]).includes(phase);
}

/** Phases in which the rollout drives its service's route. */
export function drivesTraffic(phase: RolloutPhase): boolean {
  return !isTerminal(phase);
}

export const ACTIVE_PHASES: readonly RolloutPhase[] = ROLLOUT_PHASES.filter((p) => !isTerminal(p));
