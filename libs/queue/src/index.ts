export {
  type ReconcileJobData,
  reconcileJobId,
  type ReconcileReason,
  type RolloutNotifyJobData,
  rolloutNotifyJobId,
  type RolloutTickJobData,
  rolloutTickJobId,
} from './job-data.types.js';
export {
  enqueueReconcile,
  enqueueRolloutNotify,
  enqueueRolloutTick,
  ROLLOUT_NOTIFY_ATTEMPTS,
} from './producers.util.js';
export { QUEUE_CONNECTION, QueueModule, type QueueModuleOptions } from './queue.module.js';
export {
  QUEUE_NAMES,
  type QueueName,
  ROLLOUT_JOB_NAMES,
  WORKER_LOCK_DURATION_MS,
  WORKER_MAX_STALLED_COUNT,
  WORKER_STALLED_INTERVAL_MS,
  WORKER_TIMING,
} from './queue-names.constant.js';
export { redisOptionsFromUrl } from './redis-options.util.js';
export { createRedisProbe } from './redis-probe.util.js';
