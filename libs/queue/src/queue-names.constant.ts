/**
 * Queue names. NEVER RENAME OR REMOVE ONE: jobs already in Redis (delayed rollout ticks,
 * stalled jobs of a crashed worker) are found by these names; a rename strands them.
 */
export const QUEUE_NAMES = {
  reconcile: 'reconcile',
  rollout: 'rollout',
  /** Periodic service discovery and full resync, run by one worker at a time. */
  discovery: 'discovery',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/**
 * Job names on the rollout queue; the processor dispatches on them. NEVER RENAME OR REMOVE ONE:
 * delayed and retrying jobs already in Redis carry the name they were added with.
 */
export const ROLLOUT_JOB_NAMES = {
  tick: 'tick',
  notify: 'notify',
} as const;

/**
 * One lock duration and stalled-check interval for every worker. BullMQ throttles stalled
 * checks with a Redis key set by whichever worker runs first, so one worker with other values
 * slows crash recovery for all of them. With these, a crashed worker's job moves to another
 * worker within about three seconds.
 */
export const WORKER_LOCK_DURATION_MS = 2_000;
export const WORKER_STALLED_INTERVAL_MS = 1_000;
/** A job whose worker died this many times is failed rather than retried forever. */
export const WORKER_MAX_STALLED_COUNT = 3;

export const WORKER_TIMING = {
  lockDuration: WORKER_LOCK_DURATION_MS,
  stalledInterval: WORKER_STALLED_INTERVAL_MS,
  maxStalledCount: WORKER_MAX_STALLED_COUNT,
} as const;
