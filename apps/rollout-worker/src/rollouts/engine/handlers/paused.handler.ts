import type { PhaseReason } from '@heliomesh/core';
import type { TickContext, TickOutcome } from '../tick.types.js';

/**
 * Only a pause caused by the metrics provider ticks: it resumes by itself as soon as the
 * provider answers again. Every other pause waits for a human (no ticks are scheduled for it).
 */
export async function handlePaused(ctx: TickContext): Promise<TickOutcome<'Paused'>> {
  const reason = ctx.row.phaseReason as PhaseReason | null;
  if (reason?.code !== 'provider-error') return { change: {}, events: [], nextTickInMs: null };
  if (!(await ctx.deps.providerOnline()))
    return {
      change: {},
      events: [{ type: 'hold', message: 'The metrics provider still does not answer; staying paused.' }],
      nextTickInMs: ctx.plan.intervalMs,
    };
  const to = ctx.row.resumePhase === 'Promoting' ? 'Promoting' : 'Progressing';
  return {
    to,
    change: { phaseReason: null, resumePhase: null, stepState: { ...ctx.state } },
    events: [{ type: 'transition', message: `The metrics provider answers again; resuming (${to}).` }],
    audit: { action: 'rollout.resumed', data: { reason: 'provider-back' } },
    nextTickInMs: 0,
  };
}
