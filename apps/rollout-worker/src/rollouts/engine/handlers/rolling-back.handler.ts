import type { PhaseReason, RolloutRouteState } from '@heliomesh/core';
import { canonicalJson } from '@heliomesh/util';
import { type TickContext, type TickOutcome, verifyPollMs } from '../tick.types.js';

/**
 * Sends all traffic back to stable (no mirror, no A/B route), notifies the rollback hooks, and
 * ends in the outcome recorded when the rollback started once the cluster has applied it.
 */
export async function handleRollingBack(ctx: TickContext): Promise<TickOutcome<'RollingBack'>> {
  const { row, state } = ctx;
  const stable: RolloutRouteState = { canaryWeight: 0 };
  const reason = row.phaseReason as PhaseReason | null;
  if (canonicalJson(row.route) !== canonicalJson(stable) || !state.notified)
    return {
      change: { route: stable, stepState: { ...state, notified: true } },
      events: [
        {
          type: 'route',
          message: `Route set: all traffic back to ${row.stableVersion}.`,
          data: { route: stable },
        },
      ],
      nextTickInMs: verifyPollMs(ctx),
      notify: state.notified ? [] : ['rollback'],
    };
  if (!(await ctx.deps.traffic.verify(ctx.target, stable)))
    return {
      change: {},
      events: [
        {
          type: 'hold',
          message: `Waiting for the cluster to send all traffic back to ${row.stableVersion}.`,
        },
      ],
      nextTickInMs: verifyPollMs(ctx),
    };
  const outcome = reason?.outcome ?? 'RolledBack';
  return {
    to: outcome,
    change: { finished: true },
    events: [{ type: 'transition', message: `${outcome}: all traffic is on ${row.stableVersion}.` }],
    audit: {
      action:
        outcome === 'Aborted'
          ? 'rollout.aborted'
          : outcome === 'Failed'
            ? 'rollout.failed'
            : 'rollout.rolled-back',
      data: { reason },
    },
    nextTickInMs: null,
    notify: ['post-rollout'],
  };
}
