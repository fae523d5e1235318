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

/** BullMQ rejects `:` in custom job ids, so ids are joined with dashes. */
export function reconcileJobId(data: Pick<ReconcileJobData, 'serviceId'>): string {
  return `reconcile-${data.serviceId}`;
}

export function rolloutTickJobId(data: RolloutTickJobData): string {
  return `rollout-${data.rolloutId}-tick-${data.tick}`;
}
