import type { DataSource } from 'typeorm';
import type { RequestContext } from '../common/request-context.types.js';
import type { RolloutEventType, RolloutEventView } from '../rollouts/rollout.types.js';
import { groupBy, readBatch } from './loader-scope.util.js';

export interface RolloutEventsQuery {
  /** Only events after this sequence number (default 0: from the first). */
  afterSeq?: number;
  /** At most this many per rollout (default 100). */
  limit?: number;
  /** Only events of this type (analysis events carry the measurements). */
  type?: RolloutEventType;
  /** The newest `limit` instead of the oldest; returned oldest first either way. */
  newest?: boolean;
}

interface RawEvent {
  rollout_id: string;
  seq: number;
  tick: number;
  attempt: number;
  type: RolloutEventType;
  phase: RolloutEventView['phase'];
  step_index: number;
  canary_weight: number;
  actor: string;
  message: string;
  data: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * The events of many rollouts in one statement (RolloutsService.events answers for one): a
 * window per rollout keeps each list to `limit` however long a rollout has run.
 */
export function loadRolloutEvents(
  db: DataSource,
  ctx: RequestContext,
  rolloutIds: readonly string[],
  query: RolloutEventsQuery = {},
): Promise<Map<string, RolloutEventView[]>> {
  return readBatch(db, ctx, rolloutIds, async (m, valid) => {
    const rows: RawEvent[] = await m.query(
      `SELECT * FROM (
         SELECT e.*, row_number() OVER (PARTITION BY e.rollout_id ORDER BY e.seq ${query.newest ? 'DESC' : 'ASC'}) AS rn
         FROM rollout_events e
         WHERE e.rollout_id = ANY($1::uuid[]) AND e.seq > $2 AND ($3::text IS NULL OR e.type = $3)
       ) x WHERE rn <= $4 ORDER BY rollout_id, seq`,
      [valid, query.afterSeq ?? 0, query.type ?? null, query.limit ?? 100],
    );
    return groupBy(rows.map(eventView), (e) => e.rolloutId);
  });
}

/** The same view RolloutsService.events returns. */
function eventView(r: RawEvent): RolloutEventView {
  return {
    rolloutId: r.rollout_id,
    seq: Number(r.seq),
    tick: Number(r.tick),
    attempt: Number(r.attempt),
    type: r.type,
    phase: r.phase,
    stepIndex: Number(r.step_index),
    canaryWeight: Number(r.canary_weight),
    actor: r.actor,
    message: r.message,
    data: r.data,
    occurredAt: r.occurred_at.toISOString(),
  };
}
