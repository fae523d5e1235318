import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { DatabaseConnector, OUTBOX_CHANNEL, type OutboxMessage, OutboxRepository } from '@heliomesh/db';
import { LOGGER, type Logger } from '@heliomesh/observability';
import {
  ROLLOUT_NOTIFY_TOPIC,
  ROLLOUT_TICK_TOPIC,
  type RolloutNotifyMessage,
  type RolloutTickMessage,
} from '@heliomesh/core';
import {
  enqueueReconcile,
  enqueueRolloutNotify,
  enqueueRolloutTick,
  QUEUE_CONNECTION,
  QUEUE_NAMES,
  type ReconcileJobData,
} from '@heliomesh/queue';
import { errorMessage, sleep } from '@heliomesh/util';
import { WORKER_CONFIG, type WorkerConfig } from '../config.js';
import { PgListener } from './pg-listener.util.js';

const BATCH = 200;
const PUBLISH_TIMEOUT_MS = 2_000;

/**
 * Moves outbox rows to the queue. A Postgres NOTIFY at commit wakes it at once; a slow poll
 * covers lost notifications and retries what failed while Redis was away. Several workers
 * can run it: rows are claimed with SKIP LOCKED.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly outbox = new OutboxRepository();
  private readonly listener: PgListener;
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly connector: DatabaseConnector,
    @InjectQueue(QUEUE_NAMES.reconcile) private readonly reconcileQueue: Queue,
    @InjectQueue(QUEUE_NAMES.rollout) private readonly rolloutQueue: Queue,
    @Inject(QUEUE_CONNECTION) private readonly redis: Redis,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.listener = new PgListener({
      url: config.DATABASE_URL,
      applicationName: 'heliomesh-outbox-listener',
      channel: OUTBOX_CHANNEL,
      onNotification: () => this.wake(),
      onDisconnect: (reason) =>
        logger.warn({ err: reason }, 'outbox listener disconnected; polling until it is back'),
    });
  }

  onApplicationBootstrap(): void {
    void this.connector.ready().then(
      () => {
        this.listener.start();
        this.timer = setInterval(() => this.wake(), this.config.OUTBOX_POLL_MS);
        this.wake();
      },
      () => undefined,
    );
  }

  /** Starts a drain, or asks the running one to go round once more. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves when everything published so far has been handed to the queue (tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.redis.status !== 'ready') return;
        const { published, failed } = await this.outbox.relayBatch(this.db, BATCH, (messages) =>
          this.publish(messages),
        );
        if (failed > 0 || published < BATCH) return;
      }
    } catch (err) {
      this.logger.warn({ err: errorMessage(err) }, 'outbox relay failed; retrying on the next poll');
    }
  }

  private async publish(messages: OutboxMessage[]): Promise<Set<string>> {
    const accepted = new Set<string>();
    for (const message of messages) {
      const job = this.enqueue(message);
      if (!job) {
        this.logger.error(
          { id: message.id, topic: message.topic },
          'outbox message with an unknown topic; skipping it',
        );
        accepted.add(message.id);
        continue;
      }
      const added = await Promise.race([job.then(() => true), sleep(PUBLISH_TIMEOUT_MS).then(() => false)]);
      if (!added) break;
      accepted.add(message.id);
    }
    return accepted;
  }

  /** The job a message stands for, or undefined for a topic this relay does not know. */
  private enqueue(message: OutboxMessage): Promise<unknown> | undefined {
    if (message.topic === 'reconcile')
      return enqueueReconcile(this.reconcileQueue, message.payload as unknown as ReconcileJobData);
    if (message.topic === ROLLOUT_TICK_TOPIC) {
      // The delay counts from now: a message relayed late (Redis was away) runs as soon as it can.
      const tick = message.payload as unknown as RolloutTickMessage;
      return enqueueRolloutTick(
        this.rolloutQueue,
        { rolloutId: tick.rolloutId, tick: tick.tick },
        tick.runAt - Date.now(),
      );
    }
    if (message.topic === ROLLOUT_NOTIFY_TOPIC) {
      const { rolloutId, type, deliveryId } = message.payload as unknown as RolloutNotifyMessage;
      return enqueueRolloutNotify(
        this.rolloutQueue,
        { rolloutId, type, deliveryId },
        { backoffMs: this.config.ROLLOUT_NOTIFY_BACKOFF_MS },
      );
    }
    return undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener.stop();
    await this.draining;
  }
}
