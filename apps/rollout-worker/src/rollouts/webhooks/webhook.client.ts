import { randomUUID } from 'node:crypto';
import {
  type RolloutWebhook,
  signWebhook,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookType,
} from '@heliomesh/core';
import type { RolloutPhase } from '@heliomesh/db';
import { durationMs } from '@heliomesh/analysis';
import { errorMessage, sleep } from '@heliomesh/util';

/** The JSON body of every webhook call (it carries the weight: Flagger users asked for it, F#613). */
export interface WebhookPayload {
  event: WebhookType;
  /**
   * Also the X-Heliomesh-Delivery header; receivers deduplicate on it. A gate call's is unique
   * per call (the same across its quick retries). A notification's names the notification: the
   * same on every delivery of it (notifications are at-least-once) and for every hook of its type.
   */
  deliveryId: string;
  rolloutId: string;
  tenantId: string;
  namespace: string;
  service: string;
  stable: string;
  canary: string;
  phase: RolloutPhase;
  stepIndex: number;
  canaryWeight: number;
  attempt: number;
  metadata: Record<string, string>;
  timestamp: string;
}

export interface WebhookCallResult {
  name: string;
  type: WebhookType;
  url: string;
  ok: boolean;
  status?: number;
  error?: string;
  attempts: number;
  durationMs: number;
}

export interface WebhookCaller {
  /** `deliveryId` is a notification's stable id; without it the call gets a new one. */
  call(
    hook: RolloutWebhook,
    payload: Omit<WebhookPayload, 'deliveryId' | 'metadata' | 'timestamp'>,
    secret: string | null,
    deliveryId?: string,
  ): Promise<WebhookCallResult>;
}

const MAX_BODY_READ = 64 * 1024;

/**
 * POSTs JSON with the HMAC-SHA256 signature header; 2xx passes, anything else (or a timeout) is
 * retried `retries` times with a short backoff, and then fails.
 */
export class HttpWebhookCaller implements WebhookCaller {
  constructor(private readonly fetchFn: typeof fetch = fetch) {}

  async call(
    hook: RolloutWebhook,
    base: Omit<WebhookPayload, 'deliveryId' | 'metadata' | 'timestamp'>,
    secret: string | null,
    deliveryId: string = randomUUID(),
  ): Promise<WebhookCallResult> {
    const started = Date.now();
    const timeoutMs = durationMs(hook.timeout) ?? 5_000;
    let last: Pick<WebhookCallResult, 'status' | 'error'> = {};
    let attempt = 0;
    for (; attempt <= hook.retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(200 * 2 ** (attempt - 1), 2_000));
      const payload: WebhookPayload = {
        ...base,
        deliveryId,
        metadata: hook.metadata ?? {},
        timestamp: new Date().toISOString(),
      };
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        [WEBHOOK_EVENT_HEADER]: hook.type,
        [WEBHOOK_DELIVERY_HEADER]: deliveryId,
      };
      if (secret)
        headers[WEBHOOK_SIGNATURE_HEADER] = signWebhook(secret, body, Math.floor(Date.now() / 1000));
      try {
        const res = await this.fetchFn(hook.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await drain(res);
        if (res.status >= 200 && res.status < 300)
          return {
            name: hook.name,
            type: hook.type,
            url: hook.url,
            ok: true,
            status: res.status,
            attempts: attempt + 1,
            durationMs: Date.now() - started,
          };
        last = { status: res.status, error: `answered HTTP ${res.status}` };
      } catch (err) {
        last = { error: isTimeout(err) ? `no answer within ${hook.timeout}` : errorMessage(err) };
      }
    }
    return {
      name: hook.name,
      type: hook.type,
      url: hook.url,
      ok: false,
      ...last,
      attempts: attempt,
      durationMs: Date.now() - started,
    };
  }
}

async function drain(res: Response): Promise<void> {
  const reader = res.body?.getReader();
  if (!reader) return;
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > MAX_BODY_READ) return void (await reader.cancel());
    }
  } catch {
    // The status decided already; a broken body changes nothing.
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}
