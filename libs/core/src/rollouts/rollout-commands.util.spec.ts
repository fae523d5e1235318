import { RolloutEntity, type RolloutPhase } from '@heliomesh/db';
import { HeliomeshError } from '@heliomesh/util';
import { describe, expect, it } from 'vitest';
import { commandEffect, type RolloutCommand } from './rollout-commands.util.js';
import { planRollout } from './rollout-plan.util.js';
import { parseRolloutSpec } from './rollout-spec.util.js';
import { canTransition, ROLLOUT_PHASES } from './rollout-state-machine.js';
import type { PhaseReason, StepState } from './rollout.types.js';

const spec = parseRolloutSpec({
  target: { namespace: 'shop', service: 'reviews' },
  stable: 'v1',
  canary: 'v2',
  analysis: {
    interval: '2s',
    metrics: [{ name: 's', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } }],
  },
  strategy: {
    type: 'canary',
    steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { analysis: {} }],
  },
});
const plan = planRollout(spec);

function row(phase: RolloutPhase, extra: Partial<RolloutEntity> = {}): RolloutEntity {
  return Object.assign(new RolloutEntity(), {
    id: '00000000-0000-0000-0000-0000000000aa',
    namespace: 'shop',
    service: 'reviews',
    stableVersion: 'v1',
    canaryVersion: 'v2',
    phase,
    phaseReason: null,
    resumePhase: null,
    stepIndex: 0,
    stepState: {},
    canaryWeight: 10,
    attempt: 1,
    ...extra,
  });
}

function refusal(r: RolloutEntity, command: RolloutCommand): HeliomeshError {
  try {
    commandEffect(r, plan, command);
  } catch (err) {
    if (err instanceof HeliomeshError) return err;
    throw err;
  }
  throw new Error(`expected ${command.kind} to be refused in ${r.phase}`);
}

const COMMANDS: RolloutCommand[] = [
  { kind: 'pause' },
  { kind: 'resume' },
  { kind: 'promote', full: false, skipAnalysis: true },
  { kind: 'promote', full: true, skipAnalysis: true },
  { kind: 'abort' },
  { kind: 'retry' },
];

