import { type RolloutEventDraft, withSticky } from '@heliomesh/core';
import type { TickContext, TickOutcome } from '../tick.types.js';

/**
 * Checks the service and both versions exist, passes the pre-rollout gate (a failing gate holds,
 * and is tried again every interval), then pins the route to stable and starts the first step.
 */
export async function handleInitializing(ctx: TickContext): Promise<TickOutcome<'Initializing'>> {
  const problem = await ctx.deps.checkTarget(ctx.row);
  if (problem)
    return {
      to: 'Failed',
      change: { phaseReason: { code: 'service-missing', message: problem }, finished: true },
      events: [{ type: 'transition', message: `Failed before starting: ${problem}` }],
      audit: { action: 'rollout.failed', data: { reason: problem } },
      nextTickInMs: null,
      notify: ['post-rollout'],
    };
  const events: RolloutEventDraft[] = [];
  const gate = await ctx.deps.gate('pre-rollout', ctx.row);
  if (gate.event) events.push(gate.event);
  if (!gate.passed) return { change: {}, events, nextTickInMs: ctx.plan.intervalMs };
  return {
    to: 'Progressing',
    change: {
      stepIndex: 0,
      restartStep: true,
      stepState: {},
      route: withSticky({ canaryWeight: 0 }, ctx.plan),
      phaseReason: null,
    },
    events: [
      ...events,
      {
        type: 'transition',
        message: `Started: ${ctx.plan.steps.length} steps, analysis every ${ctx.plan.intervalMs / 1000}s; all traffic on ${ctx.row.stableVersion} until the first step.`,
      },
    ],
    audit: {
      action: 'rollout.started',
      data: { steps: ctx.plan.steps.length, gate: gate.event?.data ?? null },
    },
    nextTickInMs: 0,
  };
}
