import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DatabaseConnector } from '@heliomesh/db';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { enqueueRolloutTick, QUEUE_NAMES, rolloutTickJobId } from '@heliomesh/queue';
import { errorMessage } from '@heliomesh/util';
import { WORKER_CONFIG, type WorkerConfig } from '../config.js';

/** A tick this late with no job waiting for it was lost (Redis data gone) or gave up (failed job). */
const GRACE_SECONDS = 15;
const BATCH = 500;

/**
 * The safety net under the outbox: every due tick has a job. Re-adding a job under its id is a
 * no-op while one waits, and a tick that runs twice does nothing the second time, so any number
 * of workers may sweep at once.
 */
@Injectable()
export class RolloutSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly db: DataSource,
    private readonly connector: DatabaseConnector,
    @InjectQueue(QUEUE_NAMES.rollout) private readonly queue: Queue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.connector.ready().then(
      () => {
        this.timer = setInterval(() => void this.sweep(), this.config.ROLLOUT_SWEEP_INTERVAL_MS);
      },
      () => undefined,
    );
  }

  /** Re-queues overdue ticks that have no live job; returns how many. */
  sweep(): Promise<number> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<number> {
    let requeued = 0;
    try {
      const due: Array<{ id: string; tick: number }> = await this.db.query(
        `SELECT id, tick FROM rollouts WHERE next_tick_at < now() - make_interval(secs => $1) ORDER BY next_tick_at LIMIT $2`,
        [GRACE_SECONDS, BATCH],
      );
      for (const { id, tick } of due) {
        const data = { rolloutId: id, tick };
        const job = await this.queue.getJob(rolloutTickJobId(data));
        const state = job ? await job.getState() : 'missing';
        if (state !== 'missing' && state !== 'completed' && state !== 'failed' && state !== 'unknown')
          continue;
        if (job) await job.remove().catch(() => undefined);
        await enqueueRolloutTick(this.queue, data, 0);
        requeued++;
        this.logger.warn(
          { rolloutId: id, tick, state },
          'rollout tick was overdue without a live job; queued it again',
        );
      }
    } catch (err) {
      this.logger.warn({ err: errorMessage(err) }, 'rollout sweep failed; trying again next interval');
    }
    return requeued;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