describe('rollout commands', () => {
  it('either refuse with a 409 or make a legal transition, in every phase', () => {
    for (const phase of ROLLOUT_PHASES)
      for (const command of COMMANDS) {
        const current = row(phase, phase === 'Paused' ? { resumePhase: 'Progressing' } : {});
        let effect;
        try {
          effect = commandEffect(current, plan, command);
        } catch (err) {
          expect(err).toBeInstanceOf(HeliomeshError);
          expect((err as HeliomeshError).status).toBe(409);
          continue;
        }
        const to = effect.change.phase ?? phase;
        if (to !== phase) expect(canTransition(phase, to), `${command.kind} ${phase} -> ${to}`).toBe(true);
      }
  });

  it('pauses a running rollout for a human and resumes where it was', () => {
    const paused = commandEffect(row('Progressing', { stepIndex: 3 }), plan, { kind: 'pause' });
    expect(paused.change).toMatchObject({
      phase: 'Paused',
      resumePhase: 'Progressing',
      phaseReason: { code: 'manual' },
    });
    expect(paused.nextTickInMs).toBeNull();
    const resumed = commandEffect(
      row('Paused', {
        stepIndex: 3,
        resumePhase: 'Progressing',
        phaseReason: { code: 'manual', message: '' },
      }),
      plan,
      { kind: 'resume' },
    );
    expect(resumed.change).toEqual({ phase: 'Progressing', phaseReason: null, resumePhase: null });
    expect(resumed.nextTickInMs).toBe(0);
    expect(refusal(row('Succeeded'), { kind: 'pause' }).code).toBe('ROLLOUT_NOT_PAUSABLE');
    expect(refusal(row('Progressing'), { kind: 'resume' }).code).toBe('ROLLOUT_NOT_PAUSED');
  });

  it('resuming a pause step completes it; resuming after a failure restarts the step', () => {
    const pauseStep = row('Paused', {
      stepIndex: 1,
      resumePhase: 'Progressing',
      phaseReason: { code: 'pause-step', message: '' },
    });
    expect(commandEffect(pauseStep, plan, { kind: 'resume' }).change.stepIndex).toBe(2);
    for (const code of ['analysis-failed', 'frozen', 'no-data'] as const) {
      const reason: PhaseReason = { code, message: '' };
      const state: StepState = { runs: [{ verdicts: [{ metric: 's', outcome: 'fail' }] }], passes: 0 };
      const effect = commandEffect(
        row('Paused', { stepIndex: 3, resumePhase: 'Progressing', phaseReason: reason, stepState: state }),
        plan,
        { kind: 'resume' },
      );
      expect(effect.change).toMatchObject({ restartStep: true, stepState: {} });
    }
  });

  it('promotes the current step, refusing to skip analysis without being told to', () => {
    expect(
      commandEffect(row('Paused', { stepIndex: 1, resumePhase: 'Progressing' }), plan, {
        kind: 'promote',
        full: false,
        skipAnalysis: false,
      }).change,
    ).toMatchObject({
      phase: 'Progressing',
      stepIndex: 2,
    });
    const atAnalysis = row('Progressing', { stepIndex: 3 });
    expect(refusal(atAnalysis, { kind: 'promote', full: false, skipAnalysis: false }).code).toBe(
      'ANALYSIS_WOULD_BE_SKIPPED',
    );
    expect(
      commandEffect(atAnalysis, plan, { kind: 'promote', full: false, skipAnalysis: true }).change,
    ).toMatchObject({
      phase: 'Promoting',
      stepIndex: 4,
      stepState: { skipAnalysis: true },
    });
  });

  it('promotes fully, skipping every remaining step only with skipAnalysis', () => {
    expect(refusal(row('Progressing'), { kind: 'promote', full: true, skipAnalysis: false }).code).toBe(
      'ANALYSIS_WOULD_BE_SKIPPED',
    );
    expect(
      commandEffect(row('Progressing'), plan, { kind: 'promote', full: true, skipAnalysis: true }).change,
    ).toMatchObject({
      phase: 'Promoting',
      stepIndex: plan.steps.length,
    });
    const promoting = row('Promoting', { stepState: { switched: true } });
    expect(refusal(promoting, { kind: 'promote', full: true, skipAnalysis: false }).code).toBe(
      'ROLLOUT_ALREADY_PROMOTING',
    );
    expect(
      commandEffect(promoting, plan, { kind: 'promote', full: true, skipAnalysis: true }).change.stepState,
    ).toEqual({
      switched: true,
      skipAnalysis: true,
    });
  });

  it('aborts into a rollback that ends in Aborted', () => {
    const effect = commandEffect(row('Promoting'), plan, { kind: 'abort' });
    expect(effect.change).toMatchObject({
      phase: 'RollingBack',
      phaseReason: { code: 'aborted', outcome: 'Aborted' },
    });
    for (const phase of ['RollingBack', 'Succeeded', 'RolledBack', 'Failed', 'Aborted'] as const)
      expect(refusal(row(phase), { kind: 'abort' }).code).toBe('ROLLOUT_NOT_ABORTABLE');
  });

  it('retries a rolled-back, failed or aborted rollout from scratch without a new spec', () => {
    for (const phase of ['RolledBack', 'Failed', 'Aborted'] as const) {
      const effect = commandEffect(row(phase, { stepIndex: 3, attempt: 2, failedChecks: 4 }), plan, {
        kind: 'retry',
      });
      expect(effect.change).toMatchObject({
        phase: 'Initializing',
        stepIndex: 0,
        attempt: 3,
        failedChecks: 0,
        route: null,
        finished: false,
      });
    }
    expect(refusal(row('Succeeded'), { kind: 'retry' }).message).toMatch(/start a new rollout/);
    expect(refusal(row('Progressing'), { kind: 'retry' }).code).toBe('ROLLOUT_NOT_RETRYABLE');
  });
});
