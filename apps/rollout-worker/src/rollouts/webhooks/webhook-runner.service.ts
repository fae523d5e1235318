import { GATE_WEBHOOKS, type RolloutEventDraft, type RolloutSpec, type WebhookType } from '@heliomesh/core';
import type { RolloutEntity } from '@heliomesh/db';
import type { WebhookCaller, WebhookCallResult } from './webhook.client.js';

export interface GateOutcome {
  passed: boolean;
  /** One event with every call's result; absent when the rollout has no hook of that type. */
  event?: RolloutEventDraft;
}

/**
 * Runs a rollout's hooks of one type. Gates (pre-rollout, rollout, confirm-promotion) decide:
 * any failure holds the rollout where it is. Notifications (post-rollout, rollback) only report,
 * and are at-least-once: the transition that sends one writes an outbox message in its own
 * transaction, and a queue job runs them here with the notification's delivery id, retried
 * with backoff until the receivers answer 2xx (see RolloutNotifier). A receiver can see a
 * notification more than once and deduplicates on the X-Heliomesh-Delivery header.
 */
export class WebhookRunner {
  constructor(private readonly caller: WebhookCaller) {}

  async run(
    type: WebhookType,
    row: RolloutEntity,
    spec: RolloutSpec,
    secret: string | null,
    deliveryId?: string,
  ): Promise<GateOutcome> {
    const hooks = spec.webhooks.filter((h) => h.type === type);
    if (hooks.length === 0) return { passed: true };
    const base = {
      event: type,
      rolloutId: row.id,
      tenantId: row.tenantId,
      namespace: row.namespace,
      service: row.service,
      stable: row.stableVersion,
      canary: row.canaryVersion,
      phase: row.phase,
      stepIndex: row.stepIndex,
      canaryWeight: row.canaryWeight,
      attempt: row.attempt,
    };
    const results: WebhookCallResult[] = [];
    for (const hook of hooks) results.push(await this.caller.call(hook, base, secret, deliveryId));
    const failed = results.filter((r) => !r.ok);
    const gate = GATE_WEBHOOKS.includes(type);
    return {
      passed: failed.length === 0,
      event: {
        type: gate ? 'gate' : 'webhook',
        message: failed.length
          ? `${gate ? 'Holding: ' : ''}${type} hook${failed.length > 1 ? 's' : ''} ${failed.map((f) => `"${f.name}" ${f.error ?? 'failed'}`).join(', ')}${gate ? '; retrying next interval' : ''}.`
          : `${type} hook${results.length > 1 ? 's' : ''} ${results.map((r) => `"${r.name}"`).join(', ')} passed.`,
        data: { hook: type, results },
      },
    };
  }
}
