import type { JobsOptions, Queue } from 'bullmq';
import {
  type ReconcileJobData,
  reconcileJobId,
  type RolloutTickJobData,
  rolloutTickJobId,
} from './job-data.types.js';

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
  const job = await queue.add('tick', data, {
    ...KEEP,
    jobId: rolloutTickJobId(data),
    delay: Math.max(0, delayMs),
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
  });
  return job.id;
}
