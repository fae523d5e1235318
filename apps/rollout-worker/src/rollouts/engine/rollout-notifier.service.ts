import type { DataSource } from 'typeorm';
import {
  GATE_WEBHOOKS,
  progressEvents,
  RolloutRepository,
  type RolloutEventDraft,
  type RolloutEventPublisher,
  type SecretBox,
  specOf,
  WEBHOOK_TYPES,
  type WebhookType,
} from '@heliomesh/core';
import { inTenantTx } from '@heliomesh/db';
import type { RolloutNotifyJobData } from '@heliomesh/queue';
import type { WebhookRunner } from '../webhooks/webhook-runner.service.js';
import { ENGINE_ACTOR } from './rollout-engine.service.js';

export type NotifyResult = 'delivered' | 'gave-up' | 'missing' | 'no-hooks';

export interface NotifyReport {
  rolloutId: string;
  type: string;
  deliveryId: string;
  result: NotifyResult;
}

/** Which delivery of the notification this is; the last one records a failure instead of throwing. */
export interface NotifyAttempt {
  attempt: number;
  final: boolean;
}

/** A receiver failed after the hook's own retries; the queue tries the job again later. */
export class NotificationFailedError extends Error {
  override readonly name = 'NotificationFailedError';
}

/**
 * Sends one notification (post-rollout, rollback) that a committed transition left in the
 * outbox. The job carries ids only: the row is re-read, so the body describes the rollout as it
 * is when delivered. Every delivery of one notification carries the same delivery id.
 */
export class RolloutNotifier {
  private readonly repo = new RolloutRepository();

  constructor(
    private readonly db: DataSource,
    private readonly webhooks: WebhookRunner,
    private readonly secrets: SecretBox,
    private readonly publisher: RolloutEventPublisher,
  ) {}

  async deliver(job: RolloutNotifyJobData, attempt: NotifyAttempt): Promise<NotifyReport> {
    const report = (result: NotifyResult): NotifyReport => ({
      rolloutId: job.rolloutId,
      type: job.type,
      deliveryId: job.deliveryId,
      result,
    });
    if (!isNotification(job.type)) return report('no-hooks');
    const row = await this.repo.find(this.db.manager, job.rolloutId);
    if (!row) return report('missing');
    const spec = specOf(row);
    const secret = row.webhookSecret && spec.webhooks.length ? this.secrets.open(row.webhookSecret) : null;
    const outcome = await this.webhooks.run(job.type, row, spec, secret, job.deliveryId);
    if (!outcome.event) return report('no-hooks');
    if (!outcome.passed && !attempt.final) throw new NotificationFailedError(outcome.event.message);
    const event: RolloutEventDraft = {
      ...outcome.event,
      message: outcome.passed
        ? outcome.event.message
        : `${outcome.event.message} Gave up after ${attempt.attempt} deliveries.`,
      data: { ...outcome.event.data, deliveryId: job.deliveryId, delivery: attempt.attempt },
    };
    const stored = await inTenantTx(this.db, row.tenantId, (m) =>
      this.repo.appendEvents(m, row, [event], ENGINE_ACTOR),
    );
    void this.publisher.publish(progressEvents(row, stored));
    return report(outcome.passed ? 'delivered' : 'gave-up');
  }
}

function isNotification(type: string): type is WebhookType {
  return (WEBHOOK_TYPES as readonly string[]).includes(type) && !GATE_WEBHOOKS.includes(type as WebhookType);
}
