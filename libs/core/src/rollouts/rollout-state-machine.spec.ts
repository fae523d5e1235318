import { HeliomeshError } from '@heliomesh/util';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_PHASES,
  assertTransition,
  canTransition,
  isTerminal,
  type NextPhase,
  ROLLOUT_PHASES,
  ROLLOUT_TRANSITIONS,
  type RolloutPhase,
} from './rollout-state-machine.js';

/** The intended machine, written out independently of the table under test. */
const LEGAL = new Set([
  'Initializing>Progressing',
  'Initializing>RollingBack',
  'Initializing>Failed',
  'Progressing>Paused',
  'Progressing>Promoting',
  'Progressing>RollingBack',
  'Progressing>Failed',
  'Paused>Progressing',
  'Paused>Promoting',
  'Paused>RollingBack',
  'Paused>Failed',
  'Promoting>Succeeded',
  'Promoting>Paused',
  'Promoting>RollingBack',
  'Promoting>Failed',
  'RollingBack>RolledBack',
  'RollingBack>Aborted',
  'RollingBack>Failed',
  'RolledBack>Initializing',
  'Failed>Initializing',
  'Aborted>Initializing',
]);

describe('rollout state machine', () => {
  const pairs = ROLLOUT_PHASES.flatMap((from) => ROLLOUT_PHASES.map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s is legal exactly when the design says so', (from, to) => {
    const legal = LEGAL.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(legal);
    if (legal) expect(() => assertTransition(from, to)).not.toThrow();
    else {
      let error: unknown;
      try {
        assertTransition(from, to);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(HeliomeshError);
      expect((error as HeliomeshError).code).toBe('ROLLOUT_ILLEGAL_TRANSITION');
      expect((error as HeliomeshError).status).toBe(409);
      expect((error as HeliomeshError).message).toContain(`from ${from} to ${to}`);
    }
  });

  it('has no self-loops, and Succeeded is final', () => {
    for (const phase of ROLLOUT_PHASES) expect(canTransition(phase, phase)).toBe(false);
    expect(ROLLOUT_TRANSITIONS.Succeeded).toEqual([]);
    expect(() => assertTransition('Succeeded', 'Initializing')).toThrow(/nothing \(it is final\)/);
  });

  it('reaches a terminal phase from every phase, and every phase from Initializing', () => {
    const reachable = (start: RolloutPhase) => {
      const seen = new Set<RolloutPhase>([start]);
      const queue = [start];
      while (queue.length)
        for (const next of ROLLOUT_TRANSITIONS[queue.shift()!])
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
      return seen;
    };
    for (const phase of ROLLOUT_PHASES) expect([...reachable(phase)].some(isTerminal)).toBe(true);
    expect([...reachable('Initializing')].sort()).toEqual([...ROLLOUT_PHASES].sort());
  });

  it('calls exactly the four end states terminal', () => {
    expect(ROLLOUT_PHASES.filter(isTerminal)).toEqual(['Succeeded', 'RolledBack', 'Failed', 'Aborted']);
    expect(ACTIVE_PHASES).toEqual(['Initializing', 'Progressing', 'Paused', 'Promoting', 'RollingBack']);
  });

  it('rejects illegal transitions at compile time', () => {
    const fromProgressing: NextPhase<'Progressing'> = 'Promoting';
    // @ts-expect-error a running canary cannot jump straight to Succeeded
    const skip: NextPhase<'Progressing'> = 'Succeeded';
    // @ts-expect-error nothing leaves Succeeded
    const revive: NextPhase<'Succeeded'> = 'Initializing';
    expect([fromProgressing, skip, revive]).toHaveLength(3);
  });
});
