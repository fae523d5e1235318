import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  loadRolloutEvents,
  type RequestContext,
  rolloutChannel,
  type RolloutEventView,
  type RolloutProgressEvent,
  RolloutsService,
  type RolloutView,
} from '@heliomesh/core';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { errorMessage } from '@heliomesh/util';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { EventQueue } from '../subscriptions/event-queue.util.js';
import { RedisChannels } from '../subscriptions/redis-channels.service.js';
import type { RolloutProgressModel } from './rollout.models.js';
import { progressOf, snapshotOf } from './rollout-views.util.js';

const CATCH_UP_BATCH = 1_000;

/** Where a rollout stands, for events read back from the database (they do not carry it). */
const whereOf = (v: RolloutView) => ({
  steps: v.step.total,
  mirrorPercent: v.route?.mirrorPercent ?? null,
  eta: v.eta,
});

/**
 * A rollout's progress for one subscriber. The worker publishes each stored event on the
 * rollout's Redis channel (so every gateway replica hears it), but publishing is best effort:
 * the stream therefore numbers what it delivered and reads any gap from the database, on the
 * next message and every ROLLOUT_POLL_MS. It starts with a snapshot of the current state and
 * ends after the rollout succeeds (a rolled-back or aborted rollout can still be retried).
 */
@Injectable()
export class RolloutProgressFeed implements OnApplicationShutdown {
  private readonly open = new Set<EventQueue<RolloutProgressModel>>();

  constructor(
    private readonly db: DataSource,
    private readonly rollouts: RolloutsService,
    private readonly channels: RedisChannels,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async watch(ctx: RequestContext, id: string): Promise<EventQueue<RolloutProgressModel>> {
    await this.rollouts.get(ctx, id);
    const stream = new ProgressStream(ctx, id, this.db, this.rollouts, this.logger);
    const stopListening = await this.channels.listen(rolloutChannel(id), (m) => stream.onMessage(m));
    const timer = setInterval(() => stream.poll(), this.config.ROLLOUT_POLL_MS);
    timer.unref();
    const queue = stream.queue;
    this.open.add(queue);
    stream.onClose = () => {
      clearInterval(timer);
      stopListening();
      this.open.delete(queue);
    };
    await stream.start();
    return queue;
  }

  onApplicationShutdown(): void {
    for (const q of [...this.open]) q.end();
  }
}

class ProgressStream {
  readonly queue = new EventQueue<RolloutProgressModel>(() => this.onClose());
  onClose: () => void = () => undefined;
  /** The last sequence number delivered; -1 until the snapshot went out. */
  private cursor = -1;
  /** Work runs one at a time so events leave in order. */
  private chain: Promise<void> = Promise.resolve();
  private readonly early: RolloutProgressEvent[] = [];
  private lastPhase = '';

  constructor(
    private readonly ctx: RequestContext,
    private readonly id: string,
    private readonly db: DataSource,
    private readonly rollouts: RolloutsService,
    private readonly logger: Logger,
  ) {}

  /** The snapshot, then what arrived on Redis while it was read. */
  start(): Promise<void> {
    return this.serial(async () => {
      // The last event number first, then the state: the state is at least that new, so no
      // event after the snapshot can be older than what it shows.
      const last = (await loadRolloutEvents(this.db, this.ctx, [this.id], { newest: true, limit: 1 })).get(
        this.id,
      );
      const view = await this.rollouts.get(this.ctx, this.id);
      this.cursor = last?.[0]?.seq ?? 0;
      this.queue.push(snapshotOf(view, this.cursor));
      if (view.phase === 'Succeeded') return this.queue.end();
      for (const e of this.early.splice(0)) await this.deliver(e);
    });
  }

  onMessage(message: string): void {
    let event: RolloutProgressEvent;
    try {
      event = JSON.parse(message) as RolloutProgressEvent;
    } catch {
      return;
    }
    // The channel is per rollout; a message of another tenant would be a bug upstream, never shown.
    if (event.rolloutId !== this.id || event.tenantId !== this.ctx.tenantId) return;
    if (this.cursor < 0) this.early.push(event);
    else void this.serial(() => this.deliver(event));
  }

  poll(): void {
    if (this.cursor < 0) return;
    void this.serial(async () => {
      await this.catchUp(Number.MAX_SAFE_INTEGER);
      await this.finishIfSucceeded();
    });
  }

  private async deliver(event: RolloutProgressEvent): Promise<void> {
    if (event.seq <= this.cursor) return;
    if (event.seq > this.cursor + 1) await this.catchUp(event.seq);
    if (event.seq <= this.cursor || this.queue.isClosed) return;
    this.emit(progressOf(event, { steps: event.steps, mirrorPercent: event.mirrorPercent, eta: event.eta }));
    await this.finishIfSucceeded();
  }

  /**
   * Succeeded is final: once it is delivered, the rest of that commit's events are read from the
   * database and the stream completes. (Notifications sent after that, such as post-rollout
   * webhook results, are in the rollout's events.)
   */
  private async finishIfSucceeded(): Promise<void> {
    if (this.lastPhase !== 'Succeeded' || this.queue.isClosed) return;
    await this.catchUp(Number.MAX_SAFE_INTEGER);
    this.queue.end();
  }

  /** Stored events after the cursor and before `beforeSeq`: the ones Redis did not bring. */
  private async catchUp(beforeSeq: number): Promise<void> {
    const events = await this.rollouts.events(this.ctx, this.id, {
      afterSeq: this.cursor,
      limit: CATCH_UP_BATCH,
    });
    const missing = events.filter((e: RolloutEventView) => e.seq < beforeSeq);
    if (missing.length === 0) return;
    const where = whereOf(await this.rollouts.get(this.ctx, this.id));
    for (const e of missing) if (e.seq > this.cursor && !this.queue.isClosed) this.emit(progressOf(e, where));
  }

  private emit(progress: RolloutProgressModel): void {
    this.cursor = progress.seq;
    this.lastPhase = progress.phase;
    this.queue.push(progress);
  }

  private serial(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((err: unknown) => {
      this.logger.warn({ err: errorMessage(err), rolloutId: this.id }, 'rollout progress stream failed');
      this.queue.fail(err);
    });
    return this.chain;
  }
}
