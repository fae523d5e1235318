import type { JobsOptions, Queue } from 'bullmq';
import {
  type ReconcileJobData,
  reconcileJobId,
  type RolloutNotifyJobData,
  rolloutNotifyJobId,
  type RolloutTickJobData,
  rolloutTickJobId,
} from './job-data.types.js';
import { ROLLOUT_JOB_NAMES } from './queue-names.constant.js';

const KEEP = {
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 24 * 3_600 },
} satisfies JobsOptions;

/**
 * A burst of changes to one service becomes at most one running and one pending reconcile:
 * the pending one reads the latest state when it runs.
 */
export async function enqueueReconcile(queue: Queue, data: ReconcileJobData): Promise<string | undefined> {
  const id = reconcileJobId(data);
  const job = await queue.add('reconcile', data, {
    ...KEEP,
    deduplication: { id, keepLastIfActive: true },
    attempts: 8,
    backoff: { type: 'exponential', delay: 1_000 },
  });
  return job.id;
}

/** One delayed job per tick; the id makes a re-scheduled tick a no-op while the first exists. */
export async function enqueueRolloutTick(
  queue: Queue,
  data: RolloutTickJobData,
  delayMs: number,
): Promise<string | undefined> {
  const job = await queue.add(ROLLOUT_JOB_NAMES.tick, data, {
    ...KEEP,
    jobId: rolloutTickJobId(data),
    delay: Math.max(0, delayMs),
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
  });
  return job.id;
}

/** Attempts of a notification job; with the default 5 s backoff they span about 2.5 minutes. */
export const ROLLOUT_NOTIFY_ATTEMPTS = 6;

/**
 * One job per notification webhook, retried with exponential backoff when the receiver fails
 * (after the hook's own quick retries). The id makes a re-relayed outbox message a no-op.
 */
export async function enqueueRolloutNotify(
  queue: Queue,
  data: RolloutNotifyJobData,
  opts: { backoffMs?: number; attempts?: number } = {},
): Promise<string | undefined> {
  const job = await queue.add(ROLLOUT_JOB_NAMES.notify, data, {
    ...KEEP,
    jobId: rolloutNotifyJobId(data),
    attempts: opts.attempts ?? ROLLOUT_NOTIFY_ATTEMPTS,
    backoff: { type: 'exponential', delay: opts.backoffMs ?? 5_000 },
  });
  return job.id;
}
