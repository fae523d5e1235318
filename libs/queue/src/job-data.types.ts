/** Payloads carry ids only: handlers re-read current state, so a late or repeated job is harmless. */

export type ReconcileReason = 'policy-change' | 'drift' | 'resync' | 'rollout';

export interface ReconcileJobData {
  tenantId: string;
  serviceId: string;
  reason: ReconcileReason;
}

export interface RolloutTickJobData {
  rolloutId: string;
  tick: number;
}

/**
 * One notification webhook (post-rollout, rollback) of one rollout transition. `type` is a
 * webhook type of @heliomesh/core (this lib does not import it); `deliveryId` names the
 * notification (`<rolloutId>-<type>-<tick>`), the same on every delivery of it.
 */
export interface RolloutNotifyJobData {
  rolloutId: string;
  type: string;
  deliveryId: string;
}

/** BullMQ rejects `:` in custom job ids, so ids are joined with dashes. */
export function reconcileJobId(data: Pick<ReconcileJobData, 'serviceId'>): string {
  return `reconcile-${data.serviceId}`;
}

export function rolloutTickJobId(data: RolloutTickJobData): string {
  return `rollout-${data.rolloutId}-tick-${data.tick}`;
}

/** One job per notification: a message relayed twice finds the first job and adds nothing. */
export function rolloutNotifyJobId(data: Pick<RolloutNotifyJobData, 'deliveryId'>): string {
  return `notify-${data.deliveryId}`;
}
